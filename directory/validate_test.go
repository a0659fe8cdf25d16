package directory

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

var testNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

func validEnterprise() *Enterprise {
	return &Enterprise{Handle: "shakyhands", Name: "Shaky Hands", Kind: KindWorkerCoop}
}

// fieldRules returns "field:rule" for every field error in err.
func fieldRules(err error) []string {
	var out []string
	for _, f := range ErrorFields(err) {
		out = append(out, f.Field+":"+f.Rule)
	}
	return out
}

func TestEnterpriseValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(e *Enterprise)
		want   string // "field:rule", or "" for valid
	}{
		{"accepts a minimal enterprise", func(e *Enterprise) {}, ""},
		{"accepts dots and dashes inside a handle", func(e *Enterprise) { e.Handle = "mke-mesh.coop_1" }, ""},
		{"requires a handle", func(e *Enterprise) { e.Handle = "" }, "handle:required"},
		{"refuses uppercase handles", func(e *Enterprise) { e.Handle = "Shaky" }, "handle:pattern"},
		{"refuses a leading dot", func(e *Enterprise) { e.Handle = ".shaky" }, "handle:pattern"},
		{"refuses a trailing dash", func(e *Enterprise) { e.Handle = "shaky-" }, "handle:pattern"},
		{"refuses double dots", func(e *Enterprise) { e.Handle = "a..b" }, "handle:pattern"},
		{"refuses an at sign", func(e *Enterprise) { e.Handle = "a@b" }, "handle:pattern"},
		{"refuses 31 characters", func(e *Enterprise) { e.Handle = strings.Repeat("a", 31) }, "handle:max_length"},
		{"refuses reserved handles", func(e *Enterprise) { e.Handle = "needs" }, "handle:reserved"},
		{"refuses the handle of the new-enterprise form", func(e *Enterprise) { e.Handle = "new" }, "handle:reserved"},
		{"refuses the instance actor's path", func(e *Enterprise) { e.Handle = "actor" }, "handle:reserved"},
		{"requires a name", func(e *Enterprise) { e.Name = " \n\t " }, "name:required"},
		{"refuses a long name", func(e *Enterprise) { e.Name = strings.Repeat("é", 101) }, "name:max_length"},
		{"refuses invalid UTF-8", func(e *Enterprise) { e.Name = "bad\xff" }, "name:encoding"},
		{"refuses an unknown kind", func(e *Enterprise) { e.Kind = "corporation" }, "kind:enum"},
		{"refuses sectors with markup", func(e *Enterprise) { e.Sectors = []string{"<b>print</b>"} }, "sectors:pattern"},
		{"refuses too many sectors", func(e *Enterprise) {
			for i := range 21 {
				e.Sectors = append(e.Sectors, strings.Repeat("s", i+1))
			}
		}, "sectors:max_items"},
		{"refuses a javascript website", func(e *Enterprise) { e.Website = "javascript:alert(1)" }, "website:url"},
		{"refuses a relative website", func(e *Enterprise) { e.Website = "flora.coop" }, "website:url"},
		{"refuses credentials in a URL", func(e *Enterprise) { e.Website = "https://u:p@flora.coop" }, "website:url"},
		{"refuses a display-name email", func(e *Enterprise) { e.Email = "Flora <info@flora.coop>" }, "email:email"},
		{"refuses letters in a phone", func(e *Enterprise) { e.Phone = "call us" }, "phone:pattern"},
		{"refuses latitude without longitude", func(e *Enterprise) { e.Location.Lat = ptr(43.0) }, "location.lat:pair"},
		{"refuses latitude 91", func(e *Enterprise) { e.Location.Lat, e.Location.Lon = ptr(91.0), ptr(0.0) }, "location.lat:range"},
		{"refuses NaN longitude", func(e *Enterprise) { e.Location.Lat, e.Location.Lon = ptr(0.0), ptr(math.NaN()) }, "location.lon:range"},
		{"refuses a radius without a point", func(e *Enterprise) { e.Location.RadiusKM = ptr(5.0) }, "location.radius_km:requires_point"},
		{"refuses a negative radius", func(e *Enterprise) {
			e.Location.Lat, e.Location.Lon, e.Location.RadiusKM = ptr(43.0), ptr(-87.9), ptr(-1.0)
		}, "location.radius_km:range"},
		{"refuses a founding year in the future", func(e *Enterprise) { e.Founded = 2027 }, "founded:range"},
		{"refuses an unknown membership", func(e *Enterprise) { e.Membership = "maybe" }, "membership:enum"},
		{"refuses a malformed language", func(e *Enterprise) { e.Languages = []string{"english!"} }, "languages:pattern"},
		{"refuses a javascript logo", func(e *Enterprise) { e.Logo = "javascript:x" }, "logo:url"},
		{"refuses a protocol-relative logo", func(e *Enterprise) { e.Logo = "//evil.example/x.png" }, "logo:url"},
		{"refuses markup in a logo path", func(e *Enterprise) { e.Logo = `/x.png"onerror="alert(1)` }, "logo:url"},
		{"accepts a logo path on this instance", func(e *Enterprise) { e.Logo = "/media/logos/flora.png" }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := validEnterprise()
			tt.change(e)
			err := e.Validate(testNow)
			got := fieldRules(err)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			if ErrorCode(err) != EINVALID || !slices.Contains(got, tt.want) {
				t.Fatalf("want %s, got %v (%v)", tt.want, got, err)
			}
		})
	}
}

