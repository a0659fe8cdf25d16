package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/sqlite"
)

var now = time.Date(2026, 11, 25, 15, 4, 5, 123456789, time.UTC)

// newService returns a Service over a fresh SQLite file with a fixed clock.
func newService(t *testing.T) *directory.Service {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/coopdir.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{P: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	svc.Now = func() time.Time { return now }
	return svc
}

var sys = directory.AsSystem(context.Background())

func mustCreate(t *testing.T, svc *directory.Service, handle string) *directory.Enterprise {
	t.Helper()
	e := &directory.Enterprise{Handle: handle, Name: strings.ToUpper(handle), Kind: directory.KindWorkerCoop,
		Summary:  "We **paint**. <script>alert(1)</script>",
		Location: directory.Location{Address: "Milwaukee, WI", Lat: ptr(43.0389), Lon: ptr(-87.9065)}}
	if err := svc.CreateEnterprise(sys, e); err != nil {
		t.Fatal(err)
	}
	return e
}

func ptr[T any](v T) *T { return &v }

func asUser(t *testing.T, svc *directory.Service, email string, role directory.Role, enterprise string) context.Context {
	t.Helper()
	u := &directory.User{Email: email, Name: "Someone", Role: role}
	if err := svc.AddUser(sys, u, enterprise, "long enough password"); err != nil {
		t.Fatal(err)
	}
	return directory.WithUser(context.Background(), u)
}

func TestCreateEnterprise(t *testing.T) {
	svc := newService(t)
	t.Run("renders the summary to sanitized HTML and stamps times", func(t *testing.T) {
		e := mustCreate(t, svc, "flora")
		if !strings.Contains(e.SummaryHTML, "<strong>paint</strong>") || strings.Contains(e.SummaryHTML, "<script") {
			t.Errorf("summary HTML = %q", e.SummaryHTML)
		}
		want := now.Truncate(time.Microsecond)
		if !e.CreatedAt.Equal(want) || !e.UpdatedAt.Equal(want) {
			t.Errorf("times = %v %v, want %v", e.CreatedAt, e.UpdatedAt, want)
		}
	})
	t.Run("names the field when the handle is taken", func(t *testing.T) {
		err := svc.CreateEnterprise(sys, &directory.Enterprise{Handle: "flora", Name: "Other", Kind: directory.KindOther})
		if directory.ErrorCode(err) != directory.ECONFLICT || directory.ErrorFields(err)[0].Field != "handle" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("refuses anonymous callers", func(t *testing.T) {
		err := svc.CreateEnterprise(context.Background(), &directory.Enterprise{Handle: "anon", Name: "A", Kind: directory.KindOther})
		if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("refuses editors", func(t *testing.T) {
		ctx := asUser(t, svc, "ed@flora.example", directory.RoleEditor, "flora")
		err := svc.CreateEnterprise(ctx, &directory.Enterprise{Handle: "new", Name: "N", Kind: directory.KindOther})
		if directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("ignores a claimed origin", func(t *testing.T) {
		e := &directory.Enterprise{Handle: "spoof", Name: "S", Kind: directory.KindOther, Origin: "evil.example", RemoteID: "https://evil.example/x"}
		if err := svc.CreateEnterprise(sys, e); err != nil {
			t.Fatal(err)
		}
		got, err := svc.Enterprise(sys, "spoof")
		if err != nil || got.Origin != "" || got.RemoteID != "" {
			t.Fatalf("got %+v, %v", got, err)
		}
	})
}

func TestEditorsChangeOnlyTheirOwnEnterprise(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	mustCreate(t, svc, "shakyhands")
	editor := asUser(t, svc, "ed@flora.example", directory.RoleEditor, "flora")
	admin := asUser(t, svc, "admin@mke.example", directory.RoleAdmin, "")

	if _, err := svc.UpdateEnterprise(editor, "flora", directory.EnterpriseUpdate{Name: ptr("Flora Cooperative")}); err != nil {
		t.Errorf("editor on own enterprise: %v", err)
	}
	if _, err := svc.UpdateEnterprise(editor, "shakyhands", directory.EnterpriseUpdate{Name: ptr("Mine now")}); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Errorf("editor on another enterprise: %v", err)
	}
	if err := svc.CreateListing(editor, "shakyhands", &directory.Listing{Type: directory.Offer, Title: "x", Category: "goods"}); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Errorf("editor posting for another enterprise: %v", err)
	}
	if err := svc.DeleteEnterprise(editor, "flora"); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Errorf("editor deleting: %v", err)
	}
	if _, err := svc.UpdateEnterprise(admin, "shakyhands", directory.EnterpriseUpdate{Sectors: &[]string{"Printing"}}); err != nil {
		t.Errorf("admin: %v", err)
	}
	if _, err := svc.UpdateEnterprise(admin, "shakyhands", directory.EnterpriseUpdate{Website: ptr("nope")}); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("invalid update: %v", err)
	}
	got, _ := svc.Enterprise(sys, "shakyhands")
	if got.Website != "" || len(got.Sectors) != 1 || got.Sectors[0] != "printing" {
		t.Errorf("stored after a refused update: %+v", got)
	}
}

func TestListingLifecycle(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "tools")
	editor := asUser(t, svc, "ed@tools.example", directory.RoleEditor, "tools")
	l := &directory.Listing{Type: directory.Need, Title: "Donated drills", Category: "tools", Quantity: ptr(3.0), Unit: "drills",
		Description: "[js](javascript:alert(1)) please", ValidUntil: "2026-12-31"}
	if err := svc.CreateListing(editor, "tools", l); err != nil {
		t.Fatal(err)
	}
	if !l.Location.HasPoint() || l.Location.Address != "Milwaukee, WI" {
		t.Errorf("listing did not take the enterprise's location: %+v", l.Location)
	}
	if strings.Contains(l.DescriptionHTML, "javascript") {
		t.Errorf("description HTML = %q", l.DescriptionHTML)
	}
	if _, err := svc.SetListingStatus(editor, l.ID, "done"); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("bad status: %v", err)
	}
	got, err := svc.SetListingStatus(editor, l.ID, directory.StatusFulfilled)
	if err != nil || got.Status != directory.StatusFulfilled {
		t.Fatalf("fulfil: %+v %v", got, err)
	}
	open, err := svc.SearchListings(sys, directory.ListingQuery{Status: directory.StatusOpen})
	if err != nil || open.Total != 0 {
		t.Errorf("fulfilled listing still open: %+v %v", open, err)
	}
	if _, err := svc.UpdateListing(editor, l.ID, directory.ListingUpdate{Quantity: ptr[*float64](nil)}); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("clearing quantity but keeping unit should fail: %v", err)
	}
	if err := svc.DeleteListing(context.Background(), l.ID); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		t.Errorf("anonymous delete: %v", err)
	}
	if err := svc.DeleteListing(editor, l.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Listing(sys, l.ID); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("after delete: %v", err)
	}
}

