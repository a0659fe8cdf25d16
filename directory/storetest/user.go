package storetest

import (
	"crypto/sha256"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func hashOf(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

func testUsers(t *testing.T, open opener) {
	t.Run("creates a user and finds them by email with their enterprise", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		u := &directory.User{Email: "ed@bakery.example", Name: "Ed", Role: directory.RoleEditor,
			EnterpriseID: &e.ID, PasswordHash: "$argon2id$v=19$x", CreatedAt: at(7)}
		mustNot(t, s.CreateUser(ctx, u), "create")
		if u.ID == 0 {
			t.Fatal("ID not set")
		}
		got, err := s.FindUserByEmail(ctx, "ed@bakery.example")
		mustNot(t, err, "find")
		want := *u
		want.EnterpriseHandle = "bakery"
		assertSame(t, "user", got, &want)
	})

	t.Run("an admin has no enterprise", func(t *testing.T) {
		s := open(t)
		u := &directory.User{Email: "root@coop.example", Name: "Root", Role: directory.RoleAdmin, CreatedAt: t0}
		mustNot(t, s.CreateUser(ctx, u), "create")
		got, err := s.FindUserByEmail(ctx, "root@coop.example")
		mustNot(t, err, "find")
		if got.EnterpriseID != nil || got.EnterpriseHandle != "" || got.Role != directory.RoleAdmin {
			t.Errorf("admin = %s", show(got))
		}
	})

	t.Run("rejects a taken email with conflict", func(t *testing.T) {
		s := open(t)
		mustNot(t, s.CreateUser(ctx, &directory.User{Email: "a@coop.example", Name: "A", Role: directory.RoleAdmin, CreatedAt: t0}), "create")
		err := s.CreateUser(ctx, &directory.User{Email: "a@coop.example", Name: "B", Role: directory.RoleAdmin, CreatedAt: t0})
		wantCode(t, err, directory.ECONFLICT)
	})

	t.Run("finds no user for an unknown email", func(t *testing.T) {
		s := open(t)
		_, err := s.FindUserByEmail(ctx, "nobody@coop.example")
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("creating a user for a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		missing := int64(4242)
		err := s.CreateUser(ctx, &directory.User{Email: "e@coop.example", Name: "E", Role: directory.RoleEditor,
			EnterpriseID: &missing, CreatedAt: t0})
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindUserByEmail(ctx, "e@coop.example")
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("finds the user owning a token hash", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		u := &directory.User{Email: "ed@bakery.example", Name: "Ed", Role: directory.RoleEditor, EnterpriseID: &e.ID, CreatedAt: t0}
		mustNot(t, s.CreateUser(ctx, u), "create user")
		tok := &directory.Token{UserID: u.ID, Name: "cli", Hash: hashOf("secret"), CreatedAt: t0}
		mustNot(t, s.CreateToken(ctx, tok), "create token")
		if tok.ID == 0 {
			t.Fatal("token ID not set")
		}
		for i := range 2 { // a used token keeps working
			got, err := s.UserByTokenHash(ctx, hashOf("secret"), at(10+i))
			mustNot(t, err, "user by token")
			if got.ID != u.ID || got.Email != u.Email || got.EnterpriseHandle != "bakery" ||
				got.EnterpriseID == nil || *got.EnterpriseID != e.ID {
				t.Errorf("user = %s", show(got))
			}
		}
	})

	t.Run("an unknown token hash is not found", func(t *testing.T) {
		s := open(t)
		u := &directory.User{Email: "a@coop.example", Name: "A", Role: directory.RoleAdmin, CreatedAt: t0}
		mustNot(t, s.CreateUser(ctx, u), "create user")
		mustNot(t, s.CreateToken(ctx, &directory.Token{UserID: u.ID, Name: "t", Hash: hashOf("one"), CreatedAt: t0}), "token")
		_, err := s.UserByTokenHash(ctx, hashOf("two"), t0)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.UserByTokenHash(ctx, nil, t0)
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("creating a token for a missing user is not found", func(t *testing.T) {
		s := open(t)
		err := s.CreateToken(ctx, &directory.Token{UserID: 777, Name: "t", Hash: hashOf("x"), CreatedAt: t0})
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.UserByTokenHash(ctx, hashOf("x"), t0)
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("rejects a duplicate token hash with conflict", func(t *testing.T) {
		s := open(t)
		u := &directory.User{Email: "a@coop.example", Name: "A", Role: directory.RoleAdmin, CreatedAt: t0}
		mustNot(t, s.CreateUser(ctx, u), "create user")
		mustNot(t, s.CreateToken(ctx, &directory.Token{UserID: u.ID, Name: "t", Hash: hashOf("x"), CreatedAt: t0}), "token")
		err := s.CreateToken(ctx, &directory.Token{UserID: u.ID, Name: "t2", Hash: hashOf("x"), CreatedAt: t0})
		wantCode(t, err, directory.ECONFLICT)
	})
}

func testEvents(t *testing.T, open opener) {
	t.Run("records every change in order with the ids the inserts assigned", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		l := newListing(e, directory.Offer, "Bread")
		mustNot(t, s.CreateListing(ctx, l, directory.Event{Type: directory.EventListingCreated, EnterpriseHandle: "bakery", At: at(1)}), "listing")
		a := &directory.Announcement{EnterpriseID: e.ID, Content: "Hi", CreatedAt: at(2)}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, EnterpriseHandle: "bakery", At: at(2)}), "announce")
		l.Title = "Fresh bread"
		mustNot(t, s.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated, EnterpriseHandle: "bakery", ListingID: l.ID, At: at(3)}), "update listing")
		mustNot(t, s.DeleteListing(ctx, l.ID, directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", ListingID: l.ID, At: at(4)}), "delete listing")
		e.Name = "Bakery Two"
		mustNot(t, s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: "bakery", At: at(5)}), "update")
		remote := newEnterprise("mesh", "Mesh")
		remote.Origin, remote.CreatedAt = "partner.example", at(6)
		mustCreateEnterprise(t, s, remote)
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", At: at(7)}), "delete")

		want := []directory.Event{
			{Type: directory.EventEnterpriseCreated, EnterpriseHandle: "bakery", At: t0},
			{Type: directory.EventListingCreated, EnterpriseHandle: "bakery", ListingID: l.ID, At: at(1)},
			{Type: directory.EventAnnouncementCreated, EnterpriseHandle: "bakery", AnnouncementID: a.ID, At: at(2)},
			{Type: directory.EventListingUpdated, EnterpriseHandle: "bakery", ListingID: l.ID, At: at(3)},
			{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", ListingID: l.ID, At: at(4)},
			{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: "bakery", At: at(5)},
			{Type: directory.EventEnterpriseCreated, EnterpriseHandle: "mesh", Origin: "partner.example", At: at(6)},
			{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", At: at(7)},
		}
		got := eventsSince(t, s, 0)
		if len(got) != len(want) {
			t.Fatalf("%d events, want %d: %+v", len(got), len(want), got)
		}
		for i := range want {
			if i > 0 && got[i].ID <= got[i-1].ID {
				t.Errorf("event ids not increasing: %d after %d", got[i].ID, got[i-1].ID)
			}
			want[i].ID = got[i].ID
			assertSame(t, "event "+string(want[i].Type), &got[i], &want[i])
		}

		page := eventsSince(t, s, got[2].ID)
		if len(page) != 5 || page[0].ID != got[3].ID {
			t.Errorf("events after the third: %+v", page)
		}
		limited, err := s.EventsAfter(ctx, got[2].ID, 2)
		mustNot(t, err, "events after")
		if len(limited) != 2 || limited[0].ID != got[3].ID || limited[1].ID != got[4].ID {
			t.Errorf("two events after the third: %+v", limited)
		}
		if rest := eventsSince(t, s, got[len(got)-1].ID); len(rest) != 0 {
			t.Errorf("events after the last: %+v", rest)
		}
	})

	t.Run("returns no events from an empty store", func(t *testing.T) {
		s := open(t)
		if evs := eventsSince(t, s, 0); len(evs) != 0 {
			t.Errorf("events: %+v", evs)
		}
	})
}
