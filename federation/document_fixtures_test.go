package federation

import (
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Fixed inputs of the document tests: one instance, one enterprise, one
// announcement, one need and one offer, at fixed times.

const fixturePublicKeyPEM = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA3vIIEfn5BWd21/Co1sNS
PHTNiktqe/j0EpLTh2ckpVmrvfNARVw/FhkNBOi1tcyxEru5rQ/51Z7wfCZEk+m0
ICKeHwNLkvlFCEro/C2hbQSgtVYrVKcKGbKQEg/FSlp/e6JQ2aTqhX3LSRF4o+B9
MUXTz6Gkf1gF/upvZMntLVzAb03xRXvLHL3oXH8SA84u61SIDiPp2g/i/9V4cZ7h
UBSAeWd13xcEvnU8msv5BEf4gP8ANyiz84Bls82ISD71R5cBopDqOQLxzTIguuQM
kGC9FW/y/SGY8vpFUSUC2BgJlNp04lj+QVloDy22pkyXbseLXtegBs14qKRhze2p
EQIDAQAB
-----END PUBLIC KEY-----
`

var (
	fixtureStart   = time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	fixtureCreated = time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	fixtureEdited  = time.Date(2026, 2, 1, 12, 30, 0, 0, time.UTC)
	fixtureLater   = time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
)

func fixtureURLs(t testing.TB) URLs {
	t.Helper()
	u, err := NewURLs("https://coop.example")
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func fixtureNetwork() NetworkInfo {
	return NetworkInfo{
		Name:        "Cooperation Springfield",
		Description: "Worker co-ops, mutual-aid groups and tool libraries of Springfield.",
		Published:   fixtureStart,
	}
}

func fixturePtr[T any](v T) *T { return &v }

func fixtureEnterprise() *directory.Enterprise {
	return &directory.Enterprise{
		ID: 1, Handle: "shakyhands", Name: "Shaky Hands Bakery", Kind: directory.KindWorkerCoop,
		Sectors:     []string{"bakery", "food sovereignty"},
		Summary:     "A worker-owned bakery & café.",
		SummaryHTML: "<p>A worker-owned bakery &amp; café.</p>",
		Website:     "https://shakyhands.example",
		Email:       "hello@shakyhands.example",
		Location:    directory.Location{Address: "12 Mill Lane, Springfield", Lat: fixturePtr(39.7817), Lon: fixturePtr(-89.6501)},
		Logo:        "/media/logos/shakyhands.png",
		CreatedAt:   fixtureCreated, UpdatedAt: fixtureEdited,
	}
}

func fixtureAnnouncement() *directory.Announcement {
	return &directory.Announcement{
		ID: 7, EnterpriseHandle: "shakyhands",
		Content:     "We open a **second oven** on Monday.",
		ContentHTML: "<p>We open a <strong>second oven</strong> on Monday.</p>",
		CreatedAt:   fixtureEdited,
	}
}

func fixtureNeed() *directory.Listing {
	return &directory.Listing{
		ID: 3, EnterpriseHandle: "shakyhands", Type: directory.Need, Title: "Donated drills",
		Description:     "Cordless if possible.",
		DescriptionHTML: "<p>Cordless if possible.</p>",
		Category:        "tools", Quantity: fixturePtr(3.0), Unit: "drills",
		Location: directory.Location{Address: "Springfield", Lat: fixturePtr(39.78), Lon: fixturePtr(-89.65),
			RadiusKM: fixturePtr(15.0)},
		ValidUntil: "2026-12-31", Status: directory.StatusOpen,
		CreatedAt: fixtureCreated, UpdatedAt: fixtureEdited,
	}
}

func fixtureOffer() *directory.Listing {
	return &directory.Listing{
		ID: 4, EnterpriseHandle: "shakyhands", Type: directory.Offer, Title: "Bread-making workshop",
		Category: "skills", Status: directory.StatusFulfilled,
		CreatedAt: fixtureCreated, UpdatedAt: fixtureCreated,
	}
}

// fixtureFollow is a Mastodon user following the enterprise.
func fixtureFollow() FollowRef {
	return FollowRef{
		ID:     "https://mastodon.example/0a1b2c3d-follow",
		Actor:  "https://mastodon.example/users/alice",
		Object: "https://coop.example/enterprises/shakyhands",
	}
}
