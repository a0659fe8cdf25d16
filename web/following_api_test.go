package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/web"
)

// testFederator follows without a network: it checks the permission as the
// real one does, stores the follow (pending) through the real store and
// forgets it on Unfollow. Accounts named "nobody" cannot be found, and the
// domain blocked.example is blocked.
type testFederator struct {
	svc   *directory.Service
	store directory.Store
}

func (f *testFederator) Follow(ctx context.Context, handle, account string) (*directory.Following, error) {
	if _, err := f.svc.EditableEnterprise(ctx, handle); err != nil {
		return nil, err
	}
	name, host, ok := strings.Cut(strings.TrimPrefix(account, "@"), "@")
	if !ok || name == "" || host == "" {
		return nil, directory.Errorf(directory.EINVALID, "%s is not an account address", account)
	}
	if name == "nobody" {
		return nil, directory.Errorf(directory.ENOTFOUND, "no account %s@%s was found", name, host)
	}
	if host == "blocked.example" {
		return nil, directory.Errorf(directory.EFORBIDDEN, "%s is blocked on this server", host)
	}
	now := f.svc.Now()
	fl := &directory.Following{Actor: directory.EnterpriseActorKey(handle), TargetID: remoteActor(name, host),
		Account: name + "@" + host, Name: strings.ToUpper(name[:1]) + name[1:] + " Co-op", URL: "https://" + host + "/@" + name,
		Inbox: remoteActor(name, host) + "/inbox", FollowID: fmt.Sprintf("https://test.example/follows/%s/%s@%s", handle, name, host),
		State: directory.FollowPending, CreatedAt: now, UpdatedAt: now}
	if err := f.store.CreateFollowing(ctx, fl); err != nil {
		return nil, err
	}
	return fl, nil
}

func (f *testFederator) Unfollow(ctx context.Context, handle string, id int64) error {
	if _, err := f.svc.FollowingEntry(ctx, handle, id); err != nil {
		return err
	}
	return f.store.DeleteFollowing(ctx, id)
}

// remoteActor is the actor id the test federator gives name@host.
func remoteActor(name, host string) string { return "https://" + host + "/users/" + name }

// newFederatedEnv is newEnv with the test federator.
func newFederatedEnv(t *testing.T) *env {
	t.Helper()
	fed := &testFederator{}
	e := newEnv(t, func(o *web.Options) { o.Federation = fed })
	fed.svc, fed.store = e.svc, e.db
	return e
}

// follow stores a follow of name@host by handle in state, as federation
// would once the account answered.
func (e *env) follow(handle, name, host string, state directory.FollowState) *directory.Following {
	e.t.Helper()
	ctx := context.Background()
	now := e.svc.Now()
	f := &directory.Following{Actor: directory.EnterpriseActorKey(handle), TargetID: remoteActor(name, host),
		Account: name + "@" + host, Name: name, URL: "https://" + host + "/@" + name, Inbox: remoteActor(name, host) + "/inbox",
		FollowID: "https://test.example/follows/" + handle + "/" + name + "@" + host, State: directory.FollowPending,
		CreatedAt: now, UpdatedAt: now}
	if err := e.db.CreateFollowing(ctx, f); err != nil {
		e.t.Fatal(err)
	}
	if state != directory.FollowPending {
		if err := e.db.SetFollowingState(ctx, f.ID, state, now); err != nil {
			e.t.Fatal(err)
		}
		f.State = state
	}
	return f
}

