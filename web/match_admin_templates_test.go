package web

import (
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	editor := &directory.User{ID: 2, Name: "Ed", Email: "ed@t.example", Role: directory.RoleEditor}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: editor, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}, Notice: "The match was dismissed: it will not come back."}
	e := &directory.Enterprise{ID: 1, Handle: "fund", Name: "Mutual <Aid> Fund", Kind: directory.KindMutualAid}
	need := &directory.Listing{ID: 7, EnterpriseID: 1, Type: directory.Need, Title: "Van for a <food> run", Category: "transport"}
	offer := &directory.Listing{ID: 9, EnterpriseID: 2, EnterpriseName: "Movers <Co-op>", Type: directory.Offer,
		Title: "Cargo van", Category: "transport", Origin: "partner.example"}
	ms := []*directory.Match{{ID: 3, Need: need, Offer: offer, Score: 0.8234, New: true, CreatedAt: now,
		Reasons: []string{"same category Transport", "both mention van", "12 km apart, within 40 km"}}}
	path := "/admin/enterprises/fund"
	rows := matchRows(ms, 0, 1)
	rows[0].DismissURL = path + "/matches/3/dismiss"
	templateSamples["admin_matches.html"] = func() any {
		return adminMatchesView{adminPage: page, E: e, AdminPath: path, Matches: rows, Total: 1,
			pager: adminPager(path+"/matches", 1, 1)}
	}
	templateSamples["admin-matches-empty"] = func() any {
		return adminMatchesView{adminPage: page, E: e, AdminPath: path}
	}
	sampleTemplate["admin-matches-empty"] = "admin_matches.html"
}
