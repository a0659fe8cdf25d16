package directory_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestNotifyMatches(t *testing.T) {
	svc := newService(t)
	fund, movers := mustCreate(t, svc, "fund"), mustCreate(t, svc, "movers")
	asUser(t, svc, "ed@fund.test", directory.RoleEditor, "fund")
	asUser(t, svc, "admin@network.test", directory.RoleAdmin, "")
	for _, l := range []struct {
		handle string
		l      *directory.Listing
	}{
		{"fund", &directory.Listing{Type: directory.Need, Title: "Van for a food run", Category: "transport"}},
		{"fund", &directory.Listing{Type: directory.Need, Title: "Van for the move", Category: "transport"}},
		{"movers", &directory.Listing{Type: directory.Offer, Title: "Cargo van with driver", Category: "transport"}},
	} {
		if err := svc.CreateListing(sys, l.handle, l.l); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.MatchPending(sys, 100); err != nil {
		t.Fatal(err)
	}
	var got []*directory.MatchNotice
	failMovers := true
	send := func(_ context.Context, n *directory.MatchNotice) error {
		got = append(got, n)
		if failMovers && n.Enterprise.ID == movers.ID {
			return errors.New("the queue is down")
		}
		return nil
	}

	t.Run("is for the instance only", func(t *testing.T) {
		ed := asUser(t, svc, "ed2@fund.test", directory.RoleEditor, "fund")
		if _, err := svc.NotifyMatches(ed, 10, send); directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Fatalf("err = %v, want EFORBIDDEN", err)
		}
	})
	t.Run("tells each local enterprise once of all its new matches", func(t *testing.T) {
		n, err := svc.NotifyMatches(sys, 10, send)
		if err == nil {
			t.Fatal("a failed send is not reported")
		}
		if n != 0 || len(got) != 2 {
			t.Fatalf("marked %d, %d notices, want 0 and 2 (every match has the failing side)", n, len(got))
		}
		byID := map[int64]*directory.MatchNotice{}
		for _, nt := range got {
			byID[nt.Enterprise.ID] = nt
		}
		f, m := byID[fund.ID], byID[movers.ID]
		if f == nil || m == nil || len(f.Matches) != 2 || len(m.Matches) != 2 {
			t.Fatalf("notices %+v", got)
		}
		if !slices.Contains(f.Recipients, "ed@fund.test") || slices.Contains(f.Recipients, "admin@network.test") {
			t.Errorf("fund's recipients %v, want its editors", f.Recipients)
		}
		if !slices.Equal(m.Recipients, []string{"admin@network.test"}) {
			t.Errorf("movers' recipients %v, want the admins (it has no editor)", m.Recipients)
		}
		for _, match := range f.Matches {
			if match.Of(fund.ID).EnterpriseID != fund.ID || match.Need == nil || match.Offer == nil {
				t.Errorf("match %+v", match)
			}
		}
	})
	t.Run("tries again what failed, and then nothing", func(t *testing.T) {
		got, failMovers = nil, false
		n, err := svc.NotifyMatches(sys, 10, send)
		if err != nil || n != 2 || len(got) != 2 {
			t.Fatalf("second round: marked %d, %d notices, err %v", n, len(got), err)
		}
		got = nil
		if n, err := svc.NotifyMatches(sys, 10, send); err != nil || n != 0 || len(got) != 0 {
			t.Fatalf("third round: marked %d, %d notices, err %v", n, len(got), err)
		}
	})
}
