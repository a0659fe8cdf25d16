package federation_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// A partner that sends garbage among good entries: the backfill refuses the
// bad ones entry by entry and keeps every good one.
func TestBackfillRefusesGarbageEntryByEntry(t *testing.T) {
	a := startInstance(t, "127.0.0.1:0", tempDB(t))
	var base string
	pages := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.RequestURI()]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/activity+json")
		w.Write([]byte(strings.ReplaceAll(body, "BASE", base)))
	}))
	defer srv.Close()
	base = srv.URL
	org := func(handle, kind string, extra string) string {
		return `{"id":"BASE/enterprises/` + handle + `","type":"Organization","name":"` + handle + `","kind":"` + kind +
			`","published":"2026-01-01T00:00:00Z"` + extra + `}`
	}
	prop := func(id, author, title string) string {
		return `{"id":"BASE/listings/` + id + `","type":"Proposal","attributedTo":"BASE/enterprises/` + author +
			`","name":"` + title + `","purpose":"offer","publishes":{"type":"Intent","resourceConformsTo":"https://github.com/coopdir/coopdir/blob/main/FEDERATION.md#category-tools"},"status":"open","published":"2026-01-01T00:00:00Z"}`
	}
	items := []string{
		org("good", "tool_library", `,"summary":"<p onclick=\"x()\">Tools <script>alert(1)</script></p>"`),
		org("nokind", "castle", ""), // not a kind
		`{"id":"https://elsewhere.example/enterprises/thief","type":"Organization","name":"Thief","kind":"worker_coop","published":"2026-01-01T00:00:00Z"}`, // another origin
		`"just a string"`,              // not an object
		`{"type":"Organization"`[:10],  // cut short: the page would not decode, so left out below
		org("twin", "worker_coop", ""), // twin and twin again: the same handle with two ids
		`{"id":"BASE/enterprises/twin#2","type":"Organization","name":"Twin","kind":"worker_coop","published":"2026-01-01T00:00:00Z"}`,
		org("also-good", "worker_coop", ""),
	}
	items = slices.Delete(items, 4, 5)
	pages["/actor/enterprises?after=0"] = `{"id":"BASE/actor/enterprises?after=0","type":"OrderedCollectionPage","orderedItems":[` +
		strings.Join(items, ",") + `]}`
	pages["/actor/listings?after=0"] = `{"id":"BASE/actor/listings?after=0","type":"OrderedCollectionPage","orderedItems":[` +
		strings.Join([]string{prop("1", "good", "Ladders"), prop("2", "nobody", "Orphan"), `{"type":"Proposal","id":"BASE/listings/3"}`,
			prop("4", "also-good", "Drills")}, ",") + `]}`

	host := strings.TrimPrefix(base, "http://")
	p := &directory.Partner{Host: host, ActorID: base + "/actor", Inbox: base + "/inbox", Name: "Garbage Inc",
		Outgoing: directory.PartnerActive, CreatedAt: a.Service().Now().UTC(), UpdatedAt: a.Service().Now().UTC(),
		// A run started now: the hourly sweep would start a never-run
		// backfill too, and two runs at once count entries twice.
		Backfill: directory.Backfill{At: a.Service().Now().UTC()}}
	store := a.Database()
	if err := store.CreatePartner(sys, p); err != nil {
		t.Fatal(err)
	}
	if err := a.Node().Partners().Backfill(sys, p.ID); err != nil {
		t.Fatal(err)
	}
	got, err := store.FindPartner(sys, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	b := got.Backfill
	if !b.Done || b.Error != "" {
		t.Fatalf("backfill: %+v", b)
	}
	copies := a.copies(host)
	if !slices.Contains(copies, "good") || !slices.Contains(copies, "also-good") || slices.Contains(copies, "nokind") ||
		slices.Contains(copies, "thief") {
		t.Errorf("copies: %v", copies)
	}
	if got := a.openListings(host); !slices.Equal(got, []string{"Drills", "Ladders"}) {
		t.Errorf("listings: %v", got)
	}
	if b.Imported != 5 || b.Refused != 6 { // good, one twin, also-good and two listings; the rest refused
		t.Errorf("imported %d, refused %d of 11 entries", b.Imported, b.Refused)
	}
	e, err := store.FindEnterprise(sys, host, "good")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(e.SummaryHTML, "script") || strings.Contains(e.SummaryHTML, "onclick") || !strings.Contains(e.SummaryHTML, "Tools") {
		t.Errorf("summary not sanitized: %q", e.SummaryHTML)
	}
	// Nothing of the partner's is in the search of another origin.
	if got := a.copies(directory.OriginLocal); len(got) != 0 {
		t.Errorf("local: %v", got)
	}
}
