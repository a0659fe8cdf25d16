package web

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	for name, data := range federationSamples() {
		templateSamples[name] = func() any { return data }
	}
	sampleTemplate["admin-following-off"] = "admin_following.html"
	sampleTemplate["admin-feed-empty"] = "admin_feed.html"
	sampleTemplate["admin-responses-empty"] = "admin_responses.html"
	sampleTemplate["admin-reports-all"] = "admin_reports.html"
}

// federationSamples holds data for the following, feed, responses and
// reports pages, with an error on the follow form and hostile text from
// other servers.
func federationSamples() map[string]any {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	admin := &directory.User{ID: 1, Name: "Ada", Email: "ada@t.example", Role: directory.RoleAdmin}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: admin, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}, Notice: "The follow request was sent."}
	e := &directory.Enterprise{ID: 1, Handle: "shakyhands", Name: "Shaky <Hands>", Kind: directory.KindWorkerCoop}
	path := "/admin/enterprises/shakyhands"
	form := followForm()
	form.fill(map[string][]string{"account": {"flora at coop"}})
	form.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid",
		Fields: []directory.FieldError{{Field: "account", Rule: "format", Message: "is wrong <here>"}}})
	form.fail(errors.New("hidden cause"))
	var follows []adminFollowing
	for i, st := range []directory.FollowState{directory.FollowPending, directory.FollowAccepted, directory.FollowRejected} {
		follows = append(follows, adminFollowingRow(&directory.Following{ID: int64(i + 1), Account: "flora@coop.example",
			Name: "Flora <Co-op>", URL: "https://coop.example/@flora", State: st, CreatedAt: now, UpdatedAt: now}, path))
	}
	follows = append(follows, adminFollowingRow(&directory.Following{ID: 9, TargetID: "https://x.example/u/x",
		URL: "javascript:alert(1)", State: directory.FollowAccepted, CreatedAt: now}, path))
	names := followedActors([]*directory.Following{{TargetID: "https://coop.example/users/flora", Name: "Flora",
		Account: "flora@coop.example", URL: "https://coop.example/@flora"}})
	posts := []adminFeedPost{
		adminFeedRow(&directory.FeedPost{ID: 1, Source: "https://coop.example/users/flora", Author: "https://coop.example/users/flora",
			Name: "Harvest <day>", Content: "<p>Come <em>help</em></p>", URL: "https://coop.example/@flora/1", Published: now}, names),
		adminFeedRow(&directory.FeedPost{ID: 2, Source: "https://coop.example/users/flora", Author: "https://far.example/users/x",
			Content: "<p>Boosted</p>", URL: "javascript:alert(1)", Published: now}, names),
	}
	responses := []adminResponse{
		{ID: 1, Author: "Flora <x>", AuthorURL: "https://coop.example/@flora", Published: now, ContentHTML: "<p>We have <em>oak</em></p>",
			URL: "https://coop.example/notes/1", Answers: "the need “Planks”", AnswersURL: "/listings/7"},
		{ID: 2, Author: "coop.example/users/y", Published: now, ContentHTML: "<p>Hi</p>", Answers: "an entry that was deleted"},
	}
	reports := []adminReport{
		{ID: 1, Reporter: "mastodon.example/actor", ReporterURL: "https://mastodon.example/actor", ReceivedAt: now,
			Content: "Spam <script>alert(1)</script>", Objects: []adminLink{{Text: "https://t.example/enterprises/shakyhands", URL: "https://t.example/enterprises/shakyhands"}, {Text: "urn:x", URL: ""}}},
		{ID: 2, Reporter: "other.example/actor", ReceivedAt: now, Resolved: true},
	}
	return map[string]any{
		"admin_following.html": adminFollowingView{adminPage: page, E: e, AdminPath: path, Items: follows, Form: form},
		"admin-following-off":  adminFollowingView{adminPage: page, E: e, AdminPath: path},
		"admin_feed.html":      adminFeedView{adminPage: page, E: e, AdminPath: path, Posts: posts, Total: 45, pager: adminPager(path+"/feed", 2, 45)},
		"admin-feed-empty":     adminFeedView{adminPage: page, E: e, AdminPath: path, pager: adminPager(path+"/feed", 1, 0)},
		"admin_responses.html": adminResponsesView{adminPage: page, E: e, AdminPath: path, Responses: responses, Total: 2, pager: adminPager(path+"/responses", 1, 2),
			Messages: []adminMessage{{ContactMessage: &directory.ContactMessage{ID: 1, Name: "Ana <B>", Reach: "ana@example.org", Message: "Hi\n<b>there</b>"},
				Answers: "the need “Planks”", AnswersURL: "/listings/7"}, {ContactMessage: &directory.ContactMessage{ID: 2, Name: "Ben", Reach: "+1 555"}}},
			MessagesTotal: 30, MessagesPager: pager{Page: 1, Pages: 2, NextURL: path + "/responses?messages=2"}},
		"admin-responses-empty": adminResponsesView{adminPage: page, E: e, AdminPath: path},
		"admin_reports.html":    adminReportsView{adminPage: page, Reports: reports[:1]},
		"admin-reports-all":     adminReportsView{adminPage: page, All: true, Reports: reports},
	}
}

