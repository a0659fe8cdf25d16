package web

import (
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	editor := &directory.User{ID: 2, Name: "Ed", Email: "ed@t.example", Role: directory.RoleEditor}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: editor, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}, Notice: "The agreement was declined."}
	e := &directory.Enterprise{ID: 1, Handle: "fund", Name: "Mutual <Aid> Fund", Kind: directory.KindMutualAid}
	need := &directory.Listing{ID: 7, EnterpriseID: 1, EnterpriseName: e.Name, Type: directory.Need, Title: "Boxes for a <move>",
		Category: "other", Quantity: new(10.0), Unit: "boxes"}
	theirs := &directory.Listing{ID: 9, EnterpriseID: 2, EnterpriseName: "Movers <Co-op>", Type: directory.Offer,
		Title: "Cargo van", Category: "transport", Origin: "partner.example"}
	as := []*directory.Agreement{
		{ID: 3, ListingID: 7, Listing: need, ResponderName: "Movers <Co-op>", ResponderURL: "https://partner.example/enterprises/movers",
			Quantity: new(4.0), Unit: "boxes", Message: "Four <boxes>.", State: directory.AgreementPending, CreatedAt: now},
		{ID: 2, ListingID: 9, Listing: theirs, EnterpriseID: 1, ResponderName: e.Name, State: directory.AgreementRejected,
			Reason: "Taken <already>", CreatedAt: now, DecidedAt: &now},
		{ID: 1, ListingID: 7, Listing: need, ResponderName: "Neighbours", State: directory.AgreementAccepted, CreatedAt: now, DecidedAt: &now},
	}
	templateSamples["admin_agreements.html"] = func() any {
		v := adminAgreementsView{adminPage: page, E: e, AdminPath: "/admin/enterprises/fund"}
		v.Pending, v.Others = agreementRows(e, as)
		return v
	}
	templateSamples["admin-agreements-empty"] = func() any {
		return adminAgreementsView{adminPage: page, E: e, AdminPath: "/admin/enterprises/fund"}
	}
	sampleTemplate["admin-agreements-empty"] = "admin_agreements.html"
}
