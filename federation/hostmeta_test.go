package federation

import (
	"net/http"
	"strings"
	"testing"
)

func TestHostMeta(t *testing.T) {
	h := fixtureDiscovery(t).Routes()
	xrd := discoveryGET(t, h, "/.well-known/host-meta")
	if xrd.Code != http.StatusOK || xrd.Header().Get("Content-Type") != "application/xrd+xml; charset=utf-8" {
		t.Errorf("host-meta: status %d, Content-Type %q", xrd.Code, xrd.Header().Get("Content-Type"))
	}
	if !strings.Contains(xrd.Body.String(), `template="https://coop.example/.well-known/webfinger?resource={uri}"`) {
		t.Errorf("host-meta has no WebFinger template:\n%s", xrd.Body)
	}
	js := discoveryGET(t, h, "/.well-known/host-meta.json")
	if js.Code != http.StatusOK || js.Header().Get("Content-Type") != "application/json" ||
		js.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("host-meta.json: status %d, headers %v", js.Code, js.Header())
	}
}
