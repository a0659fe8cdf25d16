package storetest

import (
	"errors"
	"sync"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Partnerships (PartnerStore's partners) and the copies of partners'
// entries: ImportRemote, the remote deletes and PurgeOrigin.

func fullPartner(host string) *directory.Partner {
	return &directory.Partner{
		Host: host, ActorID: "https://" + host + "/actor", Inbox: "https://" + host + "/inbox",
		Name: "Cooperation " + host, Summary: "A network of co-ops.", URL: "https://" + host + "/",
		Enterprises: 12, Listings: 40,
		Outgoing: directory.PartnerActive, OutgoingFollowID: "https://here.example/follows/1",
		Incoming: directory.PartnerPending, IncomingFollowID: "https://" + host + "/follows/9",
		Scope: directory.Scope{Kinds: []directory.Kind{directory.KindWorkerCoop, directory.KindTimeBank},
			Categories: []directory.Category{"food", "tools"}, Center: &milwaukee, RadiusKM: 150},
		ExportScope: directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}, Categories: []directory.Category{"tools"}},
		Backfill: directory.Backfill{Next: "https://" + host + "/enterprises?page=3", Imported: 200, Refused: 3,
			At: at(7), Error: "page 3: timeout"},
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func mustCreatePartner(t *testing.T, s directory.Store, p *directory.Partner) *directory.Partner {
	t.Helper()
	mustNot(t, s.CreatePartner(ctx, p), "create partner "+p.Host)
	if p.ID == 0 {
		t.Fatalf("create partner %s left ID 0", p.Host)
	}
	return p
}

func partnerHosts(ps []*directory.Partner) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Host)
	}
	return out
}

