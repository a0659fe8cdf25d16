package storetest

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Entries imported from Murmurations indexes, and the same organisation
// listed by several origins: EnterprisesByWebsite, the origin filters and
// the Service's MergeSameOrganisations over the engine.

const mmOrigin = directory.MurmurationsOriginPrefix + "index.example"

// sameOrgFixture stores a local enterprise, a partner's copy and a
// Murmurations entry of one organisation (its website written three
// ways), and entries that only look alike.
func sameOrgFixture(t *testing.T, s directory.Store) {
	t.Helper()
	local := newEnterprise("bakery", "Shaky Hands Bakery")
	local.Website = "https://shakyhands.example/"
	mustCreateEnterprise(t, s, local)
	other := newEnterprise("other", "Other Bakery") // same host, another path
	other.Website = "https://shakyhands.example/other"
	mustCreateEnterprise(t, s, other)
	nosite := newEnterprise("nosite", "No Site")
	mustCreateEnterprise(t, s, nosite)

	p1 := partnerCopy("bakery", coopHost, 5)
	p1.Website = "http://www.shakyhands.example"
	p2 := partnerCopy("nosite", coopHost, 6)
	p3 := partnerCopy("path", coopHost, 7) // another organisation: a path the local one lacks
	p3.Website = "https://shakyhands.example/path"
	mustImport(t, s, coopHost, []*directory.Enterprise{p1, p2, p3}, nil, directory.RemoteImport{Created: 3})
	m := remoteEnterprise("shaky-1234", mmOrigin)
	m.Website, m.RemoteID, m.CreatedAt, m.UpdatedAt = "https://shakyhands.example", "https://p.example/shaky.json", at(1), at(1)
	mustImport(t, s, mmOrigin, []*directory.Enterprise{m}, nil, directory.RemoteImport{Created: 1})
}

func testSameOrganisations(t *testing.T, open opener) {
	s := open(t)
	sameOrgFixture(t, s)
	t.Run("finds entries by exact website", func(t *testing.T) {
		got, err := s.EnterprisesByWebsite(ctx, []string{"https://shakyhands.example/", "http://www.shakyhands.example", "https://shakyhands.example", ""})
		mustNot(t, err, "by website")
		var handles []string
		for _, e := range got {
			handles = append(handles, e.Origin+"/"+e.Handle)
		}
		if want := []string{"/bakery", coopHost + "/bakery", mmOrigin + "/shaky-1234"}; !slices.Equal(handles, want) {
			t.Errorf("got %v, want %v", handles, want)
		}
		if got, err := s.EnterprisesByWebsite(ctx, nil); err != nil || len(got) != 0 {
			t.Errorf("no websites: %v, %v", got, err)
		}
	})
	t.Run("Murmurations entries are an origin of their own", func(t *testing.T) {
		for origin, want := range map[string]int{directory.OriginAll: 7, directory.OriginLocal: 3, directory.OriginPartners: 3,
			directory.OriginMurmurations: 1, mmOrigin: 1, coopHost: 3} {
			q := directory.EnterpriseQuery{Origin: origin}
			mustNot(t, q.Validate(), "validate")
			res, err := s.SearchEnterprises(ctx, q)
			mustNot(t, err, "search")
			if res.Total != want {
				t.Errorf("origin %s: %d, want %d", origin, res.Total, want)
			}
		}
	})
	t.Run("one card per organisation, led by the local entry", func(t *testing.T) {
		svc := directory.NewService(s, func(md string) string { return md }, nil)
		q := directory.EnterpriseQuery{Sort: directory.SortName, Page: directory.Page{PerPage: 20}}
		mustNot(t, q.Validate(), "validate")
		page, err := s.SearchEnterprises(ctx, q)
		mustNot(t, err, "search")
		mustNot(t, svc.MergeSameOrganisations(ctx, page), "merge")
		var cards []string
		for _, it := range page.Items {
			c := it.Origin + "/" + it.Handle
			for _, a := range it.AlsoListedBy {
				c += " +" + a.OriginKind + ":" + a.Origin + "/" + a.Handle + "@" + a.URL
			}
			cards = append(cards, c)
		}
		want := []string{"/nosite", "/other", coopHost + "/path", coopHost + "/nosite",
			"/bakery +partner:" + coopHost + "/bakery@https://" + coopHost + "/e/bakery +murmurations:" + mmOrigin + "/shaky-1234@https://" + mmOrigin + "/e/shaky-1234"}
		slices.Sort(cards)
		slices.Sort(want)
		if !slices.Equal(cards, want) {
			t.Errorf("cards:\n%v\nwant\n%v", cards, want)
		}
	})
	t.Run("a card on a page without the leader names it", func(t *testing.T) {
		svc := directory.NewService(s, func(md string) string { return md }, nil)
		q := directory.EnterpriseQuery{Origin: directory.OriginMurmurations}
		mustNot(t, q.Validate(), "validate")
		page, err := s.SearchEnterprises(ctx, q)
		mustNot(t, err, "search")
		mustNot(t, svc.MergeSameOrganisations(ctx, page), "merge")
		if len(page.Items) != 1 || len(page.Items[0].AlsoListedBy) != 2 || page.Items[0].AlsoListedBy[0].Origin != "" {
			t.Fatalf("items %+v", page.Items)
		}
	})
}
