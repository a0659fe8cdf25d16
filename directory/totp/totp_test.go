package totp

import (
	"bytes"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	c := Codes{}
	secret, uri, err := c.NewSecret("Cooperation Testville", "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 10, 0, 15, 0, time.UTC)
	step := at.Unix() / Period
	for _, tc := range []struct {
		name  string
		shift int64 // steps from at
		ok    bool
	}{
		{"takes the current step", 0, true},
		{"takes the step before (a slow phone)", -1, true},
		{"takes the step after (a fast phone)", 1, true},
		{"refuses two steps back", -2, false},
		{"refuses two steps ahead", 2, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, err := Code(secret, time.Unix((step+tc.shift)*Period, 0))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := c.Check(secret, code, at)
			if ok != tc.ok || (ok && got != step+tc.shift) {
				t.Fatalf("Check = %d, %v; want %d, %v", got, ok, step+tc.shift, tc.ok)
			}
		})
	}
	t.Run("refuses a code of another secret and a malformed secret", func(t *testing.T) {
		other, _, _ := c.NewSecret("X", "bo@example.org")
		code, _ := Code(other, at)
		if mine, _ := Code(secret, at); mine != code {
			if _, ok := c.Check(secret, code, at); ok {
				t.Fatal("took another secret's code")
			}
		}
		if _, ok := c.Check("not base32 !", "123456", at); ok {
			t.Fatal("took a malformed secret")
		}
	})
	t.Run("draws the URI as a PNG", func(t *testing.T) {
		img, err := QR(uri, 200)
		if err != nil || !bytes.HasPrefix(img, []byte("\x89PNG")) {
			t.Fatalf("QR = %d bytes, %v", len(img), err)
		}
	})
}
