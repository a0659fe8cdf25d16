package federation

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
