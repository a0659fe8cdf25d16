package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestTranslationsAPI(t *testing.T) {
	e := newEnv(t)
	path := "/api/v1/enterprises/shakyhands/translations/"
	put := func(token, lang, body string) reply {
		t.Helper()
		return e.do(http.MethodPut, path+lang, token, "application/json", body)
	}
	t.Run("sets a language and reads it back", func(t *testing.T) {
		var got directory.Enterprise
		put(e.editor, "ES", `{"title":"Carpintería","text":"Hacemos *cosas*."}`).want(t, http.StatusOK).decode(t, &got)
		if got.Translations["es"].Title != "Carpintería" {
			t.Fatalf("translations %+v", got.Translations)
		}
		var read directory.Enterprise
		e.do(http.MethodGet, "/api/v1/enterprises/shakyhands", "", "", "").want(t, http.StatusOK).decode(t, &read)
		if !strings.Contains(read.Translations["es"].TextHTML, "<em>cosas</em>") {
			t.Errorf("read %+v", read.Translations)
		}
	})
	t.Run("refuses hostile input with a problem, changing nothing", func(t *testing.T) {
		put(e.editor, "%3Cscript%3E", `{"title":"x"}`).problem(t, http.StatusUnprocessableEntity)
		put(e.editor, "fr", `{"title":"`+strings.Repeat("x", 101)+`"}`).problem(t, http.StatusUnprocessableEntity)
		put(e.editor, "fr", `{"title":5}`).want(t, http.StatusBadRequest)
		put("", "fr", `{"title":"x"}`).want(t, http.StatusUnauthorized)
		got, err := e.svc.Enterprise(directory.AsSystem(context.Background()), "shakyhands")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Translations) != 1 {
			t.Errorf("translations %+v", got.Translations)
		}
	})
	t.Run("removes a language", func(t *testing.T) {
		e.do(http.MethodDelete, path+"es", e.editor, "", "").want(t, http.StatusNoContent)
		e.do(http.MethodDelete, path+"es", e.editor, "", "").problem(t, http.StatusNotFound)
	})
	t.Run("translates a listing", func(t *testing.T) {
		l := e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Chairs","category":"goods"}`)
		var got directory.Listing
		e.do(http.MethodPut, "/api/v1/listings/"+idText(l.ID)+"/translations/es", e.editor, "application/json",
			`{"title":"Sillas"}`).want(t, http.StatusOK).decode(t, &got)
		if got.Translations["es"].Title != "Sillas" {
			t.Errorf("translations %+v", got.Translations)
		}
	})
}
