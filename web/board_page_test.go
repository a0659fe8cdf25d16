package web_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestBoardPage(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut offcuts","category":"goods","location":{"address":"Milwaukee, WI","lat":43.04,"lon":-87.91}}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Ladder loans","category":"tools"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Drill loans","category":"tools"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Given away","category":"tools","status":"fulfilled"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Taken back","category":"tools","status":"withdrawn"}`)
	late := e.createListing(`{"enterprise":"riverside","type":"need","title":"Too late","category":"goods"}`)
	e.expire(late.ID, "2020-01-01")

	t.Run("lists open needs and offers, newest first", func(t *testing.T) {
		page := e.page(t, "/board", http.StatusOK)
		contains(t, page, "3 open needs and offers", `<option value="newest" selected>Newest first</option>`)
		lacks(t, page, "Given away", "Taken back", "Too late")
		drill, ladder, walnut := strings.Index(page, "Drill loans"), strings.Index(page, "Ladder loans"), strings.Index(page, "Walnut offcuts")
		if !(drill < ladder && ladder < walnut) {
			t.Error("not newest first")
		}
	})
	t.Run("counts and filters by type", func(t *testing.T) {
		page := e.page(t, "/board", http.StatusOK)
		if n, _ := facet(t, page, "Offers"); n != 2 {
			t.Errorf("offers facet %d", n)
		}
		n, link := facet(t, page, "Needs")
		if n != 1 || link != "/board?type=need" {
			t.Errorf("needs facet %d %s", n, link)
		}
		page = e.page(t, link, http.StatusOK)
		contains(t, page, "1 open need", "Walnut offcuts", `<option value="need" selected>`)
		lacks(t, page, "Ladder loans")
	})
	t.Run("filters by category, words and distance", func(t *testing.T) {
		page := e.page(t, "/board?category=tools&q=ladder", http.StatusOK)
		contains(t, page, "1 open need", "Ladder loans", "Category: Tools")
		page = e.page(t, "/board?near=43.0,-87.9&within_km=25", http.StatusOK)
		contains(t, page, "Walnut offcuts", "km away")
		lacks(t, page, "Ladder loans")
	})
	t.Run("refuses a bad type with the reason beside the field", func(t *testing.T) {
		page := e.page(t, "/board?type=gift", http.StatusBadRequest)
		contains(t, page, `<span class="field-error" id="type-error">Type: must be need or offer</span>`)
	})
	t.Run("helps on an empty board", func(t *testing.T) {
		page := newBareEnv(t).page(t, "/board", http.StatusOK)
		contains(t, page, "0 open needs and offers", "Nothing matches yet: the directory has no open needs or offers so far.")
	})
}
