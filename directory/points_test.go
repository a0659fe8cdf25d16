package directory

import (
	"math"
	"testing"
)

func TestAreaValidate(t *testing.T) {
	cases := []struct {
		name string
		area Area
		want string // field:rule of the first error, "" for none
	}{
		{"takes no box and the default limit", Area{}, ""},
		{"takes a box across the antimeridian", Area{Box: &Box{MinLat: -18, MaxLat: -16, MinLon: 179, MaxLon: -179}}, ""},
		{"takes the whole world", Area{Box: &Box{MinLat: -90, MaxLat: 90, MinLon: -180, MaxLon: 180}, Limit: MaxPoints}, ""},
		{"refuses a latitude past the pole", Area{Box: &Box{MinLat: 0, MaxLat: 91, MinLon: 0, MaxLon: 1}}, "bbox:range"},
		{"refuses north below south", Area{Box: &Box{MinLat: 10, MaxLat: 5, MinLon: 0, MaxLon: 1}}, "bbox:range"},
		{"refuses NaN", Area{Box: &Box{MinLat: math.NaN(), MaxLat: 5, MinLon: 0, MaxLon: 1}}, "bbox:range"},
		{"refuses a longitude past 180", Area{Box: &Box{MinLat: 0, MaxLat: 5, MinLon: 0, MaxLon: 181}}, "bbox:range"},
		{"refuses infinity", Area{Box: &Box{MinLat: 0, MaxLat: 5, MinLon: math.Inf(-1), MaxLon: 1}}, "bbox:range"},
		{"refuses a limit above MaxPoints", Area{Limit: MaxPoints + 1}, "limit:range"},
		{"refuses a negative limit", Area{Limit: -1}, "limit:range"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := c.area
			err := a.Validate()
			got := ""
			if fields := ErrorFields(err); len(fields) > 0 {
				got = fields[0].Field + ":" + fields[0].Rule
			} else if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
			if err == nil && a.Limit == 0 {
				t.Error("the limit was not defaulted")
			}
		})
	}
}
