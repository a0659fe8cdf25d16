package directory_test

import (
	"context"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// network is what federation learns of another network before asking it.
func network(host string) *directory.Partner {
	return &directory.Partner{Host: host, ActorID: "https://" + host + "/actor", Inbox: "https://" + host + "/inbox", Name: "Net of " + host}
}

func TestPartnershipUseCases(t *testing.T) {
	svc := newService(t)
	admin := asUser(t, svc, "admin@coop.example", directory.RoleAdmin, "")
	mustCreate(t, svc, "flora")
	editor := asUser(t, svc, "ed@flora.example", directory.RoleEditor, "flora")

	t.Run("asking stores the network with our request pending, once", func(t *testing.T) {
		p, err := svc.AskPartner(admin, network("chi.example"), directory.Scope{}, "https://here.example/f/1")
		must(t, err)
		if p.ID == 0 || p.Outgoing != directory.PartnerPending || p.OutgoingFollowID != "https://here.example/f/1" {
			t.Fatalf("asked: %+v", p)
		}
		_, err = svc.AskPartner(admin, network("chi.example"), directory.Scope{}, "https://here.example/f/2")
		wantCode(t, err, directory.ECONFLICT)
		if fs := directory.ErrorFields(err); len(fs) != 1 || fs[0].Field != "instance" {
			t.Errorf("fields %+v, want instance", fs)
		}
	})
	t.Run("only admins ask, with a valid scope", func(t *testing.T) {
		_, err := svc.AskPartner(editor, network("mad.example"), directory.Scope{}, "f")
		wantCode(t, err, directory.EFORBIDDEN)
		_, err = svc.AskPartner(context.Background(), network("mad.example"), directory.Scope{}, "f")
		wantCode(t, err, directory.EUNAUTHORIZED)
		_, err = svc.AskPartner(admin, network("mad.example"), directory.Scope{RadiusKM: 10}, "f")
		wantCode(t, err, directory.EINVALID)
		if ps, err := svc.Partners(admin); err != nil || len(ps) != 1 {
			t.Errorf("partners after refusals: %d, %v", len(ps), err)
		}
	})

	var theirs *directory.Partner
	t.Run("a network's request waits for approval, and stays approved when it comes again", func(t *testing.T) {
		p, active, err := svc.PartnerAsked(sys, network("det.example"), "https://det.example/f/9")
		must(t, err)
		if active || p.Incoming != directory.PartnerPending || p.IncomingFollowID != "https://det.example/f/9" {
			t.Fatalf("asked by det: %+v, active %v", p, active)
		}
		_, err = svc.ApprovePartner(editor, p.ID)
		wantCode(t, err, directory.EFORBIDDEN)
		theirs, err = svc.ApprovePartner(admin, p.ID)
		must(t, err)
		if theirs.Incoming != directory.PartnerActive {
			t.Fatalf("approved: %+v", theirs)
		}
		again, active, err := svc.PartnerAsked(sys, network("det.example"), "https://det.example/f/10")
		must(t, err)
		if !active || again.Incoming != directory.PartnerActive || again.IncomingFollowID != "https://det.example/f/10" {
			t.Errorf("asked again: %+v, active %v", again, active)
		}
	})
	t.Run("approving or rejecting what was never asked is a conflict", func(t *testing.T) {
		ps, err := svc.Partners(admin)
		must(t, err)
		for _, p := range ps {
			if p.Host == "chi.example" {
				_, err := svc.ApprovePartner(admin, p.ID)
				wantCode(t, err, directory.ECONFLICT)
				_, err = svc.RejectPartner(admin, p.ID)
				wantCode(t, err, directory.ECONFLICT)
			}
		}
		_, err = svc.ApprovePartner(admin, 999999)
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("a rescope restarts the backfill only of a partner we import from", func(t *testing.T) {
		p, err := svc.SetPartnerScope(admin, theirs.ID, directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}})
		must(t, err)
		if len(p.Scope.Kinds) != 1 || p.Backfill.Sweep {
			t.Errorf("rescoped a partner we do not import from: %+v", p)
		}
		_, err = svc.SetPartnerScope(admin, theirs.ID, directory.Scope{RadiusKM: 5})
		wantCode(t, err, directory.EINVALID)
	})
	t.Run("rejecting ends the request; removing forgets the partner", func(t *testing.T) {
		p, err := svc.RejectPartner(admin, theirs.ID)
		must(t, err)
		if p.Incoming != directory.PartnerRejected {
			t.Errorf("rejected: %+v", p)
		}
		wantCode(t, svc.RemovePartner(editor, theirs.ID), directory.EFORBIDDEN)
		must(t, svc.RemovePartner(admin, theirs.ID))
		_, err = svc.Partner(admin, theirs.ID)
		wantCode(t, err, directory.ENOTFOUND)
	})
}
