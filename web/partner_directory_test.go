package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// importFrom stores copies of origin's enterprises with the handles given,
// each with one open need, as a partner's backfill would. It returns the
// needs' ids.
func (e *env) importFrom(origin string, handles ...string) []int64 {
	e.t.Helper()
	now := e.svc.Now()
	var ents []*directory.Enterprise
	var ls []*directory.Listing
	for _, h := range handles {
		ents = append(ents, &directory.Enterprise{Handle: h, Name: "Remote " + h, Kind: directory.KindToolLibrary,
			Sectors: []string{"tools"}, Languages: []string{}, Origin: origin, RemoteID: "https://" + origin + "/enterprises/" + h,
			RemoteURL: "https://" + origin + "/enterprises/" + h, CreatedAt: now, UpdatedAt: now})
		ls = append(ls, &directory.Listing{EnterpriseHandle: h, Type: directory.Need, Title: "Ladders for " + h, Category: "tools",
			Status: directory.StatusOpen, Origin: origin, RemoteID: "https://" + origin + "/listings/" + h,
			RemoteURL: "https://" + origin + "/listings/" + h, CreatedAt: now, UpdatedAt: now})
	}
	res, err := e.db.ImportRemote(context.Background(), origin, ents, ls)
	if err != nil || res.Created != 2*len(handles) {
		e.t.Fatalf("import from %s: %+v, %v", origin, res, err)
	}
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	return ids
}