// post stores a feed post by the followed actor source, published at.
func (e *env) post(source, slug string, at time.Time) *directory.FeedPost {
	e.t.Helper()
	p := &directory.FeedPost{ObjectID: source + "/posts/" + slug, Source: source, Author: source, Type: "Note",
		Content: "<p>Post <strong>" + slug + "</strong></p>", URL: source + "/posts/" + slug + "/page", Published: at, Updated: at}
	if err := e.db.SaveFeedPost(context.Background(), p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// followingList is the body of GET …/following.
type followingList struct {
	Items []directory.Following `json:"items"`
	Total int                   `json:"total"`
}

func TestFollowingAPI(t *testing.T) {
	e := newFederatedEnv(t)
	const path = "/api/v1/enterprises/shakyhands/following"
	var made directory.Following

	t.Run("an editor follows an account: 201, pending, with its address", func(t *testing.T) {
		r := e.send(http.MethodPost, path, e.editor, `{"account":"@flora@coop.example"}`).want(t, http.StatusCreated)
		r.decode(t, &made)
		if made.ID == 0 || made.Account != "flora@coop.example" || made.State != directory.FollowPending || made.TargetID != remoteActor("flora", "coop.example") {
			t.Fatalf("got %+v", made)
		}
		if loc, want := r.Header.Get("Location"), fmt.Sprintf("%s%s/%d", e.srv.URL, path, made.ID); loc != want {
			t.Fatalf("Location %q, want %q", loc, want)
		}
	})
	t.Run("lists the follow with its state", func(t *testing.T) {
		var l followingList
		e.send(http.MethodGet, path, e.editor, "").want(t, http.StatusOK).decode(t, &l)
		if l.Total != 1 || len(l.Items) != 1 || l.Items[0].ID != made.ID || l.Items[0].State != directory.FollowPending {
			t.Fatalf("got %+v", l)
		}
	})
	t.Run("shows one follow, to admins too", func(t *testing.T) {
		var f directory.Following
		e.send(http.MethodGet, fmt.Sprintf("%s/%d", path, made.ID), e.admin, "").want(t, http.StatusOK).decode(t, &f)
		if f.Account != "flora@coop.example" || f.Name != "Flora Co-op" {
			t.Fatalf("got %+v", f)
		}
	})
	t.Run("409 for an account already followed", func(t *testing.T) {
		e.send(http.MethodPost, path, e.editor, `{"account":"flora@coop.example"}`).problem(t, http.StatusConflict)
	})
	t.Run("400 naming the field for a missing or malformed account", func(t *testing.T) {
		for body, rule := range map[string]string{
			`{}`:                             "required",
			`{"account":"  "}`:               "required",
			`{"account":"flora"}`:            "format",
			`{"account":"a b@coop.example"}`: "format",
			`{"account":"flora@"}`:           "format",
			`{"account":"ftp://x.example"}`:  "format",
		} {
			p := e.send(http.MethodPost, path, e.editor, body).problem(t, http.StatusBadRequest)
			if got, _ := p.field(t, "account"); got != rule {
				t.Errorf("%s: rule %q, want %q", body, got, rule)
			}
		}
	})
	t.Run("404 naming the field for an account that cannot be found", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.editor, `{"account":"nobody@coop.example"}`).problem(t, http.StatusNotFound)
		p.field(t, "account")
	})
	t.Run("403 naming the field for an account on a blocked domain", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.editor, `{"account":"spam@blocked.example"}`).problem(t, http.StatusForbidden)
		if rule, _ := p.field(t, "account"); rule != "allowed" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("400 for malformed JSON or an unknown member", func(t *testing.T) {
		e.send(http.MethodPost, path, e.editor, `{"account":`).problem(t, http.StatusBadRequest)
		e.send(http.MethodPost, path, e.editor, `{"account":42}`).problem(t, http.StatusBadRequest)
		p := e.send(http.MethodPost, path, e.editor, `{"acount":"flora@coop.example"}`).problem(t, http.StatusBadRequest)
		p.field(t, "acount")
	})
	t.Run("403 for the editor of another enterprise, reads included", func(t *testing.T) {
		other := "/api/v1/enterprises/riverside/following"
		e.send(http.MethodPost, other, e.editor, `{"account":"flora@coop.example"}`).problem(t, http.StatusForbidden)
		e.send(http.MethodGet, other, e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodGet, "/api/v1/enterprises/riverside/feed", e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodGet, "/api/v1/enterprises/riverside/responses", e.editor, "").problem(t, http.StatusForbidden)
	})
	t.Run("401 for anonymous requests, reads included", func(t *testing.T) {
		e.send(http.MethodPost, path, "", `{"account":"ana@coop.example"}`).problem(t, http.StatusUnauthorized)
		for _, p := range []string{path, fmt.Sprintf("%s/%d", path, made.ID), "/api/v1/enterprises/shakyhands/feed", "/api/v1/enterprises/shakyhands/responses"} {
			e.get(p).problem(t, http.StatusUnauthorized)
		}
		e.send(http.MethodDelete, fmt.Sprintf("%s/%d", path, made.ID), "", "").problem(t, http.StatusUnauthorized)
	})
	t.Run("404 for an unknown enterprise or follow", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/enterprises/nobody/following", e.admin, `{"account":"ana@coop.example"}`).problem(t, http.StatusNotFound)
		e.send(http.MethodGet, "/api/v1/enterprises/nobody/following", e.admin, "").problem(t, http.StatusNotFound)
		e.send(http.MethodGet, path+"/99999", e.editor, "").problem(t, http.StatusNotFound)
		e.send(http.MethodGet, path+"/abc", e.editor, "").problem(t, http.StatusNotFound)
	})
	t.Run("another enterprise's follow is not found under this one", func(t *testing.T) {
		theirs := e.follow("riverside", "tools", "share.example", directory.FollowAccepted)
		e.send(http.MethodGet, fmt.Sprintf("%s/%d", path, theirs.ID), e.editor, "").problem(t, http.StatusNotFound)
		e.send(http.MethodDelete, fmt.Sprintf("%s/%d", path, theirs.ID), e.editor, "").problem(t, http.StatusNotFound)
		if _, err := e.svc.FollowingEntry(directory.AsSystem(context.Background()), "riverside", theirs.ID); err != nil {
			t.Fatalf("riverside's follow is gone: %v", err)
		}
	})
	t.Run("DELETE unfollows: 204, then 404", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", path, made.ID)
		r := e.send(http.MethodDelete, one, e.editor, "").want(t, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Fatalf("body %s", r.Body)
		}
		e.send(http.MethodGet, one, e.editor, "").problem(t, http.StatusNotFound)
		e.send(http.MethodDelete, one, e.editor, "").problem(t, http.StatusNotFound)
		var l followingList
		e.send(http.MethodGet, path, e.editor, "").want(t, http.StatusOK).decode(t, &l)
		if l.Total != 0 || l.Items == nil {
			t.Fatalf("got %+v from %s", l, path)
		}
	})
}

