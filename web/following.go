package web

import (
	"context"
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// Federator follows and unfollows remote accounts for an enterprise; cmd fills it with the federation package's implementation.
type Federator interface {
	// Follow looks account (name@host, @name@host, or an actor URL) up and sends a Follow from the enterprise; returns the stored follow (state pending). EINVALID for a malformed account, ENOTFOUND when it cannot be found, ECONFLICT when already followed, EUNAUTHORIZED/EFORBIDDEN for users who may not manage the enterprise. Errors are *directory.Error with safe messages.
	Follow(ctx context.Context, handle, account string) (*directory.Following, error)
	// Unfollow sends Undo{Follow} (when the follow was not rejected) and forgets follow id of the enterprise. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
	Unfollow(ctx context.Context, handle string, id int64) error
}

// errNoFederation answers a follow or unfollow when the instance runs
// without federation (Options.Federation is nil).
var errNoFederation = &requestError{status: http.StatusServiceUnavailable,
	detail: "federation is not enabled on this server"}

func init() {
	problemTypes[http.StatusServiceUnavailable] = "unavailable"
	problemAbout["unavailable"] = msg("This server cannot do this now, or does not offer it: " +
		"following accounts on other servers, for one, needs federation to be enabled.")
}

// accountRules name the rule an account broke when the Federator refuses
// it with this code. The handlers check the user's permission before they
// call Follow, so EFORBIDDEN from it is about the account (a blocked domain).
var accountRules = map[string]string{
	directory.EINVALID: "format", directory.ENOTFOUND: "exists",
	directory.ECONFLICT: "unique", directory.EFORBIDDEN: "allowed",
}

// accountError puts a refusal of the Federator on the account field, so a
// form shows it beside the control and a problem names the field.
func accountError(err error) error {
	code := directory.ErrorCode(err)
	rule, ok := accountRules[code]
	if !ok || len(directory.ErrorFields(err)) > 0 {
		return err
	}
	msg := directory.ErrorMessage(err)
	return &directory.Error{Code: code, Message: msg, Err: err,
		Fields: []directory.FieldError{{Field: "account", Rule: rule, Message: msg}}}
}
