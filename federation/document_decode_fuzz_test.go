package federation

import (
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/federation/ap/aptest"
)

// goldenDir holds the golden documents, the fuzz seeds.
var goldenDir = filepath.Join("ap", "testdata", "golden")

// FuzzDecodeActor: an actor document is read plainly and, when accepted,
// keeps its inbox and key on its own host.
func FuzzDecodeActor(f *testing.F) {
	aptest.AddDocumentSeeds(f, goldenDir)
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
	aptest.AddDocumentSeeds(f, goldenDir)
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
