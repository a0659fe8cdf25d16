package federation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// addDocumentSeeds seeds f with every golden document we emit and with
// hostile shapes: deep nesting, nulls, wrong types, strings in brackets.
func addDocumentSeeds(f *testing.F) {
	f.Helper()
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.json"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"id":"x","type":"Follow","actor":null}`,
		`{"id":"https://a.example/1","type":"Create","actor":"https://a.example/u","object":{"id":7}}`,
		`{"id":"https://a.example/1","type":["Create"],"actor":["https://a.example/u"]}`,
		`{"id":"a","type":"b","actor":"c","x":"` + strings.Repeat("[", 100) + `"}`,
		strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200),
		`{"id":"https://a.example/u","type":"Person","inbox":"https://a.example/i","publicKey":[{"id":"https://a.example/u#k","owner":"https://a.example/u","publicKeyPem":"x"}]}`,
		`{"type":"Proposal","id":"https://a.example/l/1","attributedTo":"https://a.example/e","publishes":{"resourceQuantity":{"hasNumericalValue":"1e999"}}}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzCheckActivity: the inbox's cheap checks never panic, and what they
// pass has an id, a type and an actor and is within the depth limit.
func FuzzCheckActivity(f *testing.F) {
	addDocumentSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		env, m, err := CheckActivity(raw)
		if err != nil {
			return
		}
		if env.ID == "" || env.Type == "" || env.Actor == "" || m == nil || jsonDepth(raw) > MaxDocumentDepth {
			t.Fatalf("CheckActivity passed %q as %+v", raw, env)
		}
	})
}

// FuzzDecodeActor: an actor document is read plainly and, when accepted,
// keeps its inbox and key on its own host.
func FuzzDecodeActor(f *testing.F) {
	addDocumentSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, err := decodeActor(raw, "https://a.example/u")
		if err != nil {
			return
		}
		if !SameOrigin(a.Inbox, a.ID) || !SameOrigin(a.KeyID, a.ID) || a.PublicKeyPEM == "" {
			t.Fatalf("decodeActor accepted %q as %+v", raw, a)
		}
		if a.SharedInbox != "" && !SameOrigin(a.SharedInbox, a.ID) {
			t.Fatalf("shared inbox %q of %q is elsewhere", a.SharedInbox, a.ID)
		}
	})
}

// FuzzDecodeEntries: the partners' bulk documents (Proposals and
// enterprise entries) decode without panicking, and what decodes is of the
// type asked for; the key document reader never panics either.
func FuzzDecodeEntries(f *testing.F) {
	addDocumentSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		if p, err := DecodeProposal(raw); err == nil && (p.Type != "Proposal" || p.ID == "") {
			t.Fatalf("DecodeProposal accepted %q", raw)
		}
		if e, err := DecodeEnterprise(raw); err == nil && (e.Type != "Organization" || e.ID == "") {
			t.Fatalf("DecodeEnterprise accepted %q", raw)
		}
		keyDocOwner(raw, "https://a.example/u#main-key")
	})
}
