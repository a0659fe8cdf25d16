package demo_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/sqlite"
)

func newService(t *testing.T) *directory.Service {
	t.Helper()
	svc, _ := newStore(t)
	return svc
}

// newStore is a Service over a fresh SQLite file, and that file's store.
func newStore(t *testing.T) (*directory.Service, directory.Store) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return directory.NewService(db, markdown.New().Render, password.Hasher{}), db
}

// counts returns the number of enterprises, needs and offers.
func counts(t *testing.T, svc *directory.Service) (enterprises, needs, offers int) {
	t.Helper()
	ctx := context.Background()
	ep, err := svc.SearchEnterprises(ctx, directory.EnterpriseQuery{})
	if err != nil {
		t.Fatal(err)
	}
	np, err := svc.SearchListings(ctx, directory.ListingQuery{Type: directory.Need})
	if err != nil {
		t.Fatal(err)
	}
	op, err := svc.SearchListings(ctx, directory.ListingQuery{Type: directory.Offer})
	if err != nil {
		t.Fatal(err)
	}
	return ep.Total, np.Total, op.Total
}

func TestLoad(t *testing.T) {
	ctx := context.Background()
	svc, store := newStore(t)
	if err := demo.Load(ctx, svc); err != nil {
		t.Fatal(err)
	}
	e, n, o := counts(t, svc)
	if e != 5 || n < 3 || o < 3 {
		t.Fatalf("after loading: %d enterprises, %d needs, %d offers; want 5 and at least 3 of each", e, n, o)
	}

	t.Run("marks every entry as demo", func(t *testing.T) {
		err := store.AllEnterprises(ctx, func(e *directory.Enterprise) error {
			if !e.Demo {
				t.Errorf("%s is not marked demo", e.Handle)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		lp, err := svc.SearchListings(ctx, directory.ListingQuery{Page: directory.Page{PerPage: 100}})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lp.Items {
			if !l.Demo {
				t.Errorf("listing %q is not marked demo", l.Title)
			}
		}
	})

	t.Run("gives each enterprise an announcement", func(t *testing.T) {
		for _, entry := range demo.Entries() {
			_, total, err := svc.Announcements(ctx, entry.Handle, directory.Page{})
			if err != nil || total != 1 {
				t.Errorf("%s: %d announcements, %v", entry.Handle, total, err)
			}
		}
	})

	t.Run("has Spanish translations of two enterprises and their listings", func(t *testing.T) {
		for _, handle := range []string{"mkemesh", "mutualaidfund"} {
			e, err := svc.Enterprise(ctx, handle)
			if err != nil {
				t.Fatal(err)
			}
			if es := e.Translations["es"]; es.Title == "" || es.TextHTML == "" || e.MainLanguage() != "en" {
				t.Errorf("%s: translations %+v, main %q", handle, e.Translations, e.MainLanguage())
			}
			lp, err := svc.SearchListings(ctx, directory.ListingQuery{Enterprise: handle, Page: directory.Page{PerPage: 100}})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range lp.Items {
				if l.Translations["es"].Title == "" {
					t.Errorf("listing %q has no Spanish title", l.Title)
				}
			}
		}
		res, err := svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: "vecinos"})
		if err != nil || res.Total != 1 || res.Items[0].Handle != "mkemesh" {
			t.Errorf("a Spanish word finds %+v, %v", res, err)
		}
	})

	t.Run("a second load changes nothing", func(t *testing.T) {
		if err := demo.Load(ctx, svc); !errors.Is(err, demo.ErrNotEmpty) {
			t.Fatalf("second load: %v, want ErrNotEmpty", err)
		}
		if e2, n2, o2 := counts(t, svc); e2 != e || n2 != n || o2 != o {
			t.Errorf("after a second load: %d/%d/%d, want %d/%d/%d", e2, n2, o2, e, n, o)
		}
	})
}

func TestLoadLeavesANonEmptyDirectoryAlone(t *testing.T) {
	ctx := directory.AsSystem(context.Background())
	svc := newService(t)
	if err := svc.CreateEnterprise(ctx, &directory.Enterprise{Handle: "riverwest", Name: "Riverwest Co-op", Kind: directory.KindConsumerCoop}); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, svc); !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("load: %v, want ErrNotEmpty", err)
	}
	if e, _, _ := counts(t, svc); e != 1 {
		t.Errorf("%d enterprises, want the 1 that was there", e)
	}
}

// TestEntriesPublishNoInventedDetails guards the rule of the demo data: city
// level locations only, no addresses, phones, emails or websites.
func TestEntriesPublishNoInventedDetails(t *testing.T) {
	entries := demo.Entries()
	if len(entries) != 5 {
		t.Fatalf("%d entries, want 5", len(entries))
	}
	for _, e := range entries {
		if e.Website != "" || e.Email != "" || e.Phone != "" || e.Logo != "" {
			t.Errorf("%s has contact details", e.Handle)
		}
		if e.Location.Address != "Milwaukee, WI" || !e.Location.HasPoint() {
			t.Errorf("%s: location %+v, want the city", e.Handle, e.Location)
		}
		for _, l := range e.Listings {
			if l.Location.Address != "" || l.Location.HasPoint() {
				t.Errorf("%s: listing %q has its own location", e.Handle, l.Title)
			}
		}
	}
}