func TestEveryChangeRecordsAnEvent(t *testing.T) {
	svc := newService(t)
	e := mustCreate(t, svc, "mesh")
	l := &directory.Listing{Type: directory.Offer, Title: "Internet installs", Category: "tech"}
	must(t, svc.CreateListing(sys, "mesh", l))
	_, err := svc.SetListingStatus(sys, l.ID, directory.StatusWithdrawn)
	must(t, err)
	must(t, svc.CreateAnnouncement(sys, "mesh", &directory.Announcement{Content: "New node on the east side"}))
	must(t, svc.DeleteListing(sys, l.ID))
	must(t, svc.DeleteEnterprise(sys, e.Handle))
	evs, err := directory.StoreOf(svc).EventsAfter(sys, 0, 100)
	must(t, err)
	want := []directory.EventType{directory.EventEnterpriseCreated, directory.EventListingCreated, directory.EventListingUpdated,
		directory.EventAnnouncementCreated, directory.EventListingDeleted, directory.EventEnterpriseDeleted}
	if len(evs) != len(want) {
		t.Fatalf("events = %+v", evs)
	}
	for i, ev := range evs {
		if ev.Type != want[i] || ev.EnterpriseHandle != "mesh" {
			t.Errorf("event %d = %+v, want %s for mesh", i, ev, want[i])
		}
	}
	if evs[1].ListingID != l.ID || evs[3].AnnouncementID == 0 {
		t.Errorf("event subjects not filled: %+v", evs)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func row(line int, handle, name string) directory.ImportRow {
	return directory.ImportRow{Line: line, Enterprise: &directory.Enterprise{Handle: handle, Name: name, Kind: directory.KindWorkerCoop}}
}

func TestImportEnterprises(t *testing.T) {
	svc := newService(t)
	t.Run("imports nothing when a row is bad and reports every bad row", func(t *testing.T) {
		res, err := svc.ImportEnterprises(sys, []directory.ImportRow{
			row(2, "good", "Good"), row(3, "BAD", "Bad"), row(4, "good", "Again"), row(5, "noname", ""),
		}, directory.ImportOptions{})
		if directory.ErrorCode(err) != directory.EINVALID || len(res.Invalid) != 3 {
			t.Fatalf("got %+v, %v", res, err)
		}
		if res.Invalid[0].Line != 3 || res.Invalid[1].Line != 4 || res.Invalid[2].Line != 5 {
			t.Errorf("lines = %+v", res.Invalid)
		}
		if _, err := svc.Enterprise(sys, "good"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("good row imported anyway: %v", err)
		}
	})
	t.Run("imports the good rows with skip-invalid", func(t *testing.T) {
		res, err := svc.ImportEnterprises(sys, []directory.ImportRow{row(2, "good", "Good"), row(3, "BAD", "Bad")},
			directory.ImportOptions{SkipInvalid: true})
		if err != nil || res.Created != 1 || len(res.Invalid) != 1 {
			t.Fatalf("got %+v, %v", res, err)
		}
	})
	t.Run("re-importing the same rows changes nothing", func(t *testing.T) {
		res, err := svc.ImportEnterprises(sys, []directory.ImportRow{row(2, "good", "Good")}, directory.ImportOptions{})
		if err != nil || res.Unchanged != 1 || res.Created+res.Updated != 0 {
			t.Fatalf("got %+v, %v", res, err)
		}
	})
	t.Run("updates by handle", func(t *testing.T) {
		res, err := svc.ImportEnterprises(sys, []directory.ImportRow{row(2, "good", "Better")}, directory.ImportOptions{})
		if err != nil || res.Updated != 1 {
			t.Fatalf("got %+v, %v", res, err)
		}
		e, _ := svc.Enterprise(sys, "good")
		if e.Name != "Better" || !e.CreatedAt.Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("after update: %+v", e)
		}
	})
	t.Run("refuses editors", func(t *testing.T) {
		ctx := asUser(t, svc, "ed@good.example", directory.RoleEditor, "good")
		if _, err := svc.ImportEnterprises(ctx, nil, directory.ImportOptions{}); directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Fatalf("got %v", err)
		}
	})
}

