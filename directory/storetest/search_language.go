package storetest

import (
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// seedLanguages stores enterprises in each stemmed language, each with a
// listing, for the language-aware search tests.
func seedLanguages(t *testing.T, s directory.Store) map[string]*directory.Enterprise {
	t.Helper()
	rows := []struct{ handle, name, summary, lang, listing string }{
		{"herramientas", "Cooperación de Herramientas", "Prestamos una herramienta a cada vecino.", "es", "Cooperación vecinal"},
		{"city-en", "City Farm", "A farm and a library.", "en", "City garden"},
		{"city-es", "City Granja", "Una granja.", "es", "City garden"},
		{"tool-share", "Tool Share", "Borrow tools from the libraries of the neighbourhood.", "", "Bicycle repairing"},
		{"genossen", "Bäckerei Genossenschaft", "Wir backen Brote für das Viertel.", "de", "Brot für alle"},
		{"ecoles", "Coopérative de l'école", "Les enfants apprennent ensemble.", "fr", "Livres scolaires"},
		{"moradores", "Associação de Moradores", "Ações solidárias no bairro.", "pt-BR", "Bicicleta para entregas"},
	}
	out := map[string]*directory.Enterprise{}
	for i, r := range rows {
		e := newEnterprise(r.handle, r.name)
		e.Summary, e.CreatedAt, e.UpdatedAt = r.summary, at(i), at(i)
		if r.lang != "" {
			e.Languages = []string{r.lang}
		}
		out[r.handle] = mustCreateEnterprise(t, s, e)
		l := newListing(e, directory.Need, r.listing)
		l.CreatedAt, l.UpdatedAt = at(i), at(i)
		mustCreateListing(t, s, l)
	}
	return out
}

func testLanguageSearch(t *testing.T, open opener) {
	s := open(t)
	seeded := seedLanguages(t, s)
	find := func(t *testing.T, text string) []string {
		t.Helper()
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: text})
		return enterpriseHandles(p)
	}
	t.Run("matches the stems of a word in its entry's language", func(t *testing.T) {
		for text, want := range map[string][]string{
			"tools": {"tool-share"}, "tool": {"tool-share"}, "library": {"tool-share", "city-en"}, // en, and no language (en)
			"herramientas": {"herramientas"}, "vecinos": {"herramientas"}, // es
			"genossenschaften": {"genossen"}, "Bäckereien": {"genossen"}, // de
			"écoles": {"ecoles"}, "coopératives": {"ecoles", "herramientas"}, // fr; es "cooperación" shares the stem
			"associações": {"moradores"}, "solidária": {"moradores"}, // pt-BR
		} {
			got := find(t, text)
			wantSet(t, text, got, len(got), want...)
		}
	})
	t.Run("indexes an entry in its language only", func(t *testing.T) {
		// The English stem of "city", "citi", is indexed for the English
		// entry only: "cities" finds it through it.
		got := find(t, "cities")
		wantSet(t, "cities", got, len(got), "city-en")
	})
	t.Run("folds accents: a word typed with them finds at least what it finds without", func(t *testing.T) {
		for _, pair := range [][2]string{{"cooperacion", "Cooperación"}, {"ecoles", "écoles"}, {"associacao", "associação"}} {
			plain, accented := find(t, pair[0]), find(t, pair[1])
			if len(plain) == 0 {
				t.Errorf("%s finds nothing", pair[0])
			}
			for _, h := range plain {
				if !slices.Contains(accented, h) {
					t.Errorf("%s finds %s, %s does not", pair[0], h, pair[1])
				}
			}
		}
	})
	t.Run("indexes listings in their enterprise's language", func(t *testing.T) {
		p := searchListings(t, s, directory.ListingQuery{Text: "cities"})
		if got := listingOwners(p); len(got) != 1 || got[0] != "city-en" {
			t.Fatalf("cities finds the listings of %q, want city-en's only", got)
		}
		p = searchListings(t, s, directory.ListingQuery{Text: "bicicletas"})
		if got := listingOwners(p); len(got) != 1 || got[0] != "moradores" {
			t.Errorf("bicicletas finds the listings of %q, want moradores'", got)
		}
	})
	t.Run("ranks entries in the reader's language first at equal relevance", func(t *testing.T) {
		for i, lang := range []string{"es-MX", "en"} {
			e := newEnterprise("tux-"+lang[:2], "Tux Kiosk")
			e.Languages, e.CreatedAt, e.UpdatedAt = []string{lang}, at(100+i), at(100+i)
			mustCreateEnterprise(t, s, e)
		}
		for reader, want := range map[string][]string{"": {"tux-en", "tux-es"}, "es": {"tux-es", "tux-en"},
			"pt-BR": {"tux-en", "tux-es"}, "EN": {"tux-en", "tux-es"}} {
			p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "tux kiosk", Language: reader})
			wantOrder(t, "reader "+reader, enterpriseHandles(p), p.Total, want...)
		}
		q := directory.EnterpriseQuery{Language: "e$"}
		if err := q.Validate(); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("language e$: %v, want invalid", err)
		}
	})
	t.Run("reindexes the listings when the enterprise's language changes", func(t *testing.T) {
		e := seeded["city-es"]
		e.Languages = []string{"en", "es"}
		if err := s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: t0}); err != nil {
			t.Fatal(err)
		}
		p := searchListings(t, s, directory.ListingQuery{Text: "cities"})
		if got := listingOwners(p); len(got) != 2 {
			t.Errorf("cities finds the listings of %q, want city-en's and city-es'", got)
		}
	})
}

// listingOwners returns the handles of the enterprises of p's listings.
func listingOwners(p *directory.ListingPage) []string {
	out := []string{}
	for _, l := range p.Items {
		out = append(out, l.EnterpriseHandle)
	}
	return out
}

func testSuggestions(t *testing.T, open opener) {
	s := open(t)
	seedLanguages(t, s)
	svc := directory.NewService(s, func(md string) string { return md }, nil)
	suggest := func(t *testing.T, text string) string {
		t.Helper()
		p, err := svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: text, Suggest: true})
		if err != nil {
			t.Fatalf("search %q: %v", text, err)
		}
		return p.Suggestion
	}
	t.Run("suggests the closest indexed word for a word with no matches", func(t *testing.T) {
		for text, want := range map[string]string{
			"librery": "library", "herrameintas": "herramientas", "genosenschaft": "genossenschaft",
			"Librery tools": "library tools", "asociação": "associacao",
		} {
			if got := suggest(t, text); got != want {
				t.Errorf("%q suggests %q, want %q", text, got, want)
			}
		}
	})
	t.Run("suggests nothing when the words are found or nothing is close", func(t *testing.T) {
		for _, text := range []string{"tools", "zzzzzzz", "xyz", "lib", `"; DROP TABLE x; --`, "tool* OR -x NEAR(a b)", ""} {
			if got := suggest(t, text); got != "" {
				t.Errorf("%q suggests %q", text, got)
			}
		}
	})
	t.Run("suggests for listings too", func(t *testing.T) {
		p, err := svc.SearchListings(ctx, directory.ListingQuery{Text: "bicylce", Suggest: true})
		if err != nil || p.Suggestion != "bicycle" {
			t.Errorf("bicylce suggests %q (%v), want bicycle", p.Suggestion, err)
		}
	})
	t.Run("refuses invalid text as before", func(t *testing.T) {
		for _, text := range []string{"\xff\xfe", strings.Repeat("librery ", 40)} {
			if _, err := svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: text, Suggest: true}); directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("%q: %v, want invalid", text[:10], err)
			}
		}
	})
}
