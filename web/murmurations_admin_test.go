package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/web"
)

// importer records the imports the admin page starts, as the federation
// node would queue them (federation tests run the real jobs).
type importer struct {
	mu   sync.Mutex
	runs []murmurations.ImportRun
}

func (im *importer) StartMurmurationsImport(ctx context.Context, index string, q murmurations.Query) (string, error) {
	if err := directory.NewService(nil, nil, nil).RequireAdmin(ctx); err != nil {
		return "", err
	}
	rep, err := murmurations.PrepareImport(index, &q)
	if err != nil {
		return "", err
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	im.runs = append(im.runs, murmurations.ImportRun{ID: "1", Query: q, State: murmurations.RunRunning, Report: *rep,
		At: time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)})
	return "1", nil
}

func (im *importer) MurmurationsImports(context.Context) ([]murmurations.ImportRun, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	return append([]murmurations.ImportRun(nil), im.runs...), nil
}

func TestAdminMurmurationsImport(t *testing.T) {
	im := &importer{}
	e := newEnv(t, func(o *web.Options) { o.MurmurationsImport = im })
	ad := e.browser().signIn("admin@test.example")
	const path = "/admin/murmurations"
	t.Run("the admin home links the page; it has the form", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/murmurations"`)
		ad.get(path).want(t, http.StatusOK).has(t, `<label for="f-index">`, `<label for="f-tags">`, "No import in the last day.")
	})
	for _, tt := range []struct {
		name  string
		form  url.Values
		field string
	}{
		{"a latitude that is no number", url.Values{"index": {"https://index.example"}, "lat": {"north"}, "lon": {"1"}, "range": {"1km"}}, "lat"},
		{"an update day that is no date", url.Values{"index": {"https://index.example"}, "last_updated": {"2024-13-45"}}, "last-updated"},
	} {
		t.Run("refuses "+tt.name+" beside the field, nothing started", func(t *testing.T) {
			ad.post(path, tt.form).want(t, http.StatusUnprocessableEntity).has(t, `id="f-`+tt.field+`-error"`)
			if runs, _ := im.MurmurationsImports(context.Background()); len(runs) != 0 {
				t.Fatalf("started %+v", runs)
			}
		})
	}
	for name, form := range map[string]url.Values{
		"an index that is no web address": {"index": {"javascript:alert(1)"}},
		"a range without a place":         {"index": {"https://index.example"}, "range": {"5km"}},
		"a latitude out of range":         {"index": {"https://index.example"}, "lat": {"91"}, "lon": {"0"}, "range": {"5km"}},
	} {
		t.Run("refuses "+name+", nothing started", func(t *testing.T) {
			ad.post(path, form).want(t, http.StatusUnprocessableEntity).has(t, "error-summary")
			if runs, _ := im.MurmurationsImports(context.Background()); len(runs) != 0 {
				t.Fatalf("started %+v", runs)
			}
		})
	}
	t.Run("a good query starts an import, which the page lists", func(t *testing.T) {
		r := ad.post(path, url.Values{"index": {"https://index.example"}, "tags": {"bread, tools"}, "tags_filter": {"and"},
			"lat": {"52,5"}, "lon": {"13.4"}, "range": {"25KM"}, "last_updated": {"2024-05-31"}})
		ad.follow(r, path).want(t, http.StatusOK).has(t, "The import has started", "<td>https://index.example</td>")
		runs, _ := im.MurmurationsImports(context.Background())
		q := runs[0].Query
		if len(runs) != 1 || strings.Join(q.Tags, "|") != "bread|tools" || !q.TagsAll || *q.Lat != 52.5 || q.Range != "25km" ||
			q.LastUpdated != time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC).Unix() {
			t.Fatalf("runs %+v", runs)
		}
	})
	t.Run("an editor may not import", func(t *testing.T) {
		ed := e.browser().signIn("editor@test.example")
		ed.post(path, url.Values{"index": {"https://index.example"}}).want(t, http.StatusForbidden)
	})
}

func TestSameOrganisationOneCard(t *testing.T) {
	e := newEnv(t)
	now := e.svc.Now()
	// The partner's copy of Shaky Hands, its website written another way,
	// and another organisation on the same host.
	for _, c := range []struct{ handle, website string }{{"shaky", "http://www.shaky.example/"}, {"other", "https://shaky.example/other"}} {
		ent := &directory.Enterprise{Handle: c.handle, Name: "Shaky Hands (partner " + c.handle + ")", Kind: directory.KindWorkerCoop,
			Origin: "coop.example", Website: c.website, RemoteID: "https://coop.example/e/" + c.handle, RemoteURL: "https://coop.example/e/" + c.handle,
			Sectors: []string{}, Languages: []string{}, CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.ImportRemote(context.Background(), "coop.example", []*directory.Enterprise{ent}, nil); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("the directory shows one card that says who else lists it", func(t *testing.T) {
		body := string(e.get("/directory?q=shaky").want(t, http.StatusOK).Body)
		if n := strings.Count(body, `href="/enterprises/shakyhands"`); n != 1 {
			t.Errorf("the local entry's card shows %d times", n)
		}
		if strings.Contains(body, `<h3><a href="https://coop.example/e/shaky"`) {
			t.Error("the partner's copy has a card of its own")
		}
		if !strings.Contains(body, `Also listed by <a href="https://coop.example/e/shaky">`) {
			t.Errorf("no also-listed line in %s", body)
		}
		if !strings.Contains(body, `<h3><a href="https://coop.example/e/other"`) {
			t.Error("an organisation at another path of the same host was merged")
		}
	})
	t.Run("the API says so", func(t *testing.T) {
		var page struct {
			Items []struct {
				Handle       string `json:"handle"`
				AlsoListedBy []struct {
					Origin, OriginKind, URL string
				} `json:"also_listed_by"`
			} `json:"items"`
		}
		if err := json.Unmarshal(e.get("/api/v1/enterprises?q=shaky").want(t, http.StatusOK).Body, &page); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, it := range page.Items {
			if it.Handle == "shaky" {
				t.Error("the API lists the partner's copy apart")
			}
			if it.Handle == "shakyhands" {
				found = len(it.AlsoListedBy) == 1 && it.AlsoListedBy[0].Origin == "coop.example" && it.AlsoListedBy[0].URL == "https://coop.example/e/shaky"
			}
		}
		if !found {
			t.Errorf("items %+v", page.Items)
		}
	})
}

func TestMurmurationsOriginFilter(t *testing.T) {
	e := newEnv(t)
	now := e.svc.Now()
	const origin = directory.MurmurationsOriginPrefix + "index.example"
	m := &directory.Enterprise{Handle: "mill-0a1b2c3d", Name: "Windmill Bakery", Kind: directory.KindOther, Origin: origin,
		RemoteID: "https://p.example/mill.json", RemoteURL: "https://mill.example", Website: "https://mill.example",
		Sectors: []string{}, Languages: []string{}, CreatedAt: now, UpdatedAt: now}
	if _, err := e.db.ImportRemote(context.Background(), origin, []*directory.Enterprise{m}, nil); err != nil {
		t.Fatal(err)
	}
	e.get("/directory").want(t, http.StatusOK).has(t, `href="/directory?origin=murmurations"`, "from Murmurations (index.example)")
	e.get("/directory?origin=murmurations").want(t, http.StatusOK).has(t, "Windmill Bakery").lacks(t, "Shaky Hands Carpentry")
	e.get("/directory?origin=partners").want(t, http.StatusOK).lacks(t, "Windmill Bakery")
	e.get("/directory?origin=local").want(t, http.StatusOK).lacks(t, "Windmill Bakery")
}
