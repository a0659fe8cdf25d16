package federation_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// The index here is murmurationstest.Index, a small stand-in for the real
// Murmurations index (which needs Elasticsearch and MongoDB): it speaks
// the documented API v2 and fetches and validates each posted profile.
func TestMurmurationsRegistration(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			in := instancetest.Start(t, engine)
			ix := murmurationstest.NewIndex(t)
			svc := in.Service()
			sys := directory.AsSystem(context.Background())
			in.Enterprise("alpha", "Alpha Co-op")
			var l directory.Listing
			if st := in.API("POST", "/api/v1/listings", map[string]any{"enterprise": "alpha", "type": "offer",
				"title": "Spare ladders", "category": "tools"}, &l); st != 201 {
				t.Fatalf("create listing: %d", st)
			}
			alpha := in.URLOf(murmurations.EnterprisePathPrefix + "alpha.json")
			listing := in.URLOf(fmt.Sprintf("%s%d.json", murmurations.ListingPathPrefix, l.ID))
			state := func(u string) string { n, _ := ix.Node(u); return n.Status }

			index := ix.URL
			if _, err := svc.UpdateSettings(sys, directory.SettingsUpdate{MurmurationsIndex: &index}); err != nil {
				t.Fatal(err)
			}
			instancetest.Eventually(t, "the existing profiles are registered", func() bool {
				return state(alpha) == "posted" && state(listing) == "posted"
			})
			if n, _ := ix.Node(alpha); n.Reason != "" {
				t.Fatal(n.Reason)
			}

			t.Run("a change is posted again", func(t *testing.T) {
				if st := in.API("PATCH", "/api/v1/enterprises/alpha", map[string]any{"name": "Alpha Größe"}, nil); st != 200 {
					t.Fatalf("patch: %d", st)
				}
				instancetest.Eventually(t, "the new name reaches the index", func() bool {
					n, _ := ix.Node(alpha)
					return n.Status == "posted" && strings.Contains(string(n.Profile), "Alpha Größe")
				})
			})
			t.Run("a closed listing is removed", func(t *testing.T) {
				st := directory.StatusWithdrawn
				if _, err := svc.UpdateListing(sys, l.ID, directory.ListingUpdate{Status: &st}); err != nil {
					t.Fatal(err)
				}
				instancetest.Eventually(t, "the listing's node is deleted", func() bool { return state(listing) == "deleted" })
			})
			t.Run("a failing index is retried and shown failing meanwhile", func(t *testing.T) {
				ix.Fail(503)
				in.Enterprise("beta", "Beta")
				beta := in.URLOf(murmurations.EnterprisePathPrefix + "beta.json")
				instancetest.Eventually(t, "the admin sees the failure", func() bool {
					regs, err := in.Node().MurmurationsStatus(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range regs {
						if r.ProfileURL == beta {
							return r.State == murmurations.StateFailing && strings.Contains(r.Error, "503")
						}
					}
					return false
				})
				ix.Fail(0)
				instancetest.Eventually(t, "the retry registers it and the admin sees it ok", func() bool {
					regs, err := in.Node().MurmurationsStatus(context.Background())
					if err != nil {
						t.Fatal(err)
					}
					return state(beta) == "posted" && len(regs) > 0 && regs[0].ProfileURL == beta &&
						regs[0].State == murmurations.StateOK && regs[0].Error == ""
				})
			})
			t.Run("a deleted enterprise is removed", func(t *testing.T) {
				if st := in.API("DELETE", "/api/v1/enterprises/alpha", nil, nil); st != 204 {
					t.Fatalf("delete: %d", st)
				}
				instancetest.Eventually(t, "alpha's node is deleted", func() bool { return state(alpha) == "deleted" })
			})
		})
	}
}
