package web

import (
	"errors"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAccountError(t *testing.T) {
	t.Run("puts a refusal without fields on the account field", func(t *testing.T) {
		err := accountError(directory.Errorf(directory.ECONFLICT, "already follows flora@coop.example"))
		fe := directory.ErrorFields(err)
		if directory.ErrorCode(err) != directory.ECONFLICT || len(fe) != 1 || fe[0].Field != "account" || fe[0].Rule != "unique" ||
			fe[0].Message != "already follows flora@coop.example" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("keeps errors that name their fields, and other codes", func(t *testing.T) {
		named := &directory.Error{Code: directory.EINVALID, Message: "x", Fields: []directory.FieldError{{Field: "account", Rule: "required"}}}
		if accountError(named) != error(named) {
			t.Error("named fields were replaced")
		}
		internal := directory.Internal(errors.New("timeout"), "fetch")
		if accountError(internal) != error(internal) {
			t.Error("an internal error was put on the field")
		}
	})
}
