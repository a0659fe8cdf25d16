package federation_test

import (
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// A bilingual enterprise of A, with its listing and announcement, is seen
// in both languages in B's merged directory: by B's backfill, then by A's
// announces of a new language.

func TestTranslationsReachPartnersSQLite(t *testing.T) {
	testTranslationsReachPartners(t, func() string { return tempDB(t) })
}

func TestTranslationsReachPartnersPostgres(t *testing.T) {
	u := postgresURL(t)
	testTranslationsReachPartners(t, func() string { return freshPostgres(t, u) })
}

// enterpriseCopy returns in's copy of enterprise handle from origin, nil
// when it has none.
func (in *coop) enterpriseCopy(origin, handle string) *directory.Enterprise {
	in.T.Helper()
	res, err := in.Service().SearchEnterprises(sys, directory.EnterpriseQuery{Origin: origin,
		Page: directory.Page{Page: 1, PerPage: 100}})
	if err != nil {
		in.T.Fatal(err)
	}
	for _, r := range res.Items {
		if r.Handle == handle {
			return r.Enterprise
		}
	}
	return nil
}

// listingCopy returns in's copy of the listing titled title from origin.
func (in *coop) listingCopy(origin, title string) *directory.Listing {
	in.T.Helper()
	res, err := in.Service().SearchListings(sys, directory.ListingQuery{Origin: origin,
		Page: directory.Page{Page: 1, PerPage: 100}})
	if err != nil {
		in.T.Fatal(err)
	}
	for _, r := range res.Items {
		if r.Title == title {
			return r.Listing
		}
	}
	return nil
}

func testTranslationsReachPartners(t *testing.T, newDB func() string) {
	a := startInstance(t, "127.0.0.1:0", newDB())
	b := startInstance(t, "127.0.0.1:0", newDB())
	svc := a.Service()
	e := &directory.Enterprise{Handle: "cosecha", Name: "Harvest Cooperative", Kind: directory.KindWorkerCoop,
		Location: milwaukee, Languages: []string{"en", "es"}, Summary: "We grow *vegetables*."}
	if err := svc.CreateEnterprise(sys, e); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetEnterpriseTranslation(sys, "cosecha", "es", directory.Translation{
		Title: "Cooperativa Cosecha", Text: "Cultivamos *verduras*."}); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{Type: directory.Offer, Title: "Seedlings", Category: "food", Description: "Tomatoes"}
	if err := svc.CreateListing(sys, "cosecha", l); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetListingTranslation(sys, l.ID, "es", directory.Translation{Title: "Plántulas", Text: "Tomates"}); err != nil {
		t.Fatal(err)
	}

	post := &directory.Announcement{Content: "Market on **Saturday**"}
	if err := svc.CreateAnnouncement(sys, "cosecha", post); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetAnnouncementTranslation(sys, post.ID, "es", "Mercado el **sábado**"); err != nil {
		t.Fatal(err)
	}

	partnerWith(t, b, a, directory.Scope{})
	got := b.enterpriseCopy(a.Host(), "cosecha")
	if got == nil {
		t.Fatal("b has no copy of cosecha")
	}
	es := got.Translations["es"]
	if got.Name != "Harvest Cooperative" || es.Title != "Cooperativa Cosecha" || strings.TrimSpace(es.TextHTML) != "<p>Cultivamos <em>verduras</em>.</p>" {
		t.Errorf("b's copy: %q, translations %+v", got.Name, got.Translations)
	}
	if lc := b.listingCopy(a.Host(), "Seedlings"); lc == nil || lc.Translations["es"].Title != "Plántulas" {
		t.Errorf("b's listing copy: %+v", lc)
	}

	eventually(t, "b's copy of the announcement has its Spanish text", func() bool {
		list, _, err := b.Service().RecentAnnouncements(sys, directory.AnnouncementQuery{})
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range list {
			if an.Origin == a.Host() && strings.Contains(an.Translations["es"].TextHTML, "<strong>sábado</strong>") {
				return true
			}
		}
		return false
	})

	if _, err := svc.SetEnterpriseTranslation(sys, "cosecha", "fr", directory.Translation{Title: "Coopérative Récolte"}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "b's copy has the French name too", func() bool {
		c := b.enterpriseCopy(a.Host(), "cosecha")
		return c != nil && c.Translations["fr"].Title == "Coopérative Récolte" && c.Translations["es"].Title == "Cooperativa Cosecha"
	})
	res, err := b.Service().SearchEnterprises(sys, directory.EnterpriseQuery{Text: "cultivamos"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Items[0].Handle != "cosecha" {
		t.Errorf("a Spanish word finds %d entries on b", res.Total)
	}
}

// A Mastodon follower of a Spanish-first enterprise gets its announcement
// with the Spanish text as content and every language in contentMap.
func TestMastodonFollowerGetsTheLanguages(t *testing.T) {
	m := newRemoteServer(t)
	b := startInstance(t, "127.0.0.1:0", tempDB(t))
	e := &directory.Enterprise{Handle: "cosecha", Name: "Cooperativa Cosecha", Kind: directory.KindWorkerCoop,
		Location: milwaukee, Languages: []string{"es", "en"}}
	if err := b.Service().CreateEnterprise(sys, e); err != nil {
		t.Fatal(err)
	}
	m.follow(b, "/enterprises/cosecha", 1)
	eventually(t, "the Accept arrives", func() bool { return len(m.received("Accept")) == 1 })
	post := &directory.Announcement{Content: "Mercado el sábado"}
	if err := b.Service().CreateAnnouncement(sys, "cosecha", post); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Create arrives", func() bool { return len(m.received("Create")) == 1 })
	note, _ := m.received("Create")[0]["object"].(map[string]any)
	langs, _ := note["contentMap"].(map[string]any)
	if !strings.Contains(note["content"].(string), "Mercado") || len(langs) != 1 || !strings.Contains(langs["es"].(string), "Mercado") {
		t.Errorf("Note content %v, contentMap %v", note["content"], note["contentMap"])
	}
	if _, err := b.Service().SetAnnouncementTranslation(sys, post.ID, "en", "Market on Saturday"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the Update arrives with both languages", func() bool {
		for _, u := range m.received("Update") {
			obj, _ := u["object"].(map[string]any)
			langs, _ := obj["contentMap"].(map[string]any)
			if en, _ := langs["en"].(string); strings.Contains(en, "Market") && langs["es"] != nil {
				return true
			}
		}
		return false
	})
}
