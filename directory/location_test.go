package directory_test

import (
	"math/rand/v2"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestInnerBox(t *testing.T) {
	t.Run("every point of the box is within the distance", func(t *testing.T) {
		r := rand.New(rand.NewPCG(1, 2))
		for range 2000 {
			p := directory.Point{Lat: r.Float64()*178 - 89, Lon: r.Float64()*360 - 180}
			km := []float64{0.5, 10, 100, 1000}[r.IntN(4)]
			b, ok := directory.InnerBox(p, km)
			if !ok {
				continue
			}
			// The corners are the farthest points.
			for _, c := range []directory.Point{{Lat: b.MinLat, Lon: b.MinLon}, {Lat: b.MinLat, Lon: b.MaxLon},
				{Lat: b.MaxLat, Lon: b.MinLon}, {Lat: b.MaxLat, Lon: b.MaxLon}} {
				if d := directory.DistanceKM(p, c); d > km {
					t.Fatalf("corner %+v of the box for %g km around %+v is %g km away", c, km, p, d)
				}
			}
		}
	})
	t.Run("covers most of the circle", func(t *testing.T) {
		b, ok := directory.InnerBox(directory.Point{Lat: 43.04, Lon: -87.91}, 10)
		o := directory.BoundingBox(directory.Point{Lat: 43.04, Lon: -87.91}, 10)
		if !ok || (b.MaxLat-b.MinLat)*(b.MaxLon-b.MinLon) < 0.45*(o.MaxLat-o.MinLat)*(o.MaxLon-o.MinLon) {
			t.Errorf("inner %+v, outer %+v", b, o)
		}
	})
	t.Run("declines where a box is not safe", func(t *testing.T) {
		for _, c := range []struct {
			p  directory.Point
			km float64
		}{{directory.Point{Lat: 0, Lon: 0}, 2000}, {directory.Point{Lat: 88.9, Lon: 0}, 50}, {directory.Point{Lat: 0, Lon: 179.99}, 10}} {
			if b, ok := directory.InnerBox(c.p, c.km); ok {
				t.Errorf("%+v %g km: %+v", c.p, c.km, b)
			}
		}
	})
}
