package directory_test

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func point(lat, lon float64) directory.Location {
	return directory.Location{Lat: &lat, Lon: &lon}
}

func TestScopeValidate(t *testing.T) {
	center := &directory.Point{Lat: 43.04, Lon: -87.91}
	for _, s := range []directory.Scope{
		{},
		{Kinds: []directory.Kind{directory.KindToolLibrary}, Categories: []directory.Category{"tools"}},
		{Center: center, RadiusKM: 50},
		{Center: center, RadiusKM: directory.MaxScopeRadiusKM},
	} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	for _, c := range []struct {
		s     directory.Scope
		field string
	}{
		{directory.Scope{Kinds: []directory.Kind{"castle"}}, "scope.kinds"},
		{directory.Scope{Categories: []directory.Category{"<script>"}}, "scope.categories"},
		{directory.Scope{RadiusKM: 10}, "scope.center"},
		{directory.Scope{Center: center}, "scope.radius_km"},
		{directory.Scope{Center: center, RadiusKM: -5}, "scope.radius_km"},
		{directory.Scope{Center: center, RadiusKM: directory.MaxScopeRadiusKM + 1}, "scope.radius_km"},
		{directory.Scope{Center: &directory.Point{Lat: 91, Lon: 0}, RadiusKM: 5}, "scope.center"},
		{directory.Scope{Center: &directory.Point{Lat: 0, Lon: -181}, RadiusKM: 5}, "scope.center"},
	} {
		err := c.s.Validate()
		if directory.ErrorCode(err) != directory.EINVALID || !hasField(err, c.field) {
			t.Errorf("%+v: %v, want an error on %s", c.s, err, c.field)
		}
	}
}

func hasField(err error, field string) bool {
	for _, f := range directory.ErrorFields(err) {
		if f.Field == field {
			return true
		}
	}
	return false
}

func TestScopeAllows(t *testing.T) {
	mke, chi := point(43.0389, -87.9065), point(41.8781, -87.6298) // about 130 km apart
	lib := &directory.Enterprise{Kind: directory.KindToolLibrary, Location: mke}
	coop := &directory.Enterprise{Kind: directory.KindWorkerCoop, Location: mke}
	far := &directory.Enterprise{Kind: directory.KindToolLibrary, Location: chi}
	nowhere := &directory.Enterprise{Kind: directory.KindToolLibrary}
	tools := &directory.Listing{Category: "tools"}
	food := &directory.Listing{Category: "food"}
	inChicago := &directory.Listing{Category: "tools", Location: chi}

	open := directory.Scope{}
	if !open.IsEmpty() || !open.AllowsEnterprise(nowhere) || !open.AllowsListing(food, coop) {
		t.Error("an empty scope must let everything through")
	}
	s := directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}, Categories: []directory.Category{"tools"},
		Center: &directory.Point{Lat: 43.0389, Lon: -87.9065}, RadiusKM: 50}
	for _, c := range []struct {
		name string
		got  bool
		want bool
	}{
		{"tool library in the area", s.AllowsEnterprise(lib), true},
		{"worker co-op in the area", s.AllowsEnterprise(coop), false},
		{"tool library outside the area", s.AllowsEnterprise(far), false},
		{"tool library without a place", s.AllowsEnterprise(nowhere), false},
		{"tools listing of the library, placed by its enterprise", s.AllowsListing(tools, lib), true},
		{"food listing of the library", s.AllowsListing(food, lib), false},
		{"tools listing of a worker co-op", s.AllowsListing(tools, coop), false},
		{"tools listing placed outside the area", s.AllowsListing(inChicago, lib), false},
	} {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestPartnerStates(t *testing.T) {
	p := &directory.Partner{Host: "coop.example:8443", Outgoing: directory.PartnerActive, Incoming: directory.PartnerPending}
	if p.Mutual() || !p.Importing() || p.DisplayName() != "coop.example:8443" {
		t.Errorf("%+v", p)
	}
	p.Incoming, p.Name = directory.PartnerActive, "Cooperation Jackson"
	if !p.Mutual() || p.DisplayName() != "Cooperation Jackson" {
		t.Errorf("%+v", p)
	}
}
