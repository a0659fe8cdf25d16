package web_test

import (
	"net/http"
	"testing"
)

func TestActorAddressesLeadBrowsersToPages(t *testing.T) {
	e := newEnv(t, withActivityPub)
	client := *e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for path, page := range map[string]string{"/needs": "/board?type=need", "/offers": "/board?type=offer", "/network": "/", "/actor": "/"} {
		t.Run(path, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
			req.Header.Set("Accept", "text/html")
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != page {
				t.Fatalf("browser at %s: %d Location %q, want 302 to %s", path, resp.StatusCode, resp.Header.Get("Location"), page)
			}
			if got := e.getAccept(path, "application/activity+json"); string(got.Body) != "activitypub GET "+path {
				t.Fatalf("ActivityPub client at %s got %d %q", path, got.Status, got.Body)
			}
		})
	}
}
