package ap

import (
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/federation/ap/aptest"
)

// FuzzCheckActivity: the inbox's cheap checks never panic, and what they
// pass has an id, a type and an actor and is within the depth limit.
func FuzzCheckActivity(f *testing.F) {
	aptest.AddDocumentSeeds(f, filepath.Join("testdata", "golden"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		env, m, err := CheckActivity(raw)
		if err != nil {
			return
		}
		if env.ID == "" || env.Type == "" || env.Actor == "" || m == nil || Depth(raw) > MaxDocumentDepth {
			t.Fatalf("CheckActivity passed %q as %+v", raw, env)
		}
	})
}
