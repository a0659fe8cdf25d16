package exchange

import (
	"encoding/csv"
	"hash/fnv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// SEAColumns are the columns of the Solidarity Economy Association's
// standard CSV, in order: the "Solidarity Economy Initiatives" schema,
// version 4, of github.com/DigitalCommons/se-open-data
// (lib/se_open_data/csv/schemas.rb). Lists are separated by ";"; terms are
// ESSGlobal URIs (essglobal.go).
var SEAColumns = []string{
	"Identifier", "Name", "Description", "Organisational Structure", "Primary Activity", "Activities",
	"Street Address", "Locality", "Region", "Postcode", "Country ID", "Territory ID", "Website", "Phone",
	"Email", "Twitter", "Facebook", "Companies House Number", "Qualifiers", "Membership Type",
	"Latitude", "Longitude", "Geo Container", "Geo Container Latitude", "Geo Container Longitude",
}

// SEAExtraColumns follow SEAColumns in an export: our fields that SEA
// lacks, so that a round trip keeps them (SEA's datasets add columns of
// their own, which its tools ignore). A file with "coopdir Kind" in its
// header is one of ours: its Identifier is the handle. "coopdir Summary"
// is the summary's Markdown, beside the HTML SEA wants in Description.
var SEAExtraColumns = []string{
	"coopdir Kind", "coopdir Summary", "coopdir Sectors", "coopdir Languages", "coopdir Founded", "coopdir Governance",
	"coopdir Membership", "coopdir Radius KM", "coopdir Logo", "coopdir Demo",
}

var requiredSEAColumns = []string{"identifier", "name"}

// seaFields names the domain's fields as the SEA header does.
var seaFields = map[string]string{
	"handle": "Identifier", "name": "Name", "summary": "Description", "website": "Website", "email": "Email",
	"phone": "Phone", "location.address": "Street Address", "location.lat": "Latitude", "location.lon": "Longitude",
	"geo_container_lat": "Geo Container Latitude", "geo_container_lon": "Geo Container Longitude",
	"kind": "coopdir Kind", "summary_markdown": "coopdir Summary", "sectors": "coopdir Sectors", "languages": "coopdir Languages",
	"founded": "coopdir Founded", "governance": "coopdir Governance", "membership": "coopdir Membership",
	"location.radius_km": "coopdir Radius KM", "logo": "coopdir Logo", "demo": "coopdir Demo",
}

// seaField names a domain field the way the SEA header does.
func seaField(f string) string {
	if c, ok := seaFields[f]; ok {
		return c
	}
	return f
}

// seaFieldRank orders a row's problems by SEA column.
func seaFieldRank(field string) int {
	if field == "row" {
		return -1
	}
	cols := append(slices.Clone(SEAColumns), SEAExtraColumns...)
	if i := slices.Index(cols, seaField(field)); i >= 0 {
		return i
	}
	return len(cols)
}

// WriteSEA writes the header (SEAColumns, then SEAExtraColumns) and one
// record per enterprise that all yields, in its order.
func WriteSEA(w io.Writer, all func(func(*directory.Enterprise) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append(slices.Clone(SEAColumns), SEAExtraColumns...)); err != nil {
		return err
	}
	if err := all(func(e *directory.Enterprise) error { return cw.Write(seaRecord(e)) }); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// seaRecord is e as one record: the summary as HTML in Description, the
// address whole in Street Address, the coordinates in Latitude and
// Longitude.
func seaRecord(e *directory.Enterprise) []string {
	st := termsOf(e)
	var primary *Term
	var others []*Term
	if len(st.activities) > 0 {
		primary, others = st.activities[0], st.activities[1:]
	}
	loc := e.Location
	rec := []string{
		e.Handle, e.Name, strings.TrimSpace(e.SummaryHTML), cell(st.structure), cell(primary), cell(others...),
		loc.Address, "", "", "", "", "", e.Website, e.Phone,
		e.Email, "", "", "", cell(st.qualifiers...), cell(st.membership),
		formatFloat(loc.Lat), formatFloat(loc.Lon), "", "", "",
	}
	founded := ""
	if e.Founded != 0 {
		founded = strconv.Itoa(e.Founded)
	}
	return append(rec, string(e.Kind), e.Summary, strings.Join(e.Sectors, ";"), strings.Join(e.Languages, ";"), founded,
		e.Governance, string(e.Membership), formatFloat(loc.RadiusKM), e.Logo, boolCell(e.Demo))
}

// ReadSEA parses a SEA standard CSV (SEAColumns in any order and case,
// Identifier and Name required; other columns are ignored) into rows, as
// ReadCSV does (seaRow says how each row becomes an enterprise).
func ReadSEA(file string, data []byte) ([]directory.ParsedRow, error) {
	var rows []directory.ParsedRow
	own := false
	header := func(h []string) ([]string, error) {
		cols, err := checkSEAHeader(file, h)
		own = slices.Contains(cols, "coopdir kind")
		return cols, err
	}
	err := readRecords(file, data, SEAColumns, header, func(c *cells) {
		rows = append(rows, seaRow(c, own))
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// checkSEAHeader lowercases the header's names after checking that no
// column of ours repeats and the required ones are there.
func checkSEAHeader(file string, header []string) ([]string, error) {
	known := append(slices.Clone(SEAColumns), SEAExtraColumns...)
	for i := range known {
		known[i] = strings.ToLower(known[i])
	}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if slices.Contains(known, h) && slices.Contains(cols[:i], h) {
			return nil, fileError(file, 1, "column %q appears twice in the header", h)
		}
		cols[i] = h
	}
	for _, c := range requiredSEAColumns {
		if !slices.Contains(cols, c) {
			return nil, fileError(file, 1, "missing required column %q (the SEA columns are %s)", c, strings.Join(SEAColumns, ","))
		}
	}
	return cols, nil
}

// seaRow builds an enterprise from one record. The handle is the
// Identifier in a file of ours, else derived from it (seaHandle); the
// summary is coopdir Summary when the file has it, else the text of
// Description (htmlText); the
// address joins the lines of Street Address, Locality, Region, Postcode
// and Country ID with ", ";
// without Latitude and Longitude the Geo Container's coordinates are used.
// Kind and sectors come from the coopdir columns when there are, and from
// the terms (seaKindAndSectors). Twitter, Facebook, Companies House
// Number, Territory ID and Geo Container have no field here and are not
// read.
func seaRow(c *cells, own bool) directory.ParsedRow {
	e := &directory.Enterprise{Name: c.get("name"), Summary: htmlText(c.get("description")), Website: c.get("website"),
		Email: c.get("email"), Phone: c.get("phone"), Languages: splitList(c.get("coopdir languages")),
		Governance: c.get("coopdir governance"), Logo: c.get("coopdir logo"),
		Membership: directory.Membership(strings.TrimSpace(c.get("coopdir membership")))}
	if slices.Contains(c.cols, "coopdir summary") {
		e.Summary = c.get("coopdir summary")
	}
	e.Handle = strings.TrimSpace(c.get("identifier"))
	if !own {
		e.Handle = seaHandle(e.Handle, e.Name)
	}
	var parts []string
	for _, col := range []string{"street address", "locality", "region", "postcode", "country id"} {
		for _, line := range strings.Split(c.get(col), "\n") {
			if v := strings.TrimSpace(line); v != "" {
				parts = append(parts, v)
			}
		}
	}
	e.Location.Address = strings.Join(parts, ", ")
	e.Location.Lat, e.Location.Lon = c.float("latitude", "location.lat"), c.float("longitude", "location.lon")
	if e.Location.Lat == nil && e.Location.Lon == nil {
		e.Location.Lat = c.float("geo container latitude", "geo_container_lat")
		e.Location.Lon = c.float("geo container longitude", "geo_container_lon")
	}
	e.Location.RadiusKM = c.float("coopdir radius km", "location.radius_km")
	if v := strings.TrimSpace(c.get("coopdir founded")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.bad("founded", "number", "%q is not a year", clip(v))
		}
		e.Founded = n
	}
	demo, ok := parseBool(c.get("coopdir demo"))
	if !ok {
		c.bad("demo", "bool", "%q is not true or false", clip(c.get("coopdir demo")))
	}
	e.Demo = demo
	seaKindAndSectors(c, e)
	return directory.ParsedRow{Line: c.line, Enterprise: e, Problems: c.problems}
}

// seaKindAndSectors sets e's kind (coopdir Kind, else the kind the
// structure names: kindFromTerms) and sectors: coopdir Sectors, then the
// sector of every term read that neither named the kind nor would be
// written back by export anyway, and of every value that names no term,
// so that nothing is lost.
func seaKindAndSectors(c *cells, e *directory.Enterprise) {
	var known []*Term
	var unknown []string
	read := func(col string, schemes ...string) []*Term {
		var out []*Term
		for _, v := range splitList(c.get(col)) {
			if t, tag := resolveTerm(v, schemes...); t != nil {
				out = append(out, t)
			} else if tag != "" {
				unknown = append(unknown, tag)
			}
		}
		known = append(known, out...)
		return out
	}
	structures := read("organisational structure", schemeStructure)
	read("primary activity", schemeActivities, schemeICA)
	read("activities", schemeActivities, schemeICA)
	read("qualifiers", schemeQualifiers)
	members := read("membership type", schemeMembership)
	var used []*Term
	e.Kind, used = kindFromTerms(structures, members)
	if v := strings.TrimSpace(c.get("coopdir kind")); v != "" {
		e.Kind, used = directory.Kind(v), nil
	}
	e.Sectors = splitList(c.get("coopdir sectors"))
	written := termsOf(e)
	for _, t := range known {
		if !slices.Contains(used, t) && !written.has(t) {
			e.Sectors = appendNew(e.Sectors, t.Tag)
		}
	}
	for _, tag := range unknown {
		e.Sectors = appendNew(e.Sectors, tag)
	}
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// seaHandle derives a handle from a SEA Identifier, the same for the same
// Identifier on every import: the Identifier itself, lowercased with
// other characters made "-", when that is a handle and not only digits;
// else the name's slug with the Identifier's (or, when that is long, a
// hash of it) after a "-".
func seaHandle(id, name string) string {
	s := slug(id, len(id))
	if s != "" && strings.Trim(s, "0123456789") != "" && directory.ValidateHandle(s) == nil {
		return s
	}
	suffix := s
	if len(suffix) > 10 || (suffix == "" && id != "") {
		h := fnv.New32a()
		h.Write([]byte(id))
		suffix = strconv.FormatUint(uint64(h.Sum32()), 36)
	}
	if suffix == "" {
		return slug(name, 30)
	}
	base := slug(name, 29-len(suffix))
	if base == "" {
		base = "sea"
	}
	return base + "-" + suffix
}

// slug lowercases s, folds common accented letters to ASCII, makes every
// run of other characters one "-" and keeps at most n bytes.
func slug(s string, n int) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if f, ok := folds[r]; ok {
			r = f
		}
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '_':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		default:
			dash = true
		}
	}
	out := b.String()
	if len(out) > n {
		out = out[:max(n, 0)]
	}
	return strings.Trim(out, "-")
}

var folds = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y', 'ş': 's', 'ğ': 'g', 'ł': 'l', 'ı': 'i',
}
