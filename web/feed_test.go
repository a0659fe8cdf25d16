package web_test

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// atom is an Atom feed as a feed reader decodes it.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Author struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Author struct {
			Name string `xml:"name"`
		} `xml:"author"`
		Category struct {
			Term string `xml:"term,attr"`
		} `xml:"category"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

func (e *env) feed(t *testing.T, path string) atom {
	t.Helper()
	r := e.get(path).want(t, http.StatusOK)
	if ct := r.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	var f atom
	if err := xml.Unmarshal(r.Body, &f); err != nil {
		t.Fatalf("%s is not Atom: %v\n%s", path, err, r.Body)
	}
	if f.ID != e.srv.URL+path || f.Title == "" || f.Author.Name == "" {
		t.Errorf("feed head %+v", f)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("updated %q: %v", f.Updated, err)
	}
	for _, en := range f.Entries {
		if _, err := time.Parse(time.RFC3339, en.Updated); err != nil || en.ID == "" || en.Title == "" || en.Author.Name == "" {
			t.Errorf("entry %+v", en)
		}
	}
	return f
}

func TestFeeds(t *testing.T) {
	e := newEnv(t)
	walnut := e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut","category":"goods","description":"Dry **walnut** & oak"}`)
	e.createListing(`{"enterprise":"riverside","type":"need","title":"Ladders","category":"tools"}`)
	e.createListing(`{"enterprise":"riverside","type":"need","title":"Closed","category":"tools","status":"withdrawn"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Drills","category":"tools"}`)
	e.send(http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", e.editor, `{"content":"Open **house** on Friday"}`).want(t, http.StatusCreated)

	t.Run("needs of the directory, newest first, with ids, links and HTML content", func(t *testing.T) {
		f := e.feed(t, "/feeds/needs.atom")
		if len(f.Entries) != 2 || f.Entries[0].Title != "Need: Ladders" || f.Entries[1].Title != "Need: Walnut" {
			t.Fatalf("entries %+v", f.Entries)
		}
		w := f.Entries[1]
		url := e.srv.URL + "/listings/" + idText(walnut.ID)
		if w.ID != url || w.Link.Href != url || w.Author.Name != "Shaky Hands Carpentry" || w.Category.Term != "goods" ||
			w.Content.Type != "html" || !strings.Contains(w.Content.Body, "<strong>walnut</strong> &amp; oak") {
			t.Errorf("entry %+v", w)
		}
		if f.Updated != f.Entries[0].Updated {
			t.Errorf("feed updated %s, newest entry %s", f.Updated, f.Entries[0].Updated)
		}
	})
	t.Run("offers and announcements of the directory", func(t *testing.T) {
		if f := e.feed(t, "/feeds/offers.atom"); len(f.Entries) != 1 || f.Entries[0].Title != "Offer: Drills" {
			t.Errorf("offers %+v", f.Entries)
		}
		f := e.feed(t, "/feeds/announcements.atom")
		if len(f.Entries) != 1 || f.Entries[0].Title != "Shaky Hands Carpentry: Open house on Friday" ||
			f.Entries[0].Content.Body != "<p>Open <strong>house</strong> on Friday</p>\n" || !strings.Contains(f.Entries[0].ID, "/announcements/") {
			t.Errorf("announcements %+v", f.Entries)
		}
	})
	t.Run("feeds of one enterprise hold only its entries", func(t *testing.T) {
		if f := e.feed(t, "/enterprises/riverside/feeds/needs.atom"); len(f.Entries) != 1 || f.Entries[0].Title != "Need: Ladders" {
			t.Errorf("entries %+v", f.Entries)
		}
		if f := e.feed(t, "/enterprises/riverside/feeds/announcements.atom"); len(f.Entries) != 0 {
			t.Errorf("entries %+v", f.Entries)
		}
	})
	t.Run("keeps the latest 50 entries", func(t *testing.T) {
		for i := range 51 {
			e.createListing(fmt.Sprintf(`{"enterprise":"riverside","type":"offer","title":"Bulk %d","category":"tools"}`, i))
		}
		f := e.feed(t, "/feeds/offers.atom")
		if len(f.Entries) != 50 || f.Entries[0].Title != "Offer: Bulk 50" {
			t.Errorf("%d entries, first %q", len(f.Entries), f.Entries[0].Title)
		}
	})
	t.Run("404 for an unknown feed or enterprise", func(t *testing.T) {
		e.get("/feeds/everything.atom").want(t, http.StatusNotFound)
		e.get("/enterprises/nobody/feeds/needs.atom").want(t, http.StatusNotFound)
	})
	t.Run("an empty directory has empty but valid feeds", func(t *testing.T) {
		b := newBareEnv(t)
		for _, name := range []string{"announcements", "needs", "offers"} {
			if f := b.feed(t, "/feeds/"+name+".atom"); len(f.Entries) != 0 {
				t.Errorf("%s: %+v", name, f.Entries)
			}
		}
	})
}
