package password

import (
	"strings"
	"testing"
)

func TestHashAndVerify(t *testing.T) {
	h := Hasher{P: Params{Memory: 1024, Time: 1, Threads: 1}} // cheap for tests
	enc, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("unexpected encoding %q", enc)
	}
	if ok, err := h.Verify(enc, "correct horse battery"); !ok || err != nil {
		t.Errorf("right password refused: %v %v", ok, err)
	}
	if ok, _ := h.Verify(enc, "correct horse batterz"); ok {
		t.Error("wrong password accepted")
	}
	if enc2, _ := h.Hash("correct horse battery"); enc2 == enc {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=1024,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=99999999,t=1,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=1024,t=1,p=1$!!$a2V5"} {
		if ok, err := (Hasher{}).Verify(bad, "x"); ok || err == nil {
			t.Errorf("Verify(%q) = %v, %v; want false, error", bad, ok, err)
		}
	}
}
