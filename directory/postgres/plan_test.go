package postgres

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/storetest"
)

// TestFacetsOfManyMatches runs the facet tests with every text or distance
// query taking the plan meant for many matches, which the suite's small
// data would otherwise never reach.
func TestFacetsOfManyMatches(t *testing.T) {
	serverURL(t)
	saved := lookupSectors
	lookupSectors = -1
	t.Cleanup(func() { lookupSectors = saved })
	storetest.RunFacets(t, func(t *testing.T) directory.Store { return openDB(t) })
}
