package web

import "testing"

func TestUTF8Member(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"{\"name\":\"Caf\xe9\"}", "name"},
		{"{\"handle\":\"a\",\"location\":{\"lat\":1,\"address\":\"R\xfcckweg\"}}", "location.address"},
		{"{\"sectors\":[\"food\",\"b\xffkery\"]}", "sectors[1]"},
		{"{\"sectors\":[[\"x\"],{\"a\":1},\"\xff\"]}", "sectors[2]"},
		{"{\"n\xe4me\":\"x\"}", "n\ufffdme"},
		{"{\"name\":\"ok\"} \xff", ""},
		{"\xff", ""},
	} {
		if got := utf8Member([]byte(tc.body), firstBad(tc.body)); got != tc.want {
			t.Errorf("utf8Member(%q) = %q, want %q", tc.body, got, tc.want)
		}
	}
}

func firstBad(s string) int {
	for i := range len(s) {
		if s[i] >= 0x80 && (s[i] == 0xe9 || s[i] == 0xfc || s[i] == 0xff || s[i] == 0xe4) {
			return i
		}
	}
	return -1
}
