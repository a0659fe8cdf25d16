package places

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory/fulltext"
)

func TestFind(t *testing.T) {
	tests := []struct {
		query, label string
	}{
		{"Chicago", "Chicago, Illinois, United States"},
		{"chicago, il", "Chicago, Illinois, United States"},
		{"Chicago IL", "Chicago, Illinois, United States"},
		{"Chicago, US", "Chicago, Illinois, United States"},
		{"Chicago, USA", "Chicago, Illinois, United States"},
		{"Jackson, MS", "Jackson, Mississippi, United States"},
		{"Jackson, Mississippi", "Jackson, Mississippi, United States"},
		{"jackson ms", "Jackson, Mississippi, United States"},
		{"Jackson, MS, US", "Jackson, Mississippi, United States"},
		{"Bologna", "Bologna, Italy"},
		{"Bologna, Italy", "Bologna, Italy"},
		{"Bogota", "Bogotá, Colombia"},
		{"BOGOTÁ", "Bogotá, Colombia"},
		{"Paris", "Paris, France"},
		{"Paris, TX", "Paris, Texas, United States"},
		{"São Paulo", "São Paulo, Brazil"},
		{"Sao Paulo Brazil", "São Paulo, Brazil"},
		{"Toronto, ON", "Toronto, Ontario, Canada"},
		{"Perth, WA", "Perth, Western Australia, Australia"},
		{"Kansas City, Kansas", "Kansas City, Kansas, United States"},
		{"  Munich  ", "Munich, Germany"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			p, ok := Find(tt.query).Best()
			if !ok {
				t.Fatalf("Find(%q) chose nothing: %+v", tt.query, Find(tt.query))
			}
			if p.Label() != tt.label {
				t.Errorf("Find(%q) = %q, want %q", tt.query, p.Label(), tt.label)
			}
		})
	}
}

func TestFindAmbiguous(t *testing.T) {
	r := Find("Jackson")
	if _, ok := r.Best(); ok {
		t.Fatalf("Jackson chose %+v without asking", r.Places[0])
	}
	if r.Total < 10 || len(r.Places) != MaxChoices {
		t.Fatalf("Jackson: total %d, %d places", r.Total, len(r.Places))
	}
	if r.Places[0].Label() != "Jackson, Mississippi, United States" {
		t.Errorf("biggest Jackson = %q", r.Places[0].Label())
	}
	for i := 1; i < len(r.Places); i++ {
		if r.Places[i].Population > r.Places[i-1].Population {
			t.Fatalf("not biggest first: %+v before %+v", r.Places[i-1], r.Places[i])
		}
	}
	// Each choice's query finds it again, on its own.
	for _, p := range r.Places {
		got, ok := Find(p.Query()).Best()
		if !ok || got.Country != p.Country || got.Admin1 != p.Admin1 || got.Name != p.Name {
			t.Errorf("Find(%q) = %+v, %v; want %+v", p.Query(), got, ok, p)
		}
	}
	if _, ok := Find("Springfield").Best(); ok {
		t.Error("Springfield chose without asking")
	}
}

func TestFindUnknown(t *testing.T) {
	for _, q := range []string{"", "   ", "Xyzzyville", "Chicago, France", "!!!", ",,,", "Jackson, Narnia",
		strings.Repeat("Chicago ", 40)} {
		if r := Find(q); r.Total != 0 || len(r.Places) != 0 {
			t.Errorf("Find(%q) found %+v", q, r.Places)
		}
		if _, ok := Find(q).Best(); ok {
			t.Errorf("Find(%q) chose a place", q)
		}
	}
}

func TestFoldMatchesFulltext(t *testing.T) {
	g := mustLoad()
	for _, p := range g.places {
		if got, want := fold(p.Name), fulltext.Fold(p.Name); got != want {
			t.Fatalf("fold(%q) = %q, fulltext.Fold = %q", p.Name, got, want)
		}
	}
	for _, s := range []string{"St. John's", "  A--B  ", "100 Mile House", "x", ""} {
		if got, want := fold(s), fulltext.Fold(s); got != want {
			t.Errorf("fold(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestLoadRejectsBrokenData(t *testing.T) {
	if _, err := load(bytes.NewReader([]byte("not gzip")), countriesTSV); err == nil {
		t.Error("load accepted data that is not gzip")
	}
	if err := Load(); err != nil {
		t.Fatalf("embedded data: %v", err)
	}
	g := mustLoad()
	if n := len(g.places); n < 100000 {
		t.Errorf("%d places, want over 100,000", n)
	}
	for _, p := range []Place{{Country: "IT"}, {Country: "US"}} {
		if p.CountryName() == "" {
			t.Errorf("no name for %s", p.Country)
		}
	}
}

// TestMemory reports what the loaded gazetteer holds (go test -v -run
// TestMemory ./directory/places).
func TestMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	g, err := load(bytes.NewReader(placesGz), countriesTSV)
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d places, %d names: %.1f MB of heap", len(g.places), len(g.byName),
		float64(after.HeapAlloc-before.HeapAlloc)/1e6)
	runtime.KeepAlive(g)
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := load(bytes.NewReader(placesGz), countriesTSV); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFind(b *testing.B) {
	queries := []string{"Chicago", "Jackson, MS", "Bologna", "Bogota", "Springfield", "Chicago IL", "Xyzzyville"}
	if err := Load(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		Find(queries[i%len(queries)])
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lookups/s")
}