func TestFederationAdminTemplates(t *testing.T) {
	s := &server{pages: parsePages()}
	for name, data := range federationSamples() {
		page := renderSample(t, s, name, data)
		t.Run(name+" labels every control and ties errors to them", func(t *testing.T) {
			for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
				if !strings.Contains(page, `for="`+m[1]+`"`) {
					t.Errorf("control #%s has no label", m[1])
				}
			}
			for _, m := range regexp.MustCompile(`<p class="field-error" id="([^"]+)-error">`).FindAllStringSubmatch(page, -1) {
				if !regexp.MustCompile(`id="` + m[1] + `"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*` + m[1] + `-error"`).MatchString(page) {
					t.Errorf("control #%s is not marked invalid and described by its error", m[1])
				}
				if !strings.Contains(page, `<a href="#`+m[1]+`">`) {
					t.Errorf("the error summary does not link to #%s", m[1])
				}
			}
			for _, bad := range []string{"<here>", "hidden cause", "<script>alert", "javascript:", "<Co-op>", "<day>"} {
				if strings.Contains(page, bad) {
					t.Errorf("page has %q: text from outside was not escaped, or a cause was shown", bad)
				}
			}
			if strings.Contains(page, "<table") && !strings.Contains(page, `<th scope="col">`) {
				t.Error("a table without column headers")
			}
		})
	}
	t.Run("the follow form keeps the input and has its placeholder", func(t *testing.T) {
		page := renderSample(t, s, "admin_following.html", federationSamples()["admin_following.html"])
		for _, want := range []string{`name="account"`, `value="flora at coop"`, `placeholder="name@host"`, "Waiting for approval",
			"Refused", "Cancel the request", `action="/admin/enterprises/shakyhands/following/2/delete"`, "Is wrong &lt;here&gt;"} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
	t.Run("without federation the follow form and buttons are gone", func(t *testing.T) {
		page := renderSample(t, s, "admin-following-off", federationSamples()["admin-following-off"])
		if strings.Contains(page, `name="account"`) || strings.Contains(page, "/delete") || !strings.Contains(page, "not enabled") {
			t.Errorf("page:\n%s", page)
		}
	})
	t.Run("feed posts keep their sanitized HTML and name boosts", func(t *testing.T) {
		page := renderSample(t, s, "admin_feed.html", federationSamples()["admin_feed.html"])
		for _, want := range []string{"<p>Come <em>help</em></p>", "Flora (flora@coop.example)", "boosted by", `href="https://coop.example/@flora"`,
			`href="https://far.example/users/x"`, "far.example/users/x", `rel="next"`, "Page 2 of 3"} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
}
