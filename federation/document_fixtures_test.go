package federation

import (
	"testing"

	"github.com/coopdir/coopdir/federation/ap/aptest"
)

// The fixed inputs of the document tests are in aptest; these two are of
// federation's own types.

func fixtureURLs(t testing.TB) URLs {
	t.Helper()
	u, err := NewURLs(aptest.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func fixtureNetwork() NetworkInfo {
	return NetworkInfo{Name: aptest.NetworkName, Description: aptest.NetworkDescription, Published: aptest.Start}
}