func TestPartnerEntriesInTheDirectory(t *testing.T) {
	e := newPartnerEnv(t)
	jackson := e.partner("jackson.example", "Cooperation Jackson", directory.PartnerActive, directory.PartnerNone)
	e.partner("chi.example:8443", "Chicago <Commons>", directory.PartnerActive, directory.PartnerActive)
	e.partner("asking.example", "Only Asking", directory.PartnerNone, directory.PartnerPending)
	needs := e.importFrom("jackson.example", "toolshed", "ladders")
	e.importFrom("chi.example:8443", "commons")

	t.Run("the origin facet has a link per partner network, after the partners', with its count", func(t *testing.T) {
		page := e.page(t, "/directory", http.StatusOK)
		if n, _ := facet(t, page, "Partner networks"); n != 3 {
			t.Errorf("partner networks: %d", n)
		}
		n, link := facet(t, page, "Cooperation Jackson")
		if n != 2 || link != "/directory?origin=jackson.example" {
			t.Errorf("Cooperation Jackson: %d at %q", n, link)
		}
		n, link = facet(t, page, "Chicago &lt;Commons&gt;")
		if n != 1 || link != "/directory?origin="+url.QueryEscape("chi.example:8443") {
			t.Errorf("Chicago: %d at %q", n, link)
		}
		if i, j := strings.Index(page, ">Partner networks<"), strings.Index(page, ">Cooperation Jackson<"); i < 0 || j < i {
			t.Error("the partner's link is not after Partner networks")
		}
		lacks(t, page, "Only Asking", "<Commons>")
	})
	t.Run("entries name their network", func(t *testing.T) {
		page := e.page(t, "/directory?origin=jackson.example", http.StatusOK)
		contains(t, page, "from Cooperation Jackson", `href="https://jackson.example/enterprises/toolshed"`, "From: Cooperation Jackson")
		lacks(t, page, "from jackson.example", "Remote commons", "Shaky Hands")
		if n := total(t, page); n != 2 {
			t.Errorf("%d results", n)
		}
		if n, _ := facet(t, page, "Cooperation Jackson"); n != 2 {
			t.Errorf("the chosen partner counts %d", n)
		}
		contains(t, e.page(t, "/directory?show=needs", http.StatusOK), "from Chicago &lt;Commons&gt;", "from Cooperation Jackson")
		contains(t, e.page(t, "/board", http.StatusOK), "from Cooperation Jackson")
		listing := e.page(t, "/listings/"+idText(needs[0]), http.StatusOK)
		contains(t, listing, "(from Cooperation Jackson)", ">On Cooperation Jackson</a>")
	})
	t.Run("the needs tab counts each partner's needs", func(t *testing.T) {
		page := e.page(t, "/directory?show=needs", http.StatusOK)
		if n, _ := facet(t, page, "Cooperation Jackson"); n != 2 {
			t.Errorf("Cooperation Jackson: %d", n)
		}
		if n, _ := facet(t, page, "This network"); n != 0 {
			t.Errorf("this network: %d", n)
		}
	})
	t.Run("a partner without matches gets no link", func(t *testing.T) {
		now := e.svc.Now()
		coop := &directory.Enterprise{Handle: "printers", Name: "Remote printers", Kind: directory.KindWorkerCoop,
			Sectors: []string{}, Languages: []string{}, Origin: "chi.example:8443",
			RemoteID: "https://chi.example:8443/enterprises/printers", CreatedAt: now, UpdatedAt: now}
		if _, err := e.db.ImportRemote(context.Background(), coop.Origin, []*directory.Enterprise{coop}, nil); err != nil {
			t.Fatal(err)
		}
		defer e.db.DeleteRemoteEnterprise(context.Background(), coop.Origin, coop.RemoteID)
		page := e.page(t, "/directory?kind=worker_coop", http.StatusOK)
		if n, _ := facet(t, page, "Chicago &lt;Commons&gt;"); n != 1 {
			t.Errorf("Chicago: %d", n)
		}
		lacks(t, page, ">Cooperation Jackson<")
	})
	t.Run("a text search lists every partner network, without counts", func(t *testing.T) {
		page := e.page(t, "/directory?q=commons", http.StatusOK)
		contains(t, page, "<span>Chicago &lt;Commons&gt;</span></a>", "<span>Cooperation Jackson</span></a>",
			"<span>Partner networks</span></a>", `href="/directory?origin=jackson.example&amp;q=commons"`)
	})
	t.Run("a renamed partner shows its new name on the next search", func(t *testing.T) {
		jackson.Name = "Jackson Rising"
		if err := e.db.UpdatePartner(context.Background(), jackson); err != nil {
			t.Fatal(err)
		}
		page := e.page(t, "/directory", http.StatusOK)
		facet(t, page, "Jackson Rising")
		contains(t, page, "from Jackson Rising")
	})
	t.Run("a host that is no partner is listed by its host when chosen", func(t *testing.T) {
		page := e.page(t, "/directory?origin=gone.example", http.StatusOK)
		if n, _ := facet(t, page, "gone.example"); n != 0 {
			t.Errorf("gone.example: %d", n)
		}
	})
	t.Run("the search API says each entry's origin and takes origin=<host>", func(t *testing.T) {
		var page struct {
			Items []struct {
				Handle string `json:"handle"`
				Origin string `json:"origin"`
			} `json:"items"`
			Total int `json:"total"`
		}
		e.get("/api/v1/enterprises?origin=chi.example:8443").want(t, http.StatusOK).decode(t, &page)
		if page.Total != 1 || page.Items[0].Handle != "commons" || page.Items[0].Origin != "chi.example:8443" {
			t.Fatalf("got %+v", page)
		}
		r := e.get("/api/v1/enterprises?sort=name&per_page=100").want(t, http.StatusOK)
		var raw struct {
			Items []map[string]json.RawMessage `json:"items"`
		}
		r.decode(t, &raw)
		for _, it := range raw.Items {
			handle, origin := string(it["handle"]), string(it["origin"])
			if local := handle == `"shakyhands"` || handle == `"riverside"`; local != (origin == "") {
				t.Errorf("%s has origin %q", handle, origin)
			}
		}
		var ls struct {
			Items []struct {
				Origin string `json:"origin"`
			} `json:"items"`
		}
		e.get("/api/v1/listings?origin=jackson.example").want(t, http.StatusOK).decode(t, &ls)
		if len(ls.Items) != 2 || ls.Items[0].Origin != "jackson.example" {
			t.Fatalf("got %+v", ls)
		}
	})
	t.Run("ending the partnership removes its entries and its link", func(t *testing.T) {
		e.send(http.MethodDelete, "/api/v1/partners/"+idText(jackson.ID), e.admin, "").want(t, http.StatusNoContent)
		page := e.page(t, "/directory", http.StatusOK)
		lacks(t, page, "Jackson Rising", "Remote toolshed")
		facet(t, page, "Chicago &lt;Commons&gt;")
	})
}

func TestPartnerAnnouncementsShown(t *testing.T) {
	e := newPartnerEnv(t)
	e.partner("jackson.example", "Cooperation Jackson", directory.PartnerActive, directory.PartnerNone)
	e.importFrom("jackson.example", "toolshed")
	a := &directory.Announcement{EnterpriseHandle: "toolshed", Content: "Ladder day on Sunday",
		ContentHTML: "<p>Ladder day on Sunday</p>", Origin: "jackson.example",
		RemoteID: "https://jackson.example/announcements/7", CreatedAt: e.svc.Now()}
	res, err := e.db.ImportRemoteAnnouncements(context.Background(), "jackson.example", []*directory.Announcement{a})
	if err != nil || res.Created != 1 {
		t.Fatalf("import: %+v %v", res, err)
	}
	t.Run("the home page lists it with its network", func(t *testing.T) {
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "Ladder day on Sunday", "Remote toolshed (from Cooperation Jackson)")
	})
	t.Run("its own page says where it comes from", func(t *testing.T) {
		page := e.page(t, "/announcements/"+strconv.FormatInt(a.ID, 10), http.StatusOK)
		contains(t, page, "Ladder day on Sunday", "from Cooperation Jackson")
	})
}
