package directory_test

import (
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestCheckAccountAddress(t *testing.T) {
	for in, want := range map[string]string{
		"flora@coop.example":               "flora@coop.example",
		"  @flora@coop.example ":           "@flora@coop.example",
		"acct:flora@coop.example":          "acct:flora@coop.example",
		"https://coop.example/users/flora": "https://coop.example/users/flora",
		"HTTP://coop.example/u/1":          "HTTP://coop.example/u/1",
	} {
		if got, err := directory.CheckAccountAddress(in); err != nil || got != want {
			t.Errorf("directory.CheckAccountAddress(%q) = %q, %v; want %q", in, got, err, want)
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
		_, err := directory.CheckAccountAddress(in)
		if rule == "" {
			if err != nil {
				t.Errorf("directory.CheckAccountAddress(%q): %v", in, err)
			}
			continue
		}
		fe := directory.ErrorFields(err)
		if directory.ErrorCode(err) != directory.EINVALID || len(fe) != 1 || fe[0].Field != "account" || fe[0].Rule != rule {
			t.Errorf("directory.CheckAccountAddress(%q) = %v, want rule %q on account", in, err, rule)
		}
	}
}
