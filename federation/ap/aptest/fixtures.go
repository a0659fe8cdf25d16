package aptest

import (
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The fixed inputs of the document tests: one instance at
// https://coop.example, one enterprise, one announcement, one need and one
// offer, at fixed times.

// PublicKeyPEM is the actors' public key in the golden documents.
const PublicKeyPEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3vIIEfn5BWd21/Co1sNS
PHTNiktqe/j0EpLTh2ckpVmrvfNARVw/FhkNBOi1tcyxEru5rQ/51Z7wfCZEk+m0
ICKeHwNLkvlFCEro/C2hbQSgtVYrVKcKGbKQEg/FSlp/e6JQ2aTqhX3LSRF4o+B9
MUXTz6Gkf1gF/upvZMntLVzAb03xRXvLHL3oXH8SA84u61SIDiPp2g/i/9V4cZ7h
UBSAeWd13xcEvnU8msv5BEf4gP8ANyiz84Bls82ISD71R5cBopDqOQLxzTIguuQM
kGC9FW/y/SGY8vpFUSUC2BgJlNp04lj+QVloDy22pkyXbseLXtegBs14qKRhze2p
EQIDAQAB
-----END PUBLIC KEY-----
`

// BaseURL is the fixture instance's address.
const BaseURL = "https://coop.example"

// The fixture network, which its instance started at Start.
const (
	NetworkName        = "Cooperation Springfield"
	NetworkDescription = "Worker co-ops, mutual-aid groups and tool libraries of Springfield."
)

// The fixed times: the instance starts, the enterprise and the listings are
// created, the enterprise is edited (and the announcement posted), and a
// later moment for updates and deletes.
var (
	Start   = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	Created = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	Edited  = time.Date(2026, 2, 1, 12, 30, 0, 0, time.UTC)
	Later   = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
)

// Enterprise is the local enterprise shakyhands, with a logo and a place.
func Enterprise() *directory.Enterprise {
	return &directory.Enterprise{
		ID: 1, Handle: "shakyhands", Name: "Shaky Hands Bakery", Kind: directory.KindWorkerCoop,
		Sectors:     []string{"bakery", "food sovereignty"},
		Summary:     "A worker-owned bakery & café.",
		SummaryHTML: "<p>A worker-owned bakery &amp; café.</p>",
		Website:     "https://shakyhands.example",
		Email:       "hello@shakyhands.example",
		Location:    directory.Location{Address: "12 Mill Lane, Springfield", Lat: new(39.7817), Lon: new(-89.6501)},
		Logo:        "/media/logos/shakyhands.png",
		CreatedAt:   Created, UpdatedAt: Edited,
	}
}

// Announcement is announcement 7 of shakyhands.
func Announcement() *directory.Announcement {
	return &directory.Announcement{
		ID: 7, EnterpriseHandle: "shakyhands",
		Content:     "We open a **second oven** on Monday.",
		ContentHTML: "<p>We open a <strong>second oven</strong> on Monday.</p>",
		CreatedAt:   Edited,
	}
}

// Need is listing 3, an open need of shakyhands with every optional field.
func Need() *directory.Listing {
	return &directory.Listing{
		ID: 3, EnterpriseHandle: "shakyhands", Type: directory.Need, Title: "Donated drills",
		Description:     "Cordless if possible.",
		DescriptionHTML: "<p>Cordless if possible.</p>",
		Category:        "tools", Quantity: new(3.0), Unit: "drills",
		Location: directory.Location{Address: "Springfield", Lat: new(39.78), Lon: new(-89.65),
			RadiusKM: new(15.0)},
		ValidUntil: "2026-12-31", Status: directory.StatusOpen,
		CreatedAt: Created, UpdatedAt: Edited,
	}
}

// Offer is listing 4, a fulfilled offer of shakyhands with nothing optional.
func Offer() *directory.Listing {
	return &directory.Listing{
		ID: 4, EnterpriseHandle: "shakyhands", Type: directory.Offer, Title: "Bread-making workshop",
		Category: "skills", Status: directory.StatusFulfilled,
		CreatedAt: Created, UpdatedAt: Created,
	}
}

// Spanish is the Spanish translation the bilingual fixtures carry.
func Spanish(title, textHTML string) directory.Translations {
	return directory.Translations{"es": {Title: title, Text: textHTML, TextHTML: "<p>" + textHTML + "</p>"}}
}

// BilingualEnterprise is Enterprise written in English (its main language)
// and Spanish.
func BilingualEnterprise() *directory.Enterprise {
	e := Enterprise()
	e.Languages = []string{"en", "es"}
	e.Translations = Spanish("Panadería Manos Temblorosas", "Una panadería de sus trabajadores.")
	return e
}

// BilingualAnnouncement is Announcement in English and Spanish.
func BilingualAnnouncement() *directory.Announcement {
	a := Announcement()
	a.Language = "en"
	a.Translations = Spanish("", "Abrimos un segundo horno el lunes.")
	return a
}

// BilingualNeed is Need in English and Spanish.
func BilingualNeed() *directory.Listing {
	l := Need()
	l.Language = "en"
	l.Translations = Spanish("Taladros donados", "Inalámbricos si es posible.")
	return l
}