func TestEnterpriseValidateNormalises(t *testing.T) {
	e := validEnterprise()
	e.Name = "  Shaky \n Hands "
	e.Sectors = []string{" Screen  Printing", "screen printing", "", "Union Shop"}
	e.Languages = []string{"en", " es", "en"}
	if err := e.Validate(testNow); err != nil {
		t.Fatal(err)
	}
	if e.Name != "Shaky Hands" {
		t.Errorf("name = %q", e.Name)
	}
	if !slices.Equal(e.Sectors, []string{"screen printing", "union shop"}) {
		t.Errorf("sectors = %q", e.Sectors)
	}
	if !slices.Equal(e.Languages, []string{"en", "es"}) {
		t.Errorf("languages = %q", e.Languages)
	}
}

func TestEnterpriseValidateReportsEveryField(t *testing.T) {
	e := &Enterprise{Handle: "BAD", Kind: "nope", Email: "x"}
	got := fieldRules(e.Validate(testNow))
	for _, want := range []string{"handle:pattern", "name:required", "kind:enum", "email:email"} {
		if !slices.Contains(got, want) {
			t.Errorf("missing %s in %v", want, got)
		}
	}
}

func TestListingValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(l *Listing)
		want   string
	}{
		{"accepts a minimal need", func(l *Listing) {}, ""},
		{"refuses an unknown type", func(l *Listing) { l.Type = "gift" }, "type:enum"},
		{"requires a title", func(l *Listing) { l.Title = "" }, "title:required"},
		{"refuses an unknown category", func(l *Listing) { l.Category = "weapons" }, "category:enum"},
		{"refuses zero quantity", func(l *Listing) { l.Quantity = ptr(0.0) }, "quantity:range"},
		{"refuses infinite quantity", func(l *Listing) { l.Quantity = ptr(math.Inf(1)) }, "quantity:range"},
		{"refuses a unit without quantity", func(l *Listing) { l.Unit = "boxes" }, "unit:requires_quantity"},
		{"refuses a malformed date", func(l *Listing) { l.ValidUntil = "31/12/2026" }, "valid_until:date"},
		{"refuses an impossible date", func(l *Listing) { l.ValidUntil = "2026-02-30" }, "valid_until:date"},
		{"refuses the derived expired status", func(l *Listing) { l.Status = StatusExpired }, "status:enum"},
		{"refuses a long description", func(l *Listing) { l.Description = strings.Repeat("x", 5001) }, "description:max_length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := &Listing{Type: Need, Title: "Donated drills", Category: "tools"}
			tt.change(l)
			err := l.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if l.Status != StatusOpen {
					t.Errorf("status defaulted to %q, want open", l.Status)
				}
				return
			}
			if got := fieldRules(err); !slices.Contains(got, tt.want) {
				t.Fatalf("want %s, got %v", tt.want, got)
			}
		})
	}
}

func TestListingEffectiveStatus(t *testing.T) {
	l := &Listing{Status: StatusOpen, ValidUntil: "2026-11-24"}
	if s := l.EffectiveStatus(testNow); s != StatusExpired {
		t.Errorf("past valid-until: %s, want expired", s)
	}
	l.ValidUntil = "2026-11-25"
	if s := l.EffectiveStatus(testNow); s != StatusOpen {
		t.Errorf("valid until today: %s, want open", s)
	}
	l.Status, l.ValidUntil = StatusFulfilled, "2020-01-01"
	if s := l.EffectiveStatus(testNow); s != StatusFulfilled {
		t.Errorf("fulfilled and past: %s, want fulfilled", s)
	}
}