func TestUsersAndTokens(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	t.Run("rejects bad user input naming each field", func(t *testing.T) {
		err := svc.AddUser(sys, &directory.User{Email: "not-an-email", Role: "owner"}, "nobody", "short")
		got := map[string]bool{}
		for _, f := range directory.ErrorFields(err) {
			got[f.Field] = true
		}
		for _, f := range []string{"email", "name", "role", "enterprise", "password"} {
			if !got[f] {
				t.Errorf("no error for %s: %v", f, err)
			}
		}
	})
	u := &directory.User{Email: "Ed@Flora.example", Name: "Ed", Role: directory.RoleEditor}
	must(t, svc.AddUser(sys, u, "flora", "a long passphrase"))
	t.Run("refuses a second account with the same email", func(t *testing.T) {
		err := svc.AddUser(sys, &directory.User{Email: "ed@flora.example", Name: "Ed", Role: directory.RoleAdmin}, "", "a long passphrase")
		if directory.ErrorCode(err) != directory.ECONFLICT {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("authenticates a token and nothing else", func(t *testing.T) {
		secret, err := svc.CreateToken(sys, "ED@flora.example", "laptop")
		must(t, err)
		got, err := svc.Authenticate(sys, secret)
		if err != nil || got.ID != u.ID || got.EnterpriseHandle != "flora" {
			t.Fatalf("got %+v, %v", got, err)
		}
		for _, bad := range []string{"", "coopdir_", secret + "x", strings.ToUpper(secret), "Bearer " + secret} {
			if _, err := svc.Authenticate(sys, bad); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
				t.Errorf("Authenticate(%q) = %v", bad, err)
			}
		}
	})
	t.Run("checks passwords", func(t *testing.T) {
		if _, err := svc.Login(sys, "ed@flora.example", "a long passphrase"); err != nil {
			t.Error(err)
		}
		if _, err := svc.Login(sys, "ed@flora.example", "wrong passphrase"); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			t.Error(err)
		}
		if _, err := svc.Login(sys, "nobody@flora.example", "a long passphrase"); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			t.Error(err)
		}
	})
	t.Run("token for an unknown user is not found", func(t *testing.T) {
		if _, err := svc.CreateToken(sys, "ghost@flora.example", ""); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("got %v", err)
		}
	})
}
