package places

import "testing"

func TestWithin(t *testing.T) {
	t.Run("gives the biggest places of a box, biggest first", func(t *testing.T) {
		// Wisconsin and northern Illinois.
		got := Within(-92.9, 41.5, -86.2, 47.1, 5)
		if len(got) != 5 {
			t.Fatalf("%d places, want 5", len(got))
		}
		if got[0].Name != "Chicago" {
			t.Errorf("biggest = %s, want Chicago", got[0].Name)
		}
		names := map[string]bool{}
		for i, p := range got {
			names[p.Name] = true
			if p.Lat < 41.5 || p.Lat > 47.1 || p.Lon < -92.9 || p.Lon > -86.2 {
				t.Errorf("%s (%v,%v) is outside the box", p.Name, p.Lat, p.Lon)
			}
			if i > 0 && p.Population > got[i-1].Population {
				t.Errorf("%s (%d) after %s (%d): not biggest first", p.Name, p.Population, got[i-1].Name, got[i-1].Population)
			}
		}
		if !names["Milwaukee"] {
			t.Errorf("no Milwaukee among %v", names)
		}
	})
	t.Run("crosses the antimeridian when west is above east", func(t *testing.T) {
		got := Within(170, -50, -170, -30, 20) // around New Zealand's east and the Chathams
		if len(got) == 0 {
			t.Fatal("no places across the antimeridian")
		}
		for _, p := range got {
			if p.Lon < 170 && p.Lon > -170 {
				t.Errorf("%s at lon %v is outside", p.Name, p.Lon)
			}
		}
	})
	t.Run("bounds the count and refuses empty boxes", func(t *testing.T) {
		if n := len(Within(-180, -90, 180, 90, 100000)); n != MaxWithin {
			t.Errorf("whole world gave %d, want MaxWithin", n)
		}
		for _, n := range []int{0, -3} {
			if got := Within(-180, -90, 180, 90, n); len(got) != 0 {
				t.Errorf("n=%d gave %d places", n, len(got))
			}
		}
		if got := Within(-10, 10, 10, -10, 5); len(got) != 0 {
			t.Errorf("south above north gave %d places", len(got))
		}
	})
}

func BenchmarkWithin(b *testing.B) {
	Within(0, 0, 1, 1, 1) // load
	for b.Loop() {
		Within(-88.1, 42.9, -87.8, 43.2, 40) // one city's view: a long walk
	}
}
