package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

func TestPrefixWords(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	for i, name := range []string{"Bakery", "Baker", "Bakeshop", "Łódź printers", "O'Brien bakes"} {
		e := newEnterprise(fmt.Sprintf("w%d", i))
		e.Name = name
		mustCreateEnterprise(t, db, e)
	}
	// More words with one prefix than are looked up one by one, added in
	// one statement.
	var many []*directory.Enterprise
	for i := range maxPrefixWords + 5 {
		e := newEnterprise(fmt.Sprintf("many%02d", i))
		e.Name = fmt.Sprintf("Quill%c%c", 'a'+i/26, 'a'+i%26)
		many = append(many, e)
	}
	if err := db.ImportEnterprises(ctx, many, nil, t0); err != nil {
		t.Fatal(err)
	}
	search := func(t *testing.T, text string) int {
		t.Helper()
		p, err := db.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: text, Page: directory.Page{Page: 1, PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		return p.Total
	}
	for _, c := range []struct {
		text   string
		lookup string // how the text index is asked for it
		found  int
	}{
		// A word matches the words its stems begin (fulltext.stemPrefix):
		// "bakery" those that begin with "baker", "bakes" with "bake".
		{"bake", "('baker' | 'bakery' | 'bakes' | 'bakeshop')", 4},
		{"bakery", "('baker' | 'bakery')", 2},
		{"bakes", "('baker' | 'bakery' | 'bakes' | 'bakeshop')", 4},
		{"łód", "'łodz'", 1},
		{"quill", "'quill':*", maxPrefixWords + 5},
		{"quillab", "'quillab'", 1},
		{"nowhere", "'nowh'", 0},
		{"ba", "'ba'", 0}, // too short to be a prefix
		{"bake quill", "('baker' | 'bakery' | 'bakes' | 'bakeshop') & 'quill':*", 0},
	} {
		t.Run(c.text, func(t *testing.T) {
			if got := lookups(t, db, c.text); got != c.lookup {
				t.Errorf("looked up as %s, want %s", got, c.lookup)
			}
			if got := search(t, c.text); got != c.found {
				t.Errorf("found %d, want %d", got, c.found)
			}
		})
	}
	t.Run("a word an update brings is found by its prefix", func(t *testing.T) {
		e := newEnterprise("renamed")
		mustCreateEnterprise(t, db, e)
		e.Name = "Kilnworks"
		if err := db.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, At: t0}); err != nil {
			t.Fatal(err)
		}
		if got := lookups(t, db, "kiln"); got != "'kilnworks'" {
			t.Errorf("looked up as %s", got)
		}
		if got := search(t, "kiln"); got != 1 {
			t.Errorf("found %d, want 1", got)
		}
	})
	t.Run("a listing's words are listed too", func(t *testing.T) {
		l := &directory.Listing{EnterpriseID: many[0].ID, Type: directory.Need, Category: directory.Categories[0],
			Title: "Wheelbarrows", Status: directory.StatusOpen, CreatedAt: t0, UpdatedAt: t0}
		if err := db.CreateListing(ctx, l, directory.Event{Type: directory.EventListingCreated, At: t0}); err != nil {
			t.Fatal(err)
		}
		if got := lookups(t, db, "wheel"); got != "'wheelbarrows'" {
			t.Errorf("looked up as %s", got)
		}
	})
}

// lookups returns how the text index is asked for text.
func lookups(t *testing.T, db *DB, text string) string {
	t.Helper()
	var got []string
	err := db.read(context.Background(), "words", func(tx pgx.Tx) (err error) {
		got, err = lookupTerms(context.Background(), tx, fulltext.Terms(text))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(got, " & ")
}

func TestQuoteWord(t *testing.T) {
	for in, want := range map[string]string{
		"bakery": "'bakery'",
		"o'neil": "'o''neil'",
		`a\b`:    `'a\\b'`,
	} {
		if got := quoteWord(in); got != want {
			t.Errorf("quoteWord(%q) = %s, want %s", in, got, want)
		}
	}
}
