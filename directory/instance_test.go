package directory_test

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestCheckInstance(t *testing.T) {
	for in, want := range map[string]string{
		"coop.example":                       "coop.example",
		"  Coop.Example  ":                   "coop.example",
		"coop.example:8443":                  "coop.example:8443",
		"https://coop.example/":              "coop.example",
		"https://coop.example:443/directory": "coop.example",
		"http://coop.example:80":             "coop.example",
		"http://Coop.Example:8080/x?y":       "coop.example:8080",
		"127.0.0.1:8080":                     "127.0.0.1:8080",
		"[::1]:8080":                         "[::1]:8080",
		"https://[::1]:443/":                 "[::1]",
	} {
		got, err := directory.CheckInstance(in)
		if err != nil || got != want {
			t.Errorf("directory.CheckInstance(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for in, rule := range map[string]string{
		"": "required", "   ": "required", "coop example": "format", "ftp://coop.example": "format", "https://": "format",
		"a..b": "format", "name@coop.example": "format", "coop.example/x": "format", "coop.example:99999": "format",
		"coop.example:": "format", "https://user@coop.example": "format", "::1": "format", "coop.example:0": "format",
	} {
		_, err := directory.CheckInstance(in)
		fields := directory.ErrorFields(err)
		if directory.ErrorCode(err) != directory.EINVALID || len(fields) != 1 || fields[0].Field != "instance" || fields[0].Rule != rule {
			t.Errorf("directory.CheckInstance(%q): %v %+v, want rule %s", in, err, fields, rule)
		}
	}
}
