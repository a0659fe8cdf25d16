package federation

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestEnterpriseEntryRoundTrip(t *testing.T) {
	u := fixtureURLs(t)
	e := aptest.Enterprise()
	e.Languages, e.Phone, e.Founded, e.Governance, e.Membership = []string{"en", "es"}, "+1 414 555 0100", 2019,
		"One member, one vote.", directory.MembershipOpen
	doc, err := EnterpriseEntry(u, e)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := doc["publicKey"]; ok {
		t.Error("an entry carries no key")
	}
	raw, err := ap.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw), `"kind":"coopdir:kind"`) {
		t.Errorf("the context does not define kind: %s", raw)
	}
	d, err := DecodeEnterprise(raw)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Enterprise(aptest.Later)
	if err != nil {
		t.Fatal(err)
	}
	if got.Origin != "coop.example" || got.RemoteID != "https://coop.example/enterprises/shakyhands" ||
		got.RemoteURL != got.RemoteID || got.Handle != e.Handle || got.Name != e.Name || got.Kind != e.Kind ||
		strings.Join(got.Sectors, ",") != "bakery,food sovereignty" || got.Summary != e.Summary ||
		got.SummaryHTML != e.SummaryHTML || got.Website != e.Website || got.Email != e.Email || got.Phone != e.Phone ||
		got.Founded != 2019 || got.Governance != e.Governance || got.Membership != e.Membership ||
		strings.Join(got.Languages, ",") != "en,es" || got.Logo != "https://coop.example/media/logos/shakyhands.png" ||
		got.Location.Address != e.Location.Address || *got.Location.Lat != *e.Location.Lat ||
		!got.CreatedAt.Equal(e.CreatedAt) || !got.UpdatedAt.Equal(e.UpdatedAt) {
		t.Errorf("round trip:\n got %+v\nwant %+v", got, e)
	}
	// The actor document carries the same terms.
	actor, err := EnterpriseActor(u, e, aptest.PublicKeyPEM)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ = ap.Marshal(actor)
	if d, err := DecodeEnterprise(raw); err != nil || d.Kind != "worker_coop" || d.Founded != 2019 {
		t.Errorf("actor as entry: %+v %v", d, err)
	}
	// A partner's copy is theirs to publish.
	e.Origin = "partner.example"
	if _, err := EnterpriseEntry(u, e); err == nil {
		t.Error("a partner's enterprise was published as an entry")
	}
}

func TestDecodeEnterpriseRefuses(t *testing.T) {
	good := map[string]any{"id": "https://b.example/enterprises/tools", "type": "Organization", "name": "Tools",
		"kind": "tool_library", "published": "2026-01-01T00:00:00Z"}
	for name, change := range map[string]func(m map[string]any){
		"not an organization":      func(m map[string]any) { m["type"] = "Person" },
		"no kind":                  func(m map[string]any) { delete(m, "kind") },
		"unknown kind":             func(m map[string]any) { m["kind"] = "castle" },
		"no id":                    func(m map[string]any) { delete(m, "id") },
		"id of no enterprise":      func(m map[string]any) { m["id"] = "https://b.example/users/tools" },
		"id not http":              func(m map[string]any) { m["id"] = "javascript:alert(1)//enterprises/tools" },
		"no name":                  func(m map[string]any) { m["name"] = "" },
		"bad published":            func(m map[string]any) { m["published"] = "yesterday" },
		"bad updated":              func(m map[string]any) { m["updated"] = "soon" },
		"sectors not strings":      func(m map[string]any) { m["sectors"] = []any{1, 2} },
		"founded in the future":    func(m map[string]any) { m["founded"] = 3000 },
		"website not a web URL":    func(m map[string]any) { m["website"] = "javascript:alert(1)" },
		"email not an address":     func(m map[string]any) { m["email"] = "<script>" },
		"membership not open/shut": func(m map[string]any) { m["membership"] = "maybe" },
	} {
		m := map[string]any{}
		for k, v := range good {
			m[k] = v
		}
		change(m)
		raw, _ := json.Marshal(m)
		d, err := DecodeEnterprise(raw)
		if err == nil {
			_, err = d.Enterprise(aptest.Later)
		}
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	if _, err := DecodeEnterprise([]byte(strings.Repeat("[", 100) + strings.Repeat("]", 100))); err == nil {
		t.Error("deep nesting accepted")
	}
	if _, err := DecodeEnterprise([]byte("not json")); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("garbage: %v", err)
	}
	// An icon that is not an absolute web address is dropped, not kept.
	m := map[string]any{}
	for k, v := range good {
		m[k] = v
	}
	m["icon"] = map[string]any{"type": "Image", "url": "/etc/passwd"}
	raw, _ := json.Marshal(m)
	d, err := DecodeEnterprise(raw)
	if err != nil {
		t.Fatal(err)
	}
	if e, err := d.Enterprise(aptest.Later); err != nil || e.Logo != "" {
		t.Errorf("relative icon: %+v %v", e, err)
	}
}
