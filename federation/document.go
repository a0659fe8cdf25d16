package federation

// The documents our actors publish are built by federation/ap from plain
// values; the files here (actor.go, entry.go, listing.go, announcement.go,
// activity.go) decide what each says: which URLs, which addressing, which of
// the directory's fields, and which of coopdir's own terms.

import (
	"github.com/coopdir/coopdir/directory"
)

// onlyLocal refuses to publish a partner's entry: its own instance does.
func onlyLocal(origin, what string) error {
	if origin != "" {
		return directory.Errorf(directory.ENOTFOUND, "%s belongs to %s, which publishes it", what, origin)
	}
	return nil
}
