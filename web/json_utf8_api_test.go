package web_test

import (
	"net/http"
	"testing"
)

func TestJSONBodyRefusesInvalidUTF8(t *testing.T) {
	e := newEnv(t)
	t.Run("400 naming the field on create, and nothing stored", func(t *testing.T) {
		p := e.send(http.MethodPost, "/api/v1/enterprises", e.admin,
			"{\"handle\":\"cafe\",\"name\":\"Caf\xe9\",\"kind\":\"worker_coop\",\"sectors\":[]}").problem(t, http.StatusBadRequest)
		if rule, _ := p.field(t, "name"); rule != "utf8" {
			t.Errorf("rule %q", rule)
		}
		e.get("/api/v1/enterprises/cafe").problem(t, http.StatusNotFound)
	})
	t.Run("400 naming a nested field on update", func(t *testing.T) {
		p := e.send(http.MethodPatch, "/api/v1/enterprises/riverwest", e.admin,
			"{\"location\":{\"address\":\"R\xfcckweg 1\"}}").problem(t, http.StatusBadRequest)
		p.field(t, "location.address")
	})
}