func TestListingValidateAt(t *testing.T) {
	base := func(until string) *Listing {
		return &Listing{Type: Need, Title: "Planks", Category: "goods", ValidUntil: until}
	}
	for _, tt := range []struct {
		name, until, previous, want string // want: the rule on valid_until, "" for none
	}{
		{"accepts today", "2026-11-25", "", ""},
		{"accepts no date", "", "", ""},
		{"refuses yesterday", "2026-11-24", "", "past"},
		{"refuses yesterday with spaces around", " 2026-11-24 ", "", "past"},
		{"keeps a past date the listing had", "2020-01-01", "2020-01-01", ""},
		{"refuses a new past date instead of an old one", "2020-01-02", "2020-01-01", "past"},
		{"says a malformed date is malformed, once", "2020-13-01", "", "date"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := base(tt.until).ValidateAt(testNow, tt.previous)
			rules := fieldRules(err)
			if tt.want == "" && err != nil || tt.want != "" && !slices.Equal(rules, []string{"valid_until:" + tt.want}) {
				t.Fatalf("rules %v, want valid_until:%q", rules, tt.want)
			}
		})
	}
}

func TestValidDay(t *testing.T) {
	for day, want := range map[string]bool{
		"2026-11-25":           true,
		"2026-02-29":           false, // not a leap year
		"2026-1-5":             false,
		"2026-11-25T00:00:00Z": false,
		"":                     false,
	} {
		if got := ValidDay(day); got != want {
			t.Errorf("ValidDay(%q) = %v, want %v", day, got, want)
		}
	}
}

func TestQueryValidate(t *testing.T) {
	tests := []struct {
		name string
		q    EnterpriseQuery
		want string
	}{
		{"defaults page and sort", EnterpriseQuery{}, ""},
		{"refuses distance sort without a point", EnterpriseQuery{Sort: SortDistance}, "sort:requires_near"},
		{"refuses an unknown sort", EnterpriseQuery{Sort: "random"}, "sort:enum"},
		{"refuses page 0 after defaulting negative", EnterpriseQuery{Page: Page{Page: -1}}, "page:range"},
		{"refuses huge pages", EnterpriseQuery{Page: Page{PerPage: 1000}}, "per_page:range"},
		{"refuses an unknown kind", EnterpriseQuery{Kinds: []Kind{"x"}}, "kind:enum"},
		{"refuses a radius of zero", EnterpriseQuery{Geo: &Geo{Near: Point{43, -87}}}, "within_km:range"},
		{"refuses latitude 100", EnterpriseQuery{Geo: &Geo{Near: Point{100, 0}, KM: 5}}, "near:range"},
		{"refuses a very long query", EnterpriseQuery{Text: strings.Repeat("co-op ", 50)}, "q:max_length"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			err := q.Validate()
			if tt.want == "" {
				if err != nil || q.Page.Page != 1 || q.PerPage != DefaultPerPage || q.Sort != SortRelevance || q.Origin != OriginAll {
					t.Fatalf("got %+v, %v", q, err)
				}
				return
			}
			if got := fieldRules(err); !slices.Contains(got, tt.want) {
				t.Fatalf("want %s, got %v", tt.want, got)
			}
		})
	}
}

func TestDistanceAndBoundingBox(t *testing.T) {
	mke, chi := Point{43.0389, -87.9065}, Point{41.8781, -87.6298}
	if d := DistanceKM(mke, chi); d < 128 || d > 132 {
		t.Errorf("Milwaukee-Chicago = %.1f km, want about 130", d)
	}
	b := BoundingBox(mke, 10)
	for _, p := range []Point{{43.0389 + 0.089, -87.9065}, {43.0389, -87.9065 + 0.12}} {
		if p.Lat < b.MinLat || p.Lat > b.MaxLat || p.Lon < b.MinLon || p.Lon > b.MaxLon {
			t.Errorf("%v is within 10 km but outside %+v", p, b)
		}
	}
	anti := BoundingBox(Point{0, 179.99}, 20)
	if !anti.CrossesAntimeridian() || anti.MaxLon > -179 {
		t.Errorf("box near the antimeridian = %+v, want it to wrap", anti)
	}
	pole := BoundingBox(Point{89.99, 0}, 50)
	if pole.MinLon != -180 || pole.MaxLon != 180 || pole.MaxLat != 90 {
		t.Errorf("box around the pole = %+v", pole)
	}
}

func TestErrorHelpers(t *testing.T) {
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
	wrapped := Internal(errString("disk on fire"), "save")
	if ErrorCode(wrapped) != EINTERNAL || ErrorMessage(wrapped) != "internal error" {
		t.Errorf("Internal: %s %s", ErrorCode(wrapped), ErrorMessage(wrapped))
	}
	if ErrorCode(errString("x")) != EINTERNAL {
		t.Error("foreign errors must count as internal")
	}
}

type errString string

func (e errString) Error() string { return string(e) }
