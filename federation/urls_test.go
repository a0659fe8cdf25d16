package federation

import (
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestNewURLs(t *testing.T) {
	for _, c := range []struct {
		base, home string
		ok         bool
	}{
		{"https://coop.example", "https://coop.example/", true},
		{"https://coop.example/", "https://coop.example/", true},
		{"http://localhost:8080", "http://localhost:8080/", true},
		{"https://example.org/springfield/", "https://example.org/springfield/", true},
		{"ftp://coop.example", "", false},
		{"coop.example", "", false},
		{"https://coop.example/?x=1", "", false},
		{"https://user:pw@coop.example", "", false},
	} {
		u, err := NewURLs(c.base)
		if (err == nil) != c.ok {
			t.Errorf("NewURLs(%q): error %v", c.base, err)
			continue
		}
		if c.ok && u.Home() != c.home {
			t.Errorf("NewURLs(%q).Home() = %q, want %q", c.base, u.Home(), c.home)
		}
	}
}

func TestURLsMintTheDocumentedLayout(t *testing.T) {
	u := fixtureURLs(t)
	at := time.Date(2026, 3, 14, 15, 9, 26, 535_000_000, time.UTC)
	e := u.Enterprise("shakyhands")
	for got, want := range map[string]string{
		e.ID:                                     "https://coop.example/enterprises/shakyhands",
		e.Inbox:                                  "https://coop.example/enterprises/shakyhands/inbox",
		e.Outbox:                                 "https://coop.example/enterprises/shakyhands/outbox",
		e.Followers:                              "https://coop.example/enterprises/shakyhands/followers",
		e.Following:                              "https://coop.example/enterprises/shakyhands/following",
		e.Featured:                               "https://coop.example/enterprises/shakyhands/featured",
		e.KeyID:                                  "https://coop.example/enterprises/shakyhands#main-key",
		u.Network().ID:                           "https://coop.example/network",
		u.Instance().ID:                          "https://coop.example/actor",
		u.Instance().Inbox:                       "https://coop.example/actor/inbox",
		u.Listings(directory.Need).ID:            "https://coop.example/needs",
		u.Listings(directory.Offer).Outbox:       "https://coop.example/offers/outbox",
		u.SharedInbox():                          "https://coop.example/inbox",
		u.Listing(3):                             "https://coop.example/listings/3",
		u.ListingNote(3):                         "https://coop.example/listings/3/note",
		u.Announcement(7):                        "https://coop.example/announcements/7",
		CreateID(u.Announcement(7)):              "https://coop.example/announcements/7/create",
		UpdateID(u.Listing(3), at):               "https://coop.example/listings/3/update/1773500966535",
		DeleteID(u.Listing(3)):                   "https://coop.example/listings/3/delete",
		UndoID(u.Activity("follow-1")):           "https://coop.example/activities/follow-1/undo",
		u.EnterpriseSearch("sector", "a b"):      "https://coop.example/directory?sector=a+b",
		u.ListingSearch(directory.Need, "tools"): "https://coop.example/directory?show=needs&category=tools",
		u.ListingSearch(directory.Offer, "a b"):  "https://coop.example/directory?show=offers&category=a+b",
		u.Board(directory.Need):                  "https://coop.example/board?type=need",
		u.webFingerTemplate():                    "https://coop.example/.well-known/webfinger?resource={uri}",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestDerivedActivityIDsAreStable(t *testing.T) {
	u := fixtureURLs(t)
	a := u.AnnounceID(u.Network().ID, u.Announcement(7))
	if a != u.AnnounceID(u.Network().ID, u.Announcement(7)) {
		t.Error("the same Announce got two ids")
	}
	for _, other := range []string{
		u.AnnounceID(u.Network().ID, CreateID(u.Announcement(7))),
		u.AnnounceID(u.Listings(directory.Need).ID, u.Announcement(7)),
		u.AcceptID(u.Announcement(7)),
	} {
		if other == a {
			t.Errorf("different activities share the id %s", a)
		}
	}
	if u.AcceptID("https://m.example/f/1") == u.RejectID("https://m.example/f/1") {
		t.Error("an Accept and a Reject of one Follow share an id")
	}
}

func TestParseActorID(t *testing.T) {
	u, _ := NewURLs("https://example.org/springfield")
	for id, want := range map[string]ActorRef{
		"https://example.org/springfield/enterprises/shakyhands": {KindEnterprise, "shakyhands"},
		"https://EXAMPLE.org/springfield/network":                {KindNetwork, "network"},
		"https://example.org/springfield/actor":                  {KindInstance, "instance"},
		"https://example.org/springfield/needs":                  {KindNeeds, "needs"},
		"https://example.org/springfield/offers":                 {KindOffers, "offers"},
	} {
		got, ok := u.ParseActorID(id)
		if !ok || got != want {
			t.Errorf("ParseActorID(%q) = %v %v, want %v", id, got, ok, want)
		}
		// The host may differ in case only; ActorIDOf writes ours.
		if back := u.ActorIDOf(got); !strings.EqualFold(back, id) {
			t.Errorf("ActorIDOf(%v) = %q, want %q", got, back, id)
		}
	}
	for _, id := range []string{
		"https://example.org/enterprises/shakyhands",
		"http://example.org/springfield/network",
		"https://other.example/springfield/network",
		"https://example.org/springfield/enterprises/shakyhands/inbox",
		"https://example.org/springfield/enterprises/",
		"https://example.org/springfield/network?x=1",
		"https://example.org/springfield/listings/3",
	} {
		if ref, ok := u.ParseActorID(id); ok {
			t.Errorf("ParseActorID(%q) = %v, want none", id, ref)
		}
	}
}

func TestResolve(t *testing.T) {
	u := fixtureURLs(t)
	for ref, want := range map[string]string{
		"/media/a.png":              "https://coop.example/media/a.png",
		"https://cdn.example/a.png": "https://cdn.example/a.png",
		"":                          "",
		"//evil.example/a.png":      "",
		"javascript:alert(1)":       "",
		"media/a.png":               "",
	} {
		got, ok := u.Resolve(ref)
		if got != want || ok != (want != "") {
			t.Errorf("Resolve(%q) = %q %v, want %q", ref, got, ok, want)
		}
	}
}
