package storetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func spanish(title, text string) directory.Translations {
	return directory.Translations{"es": {Title: title, Text: text, TextHTML: "<p>" + text + "</p>"}}
}

func testTranslations(t *testing.T, open opener) {
	t.Run("stores, changes and removes the translations of every kind of entry", func(t *testing.T) {
		s := open(t)
		e := fullEnterprise("bakery")
		e.Translations = spanish("Panadería Riverwest", "Horneamos pan.")
		mustCreateEnterprise(t, s, e)
		l := fullListing(e)
		l.Translations = spanish("Pan del día anterior", "Masa madre gratis")
		mustCreateListing(t, s, l)
		a := &directory.Announcement{EnterpriseID: e.ID, Content: "Post", ContentHTML: "<p>Post</p>",
			Translations: spanish("", "Anuncio"), CreatedAt: at(3)}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: at(3)}), "announce")

		gotE, err := s.FindEnterprise(ctx, "", "bakery")
		mustNot(t, err, "find enterprise")
		wantTranslations(t, "enterprise", gotE.Translations, e.Translations)
		gotL, err := s.FindListing(ctx, l.ID)
		mustNot(t, err, "find listing")
		wantTranslations(t, "listing", gotL.Translations, l.Translations)
		if gotL.Language != "es" {
			t.Errorf("listing's main language = %q, want its enterprise's first, es", gotL.Language)
		}
		gotA, err := s.FindAnnouncement(ctx, a.ID)
		mustNot(t, err, "find announcement")
		wantTranslations(t, "announcement", gotA.Translations, a.Translations)
		if gotA.Language != "es" {
			t.Errorf("announcement's main language = %q, want es", gotA.Language)
		}

		gotE.Translations = directory.Translations{"fr": {Title: "Boulangerie"}}
		mustNot(t, s.UpdateEnterprise(ctx, gotE, directory.Event{Type: directory.EventEnterpriseUpdated, At: at(5)}), "update")
		gotL.Translations = nil
		mustNot(t, s.UpdateListing(ctx, gotL, directory.Event{Type: directory.EventListingUpdated, At: at(5)}), "update listing")
		gotA.Translations = spanish("", "Otro anuncio")
		mustNot(t, s.UpdateAnnouncement(ctx, gotA, directory.Event{Type: directory.EventAnnouncementUpdated, At: at(5)}), "update announcement")

		again, _ := s.FindEnterprise(ctx, "", "bakery")
		if !slices.Equal(again.Translations.Languages(), []string{"fr"}) || again.Translations["fr"].Title != "Boulangerie" {
			t.Errorf("enterprise translations after update = %s", show(again.Translations))
		}
		againL, _ := s.FindListing(ctx, l.ID)
		if againL.Translations != nil {
			t.Errorf("listing translations after removing all = %s", show(againL.Translations))
		}
		againA, _ := s.FindAnnouncement(ctx, a.ID)
		if againA.Translations["es"].Text != "Otro anuncio" {
			t.Errorf("announcement translations after update = %s", show(againA.Translations))
		}
	})

	t.Run("finds an entry by a word of its translation", func(t *testing.T) {
		s := open(t)
		e := newEnterprise("bakery", "Riverwest Bakery")
		e.Translations = spanish("Panadería Riverwest", "Horneamos pan de masa madre.")
		mustCreateEnterprise(t, s, e)
		mustCreateEnterprise(t, s, newEnterprise("mesh", "Mesh network"))
		l := newListing(e, directory.Offer, "Day-old bread")
		l.Translations = spanish("Pan del día anterior", "Gratis para vecinos")
		mustCreateListing(t, s, l)

		p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "horneamos"})
		wantOrder(t, "enterprises by a Spanish word", enterpriseHandles(p), p.Total, "bakery")
		p = searchEnterprises(t, s, directory.EnterpriseQuery{Text: "panadería"})
		wantOrder(t, "enterprises by the Spanish name", enterpriseHandles(p), p.Total, "bakery")
		lp := searchListings(t, s, directory.ListingQuery{Text: "vecinos"})
		wantOrder(t, "listings by a Spanish word", listingTitles(lp), lp.Total, "Day-old bread")

		// A change of the enterprise's language reindexes its listings:
		// their translations stay found.
		e.Languages = []string{"de"}
		e.UpdatedAt = at(5)
		mustNot(t, s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: at(5)}), "update")
		lp = searchListings(t, s, directory.ListingQuery{Text: "vecinos"})
		wantOrder(t, "listings by a Spanish word after a language change", listingTitles(lp), lp.Total, "Day-old bread")
	})
}

func wantTranslations(t *testing.T, what string, got, want directory.Translations) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s translations = %s, want %s", what, show(got), show(want))
	}
}
