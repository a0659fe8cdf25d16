package web

import (
	"errors"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestCheckAccount(t *testing.T) {
	for in, want := range map[string]string{
		"flora@coop.example":               "flora@coop.example",
		"  @flora@coop.example ":           "@flora@coop.example",
		"acct:flora@coop.example":          "acct:flora@coop.example",
		"https://coop.example/users/flora": "https://coop.example/users/flora",
		"HTTP://coop.example/u/1":          "HTTP://coop.example/u/1",
	} {
		if got, err := checkAccount(in); err != nil || got != want {
			t.Errorf("checkAccount(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, rule := range map[string]string{
		"":                          "required",
		"   ":                       "required",
		strings.Repeat("a", 501):    "too_long",
		"flora":                     "format",
		"@flora":                    "format",
		"flora@":                    "format",
		"@coop.example":             "format",
		"a@b@c.example":             "format",
		"flora@coop.example/x":      "format",
		"flo ra@coop.example":       "format",
		"flora@coop.example\n":      "", // a trailing newline is trimmed
		"https://":                  "format",
		"https://u:p@coop.example/": "format",
		"ftp://coop.example/flora":  "format",
	} {
		_, err := checkAccount(in)
		if rule == "" {
			if err != nil {
				t.Errorf("checkAccount(%q): %v", in, err)
			}
			continue
		}
		fe := directory.ErrorFields(err)
		if directory.ErrorCode(err) != directory.EINVALID || len(fe) != 1 || fe[0].Field != "account" || fe[0].Rule != rule {
			t.Errorf("checkAccount(%q) = %v, want rule %q on account", in, err, rule)
		}
	}
}

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