func testPartners(t *testing.T, open opener) {
	t.Run("creates partners and reads back every field, scope and backfill included", func(t *testing.T) {
		s := open(t)
		want := mustCreatePartner(t, s, fullPartner("coop.example:8443"))
		got, err := s.FindPartner(ctx, want.ID)
		mustNot(t, err, "find partner")
		assertSame(t, "partner", got, want)
		got, err = s.FindPartnerByHost(ctx, "coop.example:8443")
		mustNot(t, err, "find partner by host")
		assertSame(t, "partner by host", got, want)

		bare := mustCreatePartner(t, s, &directory.Partner{Host: "new.example", CreatedAt: at(3), UpdatedAt: at(3)})
		got, err = s.FindPartner(ctx, bare.ID)
		mustNot(t, err, "find bare partner")
		assertSame(t, "bare partner", got, bare)
		if !got.Scope.IsEmpty() || got.Backfill.Done || !got.Backfill.At.IsZero() {
			t.Errorf("bare partner scope %s, backfill %s", show(got.Scope), show(got.Backfill))
		}
	})
	t.Run("lists partners by host", func(t *testing.T) {
		s := open(t)
		ps, err := s.ListPartners(ctx)
		if err != nil || ps == nil || len(ps) != 0 {
			t.Fatalf("partners of an empty store: %v, %v", ps, err)
		}
		for _, h := range []string{"mid.example", "a.example:8080", "z.example", "a.example"} {
			mustCreatePartner(t, s, fullPartner(h))
		}
		ps, err = s.ListPartners(ctx)
		mustNot(t, err, "list partners")
		wantOrder(t, "partners", partnerHosts(ps), len(ps), "a.example", "a.example:8080", "mid.example", "z.example")
	})
	t.Run("a second partner with the same host is a conflict", func(t *testing.T) {
		s := open(t)
		mustCreatePartner(t, s, fullPartner("coop.example"))
		wantCode(t, s.CreatePartner(ctx, fullPartner("coop.example")), directory.ECONFLICT)
		ps, err := s.ListPartners(ctx)
		mustNot(t, err, "list partners")
		wantOrder(t, "partners", partnerHosts(ps), len(ps), "coop.example")
	})
	t.Run("updates every field but host and creation time", func(t *testing.T) {
		s := open(t)
		orig := mustCreatePartner(t, s, fullPartner("coop.example"))
		changed := &directory.Partner{ID: orig.ID, Host: "other.example", ActorID: "https://coop.example/i",
			Inbox: "https://coop.example/shared", Name: "Renamed", Summary: "", URL: "https://coop.example/home",
			Enterprises: 13, Listings: 0, Outgoing: directory.PartnerRejected, Incoming: directory.PartnerNone,
			Scope:     directory.Scope{Categories: []directory.Category{"care"}},
			Backfill:  directory.Backfill{Imported: 250, Done: true, At: at(20)},
			CreatedAt: at(50), UpdatedAt: at(20)}
		mustNot(t, s.UpdatePartner(ctx, changed), "update partner")
		got, err := s.FindPartner(ctx, orig.ID)
		mustNot(t, err, "find partner")
		want := *changed
		want.Host, want.CreatedAt = orig.Host, orig.CreatedAt
		assertSame(t, "updated partner", got, &want)
		_, err = s.FindPartnerByHost(ctx, "other.example")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("an unknown state is invalid and changes nothing", func(t *testing.T) {
		s := open(t)
		bad := fullPartner("coop.example")
		bad.Outgoing = "accepted"
		wantCode(t, s.CreatePartner(ctx, bad), directory.EINVALID)
		p := mustCreatePartner(t, s, fullPartner("coop.example"))
		bad.ID, bad.Outgoing, bad.Incoming = p.ID, directory.PartnerActive, "maybe"
		wantCode(t, s.UpdatePartner(ctx, bad), directory.EINVALID)
		got, err := s.FindPartner(ctx, p.ID)
		mustNot(t, err, "find partner")
		assertSame(t, "partner", got, p)
	})
	t.Run("changes of a partner that race are applied one after the other, none lost", func(t *testing.T) {
		s := open(t)
		p := mustCreatePartner(t, s, fullPartner("coop.example"))
		// Two answers of the partner at once, each changing its own field
		// of the row, many times over: a read-modify-write that is not
		// one transaction loses some of them.
		const rounds = 20
		var wg sync.WaitGroup
		errs := make(chan error, 2*rounds)
		for i := range rounds {
			wg.Add(2)
			go func() {
				defer wg.Done()
				_, err := s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
					p.Enterprises++
					return nil
				})
				errs <- err
			}()
			go func() {
				defer wg.Done()
				_, err := s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
					p.Listings++
					if i == rounds-1 {
						p.Incoming = directory.PartnerNone
					}
					return nil
				})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			mustNot(t, err, "change partner")
		}
		got, err := s.FindPartner(ctx, p.ID)
		mustNot(t, err, "find partner")
		if got.Enterprises != p.Enterprises+rounds || got.Listings != p.Listings+rounds {
			t.Errorf("after %d changes of each count: enterprises %d (was %d), listings %d (was %d)",
				rounds, got.Enterprises, p.Enterprises, got.Listings, p.Listings)
		}
	})
	t.Run("a change that fails or says no change writes nothing; a missing partner is not found", func(t *testing.T) {
		s := open(t)
		p := mustCreatePartner(t, s, fullPartner("coop.example"))
		refused := directory.Errorf(directory.ECONFLICT, "no request")
		_, err := s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
			p.Name = "Changed"
			return refused
		})
		if !errors.Is(err, refused) {
			t.Errorf("a refused change returned %v, want the refusal", err)
		}
		got, err := s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
			p.Name = "Changed too"
			return directory.ErrNoChange
		})
		mustNot(t, err, "change partner without change")
		assertSame(t, "partner returned by a change that was not", got, p)
		_, err = s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
			p.Outgoing = "maybe"
			return nil
		})
		wantCode(t, err, directory.EINVALID)
		got, err = s.FindPartner(ctx, p.ID)
		mustNot(t, err, "find partner")
		assertSame(t, "partner after changes that were not", got, p)

		called := false
		_, err = s.ChangePartner(ctx, p.ID+1000, func(*directory.Partner) error { called = true; return nil })
		wantCode(t, err, directory.ENOTFOUND)
		if called {
			t.Error("the change ran for a missing partner")
		}
		got, err = s.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
			p.Backfill = directory.Backfill{Done: true, At: at(30)}
			return nil
		})
		mustNot(t, err, "change partner")
		want := *p
		want.Backfill = directory.Backfill{Done: true, At: at(30)}
		assertSame(t, "changed partner as returned", got, &want)
		got, err = s.FindPartner(ctx, p.ID)
		mustNot(t, err, "find partner")
		assertSame(t, "changed partner as stored", got, &want)
	})
	t.Run("deletes a partner; a missing one is not found", func(t *testing.T) {
		s := open(t)
		p := mustCreatePartner(t, s, fullPartner("coop.example"))
		kept := mustCreatePartner(t, s, fullPartner("kept.example"))
		mustNot(t, s.DeletePartner(ctx, p.ID), "delete partner")
		wantCode(t, s.DeletePartner(ctx, p.ID), directory.ENOTFOUND)
		_, err := s.FindPartner(ctx, p.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindPartnerByHost(ctx, p.Host)
		wantCode(t, err, directory.ENOTFOUND)
		ghost := fullPartner("ghost.example")
		ghost.ID = kept.ID + 1000
		wantCode(t, s.UpdatePartner(ctx, ghost), directory.ENOTFOUND)
		ps, err := s.ListPartners(ctx)
		mustNot(t, err, "list partners")
		wantOrder(t, "partners", partnerHosts(ps), len(ps), "kept.example")
		// The host is free again.
		mustCreatePartner(t, s, fullPartner("coop.example"))
	})
	t.Run("a domain block removes the partnerships with its hosts", func(t *testing.T) {
		s := open(t)
		for _, h := range []string{"coop.example", "www.coop.example:8443", "evil-coop.example", "good.example"} {
			mustCreatePartner(t, s, fullPartner(h))
		}
		got := mustBlock(t, s, block("coop.example", 9))
		assertSame(t, "purge", got, &directory.DomainPurge{Partners: 2})
		ps, err := s.ListPartners(ctx)
		mustNot(t, err, "list partners")
		wantOrder(t, "partners", partnerHosts(ps), len(ps), "evil-coop.example", "good.example")
	})
	t.Run("remote entries", func(t *testing.T) { testRemoteEntries(t, open) })
	t.Run("sweeps", func(t *testing.T) { testSweepOrigin(t, open) })
	t.Run("remote announcements", func(t *testing.T) { testRemoteAnnouncements(t, open) })
}