func TestFollowingAPIWithoutFederation(t *testing.T) {
	e := newEnv(t)
	const path = "/api/v1/enterprises/shakyhands/following"
	t.Run("following and unfollowing answer 503", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.editor, `{"account":"flora@coop.example"}`).problem(t, http.StatusServiceUnavailable)
		if !strings.Contains(p.Detail, "federation is not enabled") || !strings.HasSuffix(p.Type, "/problems/unavailable") {
			t.Fatalf("problem %+v", p)
		}
		f := e.follow("shakyhands", "flora", "coop.example", directory.FollowAccepted)
		e.send(http.MethodDelete, fmt.Sprintf("%s/%d", path, f.ID), e.editor, "").problem(t, http.StatusServiceUnavailable)
	})
	t.Run("what was followed can still be read", func(t *testing.T) {
		var l followingList
		e.send(http.MethodGet, path, e.editor, "").want(t, http.StatusOK).decode(t, &l)
		if l.Total != 1 {
			t.Fatalf("got %+v", l)
		}
	})
	t.Run("the problem type is documented", func(t *testing.T) {
		e.get("/problems/unavailable").want(t, http.StatusOK).has(t, "federation")
	})
}

// feedPage is the body of GET …/feed.
type feedPage struct {
	Items   []directory.FeedPost `json:"items"`
	Total   int                  `json:"total"`
	Page    int                  `json:"page"`
	PerPage int                  `json:"per_page"`
}

