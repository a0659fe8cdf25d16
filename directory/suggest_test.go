package directory

import "testing"

func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"librery", "library", 2, 1},
		{"bicylce", "bicycle", 2, 1}, // a swap is one edit
		{"cooperatva", "cooperativa", 2, 1},
		{"genosenschaft", "genossenschaft", 2, 1},
		{"kitten", "sitting", 2, 3}, // more than the limit: limit+1
		{"a", "abcdef", 2, 3},
		{"año", "ano", 1, 1}, // runes, not bytes
		{"same", "same", 1, 0},
	} {
		if got := editDistance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("editDistance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}
