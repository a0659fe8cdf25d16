package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

func (a *App) export(ctx context.Context, args []string) error {
	fs := a.newFlags("export", "coopdir export [--format json|csv]",
		"Writes every local enterprise, ordered by handle, to standard output in the format\n"+
			"import reads: JSON (an indented array) or CSV (the import columns).")
	var format, dsn string
	fs.StringVar(&format, "format", "json", "`FORMAT`: json or csv")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	var write func(io.Writer, func(func(*directory.Enterprise) error) error) error
	switch format {
	case "json":
		write = writeJSON
	case "csv":
		write = writeCSV
	default:
		return usageErrorf("--format: %q is not json or csv", format)
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withDatabase(ctx, dsn, func(ctx context.Context, db instance.Database, _ *directory.Service) error {
		w := bufio.NewWriter(a.Stdout)
		all := func(fn func(*directory.Enterprise) error) error { return db.AllEnterprises(ctx, fn) }
		if err := write(w, all); err != nil {
			return err
		}
		return w.Flush()
	})
}

// writeJSON writes the enterprises as an indented JSON array, one element at
// a time, without escaping <, > and & (the file is data, not HTML).
func writeJSON(w io.Writer, all func(func(*directory.Enterprise) error) error) error {
	n := 0
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	err := all(func(e *directory.Enterprise) error {
		buf.Reset()
		if err := enc.Encode(e); err != nil {
			return directory.Internal(err, "encode enterprise")
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		n++
		_, err := fmt.Fprintf(w, "%s%s", sep, bytes.TrimRight(buf.Bytes(), "\n"))
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		_, err = io.WriteString(w, "[]\n")
	} else {
		_, err = io.WriteString(w, "\n]\n")
	}
	return err
}

// writeCSV writes the header and one record per enterprise.
func writeCSV(w io.Writer, all func(func(*directory.Enterprise) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	err := all(func(e *directory.Enterprise) error { return cw.Write(csvRecord(e)) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvRecord(e *directory.Enterprise) []string {
	rec := make([]string, 0, len(csvColumns))
	for _, c := range csvColumns {
		rec = append(rec, csvValue(e, c))
	}
	return rec
}

func csvValue(e *directory.Enterprise, col string) string {
	switch col {
	case "handle":
		return e.Handle
	case "name":
		return e.Name
	case "kind":
		return string(e.Kind)
	case "sectors":
		return strings.Join(e.Sectors, ";")
	case "summary":
		return e.Summary
	case "website":
		return e.Website
	case "email":
		return e.Email
	case "phone":
		return e.Phone
	case "address":
		return e.Location.Address
	case "lat":
		return formatFloat(e.Location.Lat)
	case "lon":
		return formatFloat(e.Location.Lon)
	case "radius_km":
		return formatFloat(e.Location.RadiusKM)
	case "founded":
		if e.Founded == 0 {
			return ""
		}
		return strconv.Itoa(e.Founded)
	case "governance":
		return e.Governance
	case "membership":
		return string(e.Membership)
	case "languages":
		return strings.Join(e.Languages, ";")
	case "logo":
		return e.Logo
	case "demo":
		if e.Demo {
			return "true"
		}
		return ""
	}
	return ""
}

// formatFloat writes the shortest form that parses back to the same value.
func formatFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}