func TestFeedAPI(t *testing.T) {
	e := newFederatedEnv(t)
	const path = "/api/v1/enterprises/shakyhands/feed"
	t.Run("empty: an empty array", func(t *testing.T) {
		r := e.send(http.MethodGet, path, e.editor, "").want(t, http.StatusOK)
		if !strings.Contains(string(r.Body), `"items":[]`) || r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("body %s, Cache-Control %q", r.Body, r.Header.Get("Cache-Control"))
		}
	})
	accepted := e.follow("shakyhands", "flora", "coop.example", directory.FollowAccepted)
	pending := e.follow("shakyhands", "mill", "grain.example", directory.FollowPending)
	day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	e.post(accepted.TargetID, "old", day)
	e.post(accepted.TargetID, "newest", day.Add(48*time.Hour))
	e.post(accepted.TargetID, "middle", day.Add(24*time.Hour))
	e.post(pending.TargetID, "unasked", day.Add(72*time.Hour))

	t.Run("posts of accepted follows only, newest first", func(t *testing.T) {
		var p feedPage
		e.send(http.MethodGet, path, e.editor, "").want(t, http.StatusOK).decode(t, &p)
		if p.Total != 3 || p.Page != 1 || p.PerPage != directory.DefaultPerPage || len(p.Items) != 3 {
			t.Fatalf("got %+v", p)
		}
		for i, slug := range []string{"newest", "middle", "old"} {
			if !strings.HasSuffix(p.Items[i].ObjectID, "/"+slug) {
				t.Errorf("item %d is %s, want %s", i, p.Items[i].ObjectID, slug)
			}
		}
		if p.Items[0].Content != "<p>Post <strong>newest</strong></p>" || p.Items[0].Author != accepted.TargetID {
			t.Errorf("item %+v", p.Items[0])
		}
	})
	t.Run("pages", func(t *testing.T) {
		var p feedPage
		e.send(http.MethodGet, path+"?per_page=2&page=2", e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if p.Total != 3 || p.Page != 2 || p.PerPage != 2 || len(p.Items) != 1 || !strings.HasSuffix(p.Items[0].ObjectID, "/old") {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("400 for bad paging", func(t *testing.T) {
		for _, q := range []string{"?page=x", "?page=501", "?per_page=1000", "?per_page=-1"} {
			e.send(http.MethodGet, path+q, e.editor, "").problem(t, http.StatusBadRequest)
		}
	})
}

// responsePage is the body of GET …/responses.
type responsePage struct {
	Items []directory.Response `json:"items"`
	Total int                  `json:"total"`
	Page  int                  `json:"page"`
}

func TestResponsesAPI(t *testing.T) {
	e := newFederatedEnv(t)
	l, _ := e.respond(t)
	t.Run("lists the replies to the enterprise's entries, newest first", func(t *testing.T) {
		var p responsePage
		e.send(http.MethodGet, "/api/v1/enterprises/shakyhands/responses", e.editor, "").want(t, http.StatusOK).decode(t, &p)
		if p.Total != 2 || len(p.Items) != 2 || p.Page != 1 {
			t.Fatalf("got %+v", p)
		}
		if p.Items[0].AnnouncementID == 0 || p.Items[1].ListingID != l.ID || p.Items[1].AuthorName != "Flora" {
			t.Fatalf("got %+v", p.Items)
		}
	})
	t.Run("another enterprise has none", func(t *testing.T) {
		var p responsePage
		e.send(http.MethodGet, "/api/v1/enterprises/riverside/responses", e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if p.Total != 0 || p.Items == nil {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("400 for bad paging", func(t *testing.T) {
		e.send(http.MethodGet, "/api/v1/enterprises/shakyhands/responses?page=501", e.editor, "").problem(t, http.StatusBadRequest)
	})
}

// respond posts a listing and an announcement of shakyhands and stores a
// reply to each: to the listing first, then to the announcement.
func (e *env) respond(t *testing.T) (*directory.Listing, *directory.Announcement) {
	t.Helper()
	ctx := context.Background()
	sys := directory.AsSystem(ctx)
	ent, err := e.svc.Enterprise(ctx, "shakyhands")
	if err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{Type: directory.Need, Title: "Oak planks", Category: "goods"}
	if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
		t.Fatal(err)
	}
	a := &directory.Announcement{Content: "Open house on Friday"}
	if err := e.svc.CreateAnnouncement(sys, "shakyhands", a); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	for i, r := range []*directory.Response{
		{ListingID: l.ID, Content: "<p>We have <em>oak</em>.</p>", Published: day},
		{AnnouncementID: a.ID, Content: "<p>See you there</p>", Published: day.Add(time.Hour)},
	} {
		r.ObjectID = fmt.Sprintf("https://coop.example/notes/%d", i)
		r.EnterpriseID = ent.ID
		r.Author, r.AuthorName, r.AuthorURL = remoteActor("flora", "coop.example"), "Flora", "https://coop.example/@flora"
		r.URL, r.Updated = r.ObjectID+"/page", r.Published
		if err := e.db.SaveResponse(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return l, a
}
