package directory_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// parsed returns a row read from a file with the given problems.
func parsed(line int, handle, name string, problems ...directory.FieldError) directory.ParsedRow {
	r := row(line, handle, name)
	return directory.ParsedRow{Line: line, Enterprise: r.Enterprise, Problems: problems}
}

// fieldNames lists the fields of a row error.
func fieldNames(re directory.RowError) []string {
	var names []string
	for _, f := range re.Fields {
		names = append(names, f.Field)
	}
	return names
}

func TestImportParsed(t *testing.T) {
	svc := newService(t)
	badLat := directory.FieldError{Field: "location.lat", Rule: "number", Message: `"north" is not a number`}

	t.Run("reports a row's problems with every validation error they do not explain", func(t *testing.T) {
		r := parsed(3, " several ", "", badLat)
		r.Enterprise.Email = "nobody"
		r.Enterprise.Location.Lat = ptr(0.0) // the placeholder a reader leaves
		r.Enterprise.Location.Lon = ptr(500.0)
		res, err := svc.ImportParsed(sys, []directory.ParsedRow{parsed(2, "good", "Good"), r}, directory.ImportOptions{})
		wantCode(t, err, directory.EINVALID)
		if err.Error() != "1 of 2 rows are invalid; nothing was imported" || len(res.Invalid) != 1 {
			t.Fatalf("got %+v, %v", res, err)
		}
		re := res.Invalid[0]
		want := []string{"location.lat", "name", "email", "location.lon"}
		if got := fieldNames(re); re.Line != 3 || re.Handle != "several" || !slices.Equal(got, want) {
			t.Errorf("row error %+v, fields %v, want %v", re, got, want)
		}
	})
	t.Run("stores none of the valid rows while another has problems", func(t *testing.T) {
		res, err := svc.ImportParsed(sys, []directory.ParsedRow{parsed(2, "good", "Good"), parsed(3, "bad", "Bad", badLat)},
			directory.ImportOptions{})
		wantCode(t, err, directory.EINVALID)
		if res.Created != 0 {
			t.Errorf("result %+v", res)
		}
		if _, err := svc.Enterprise(sys, "good"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("good row imported anyway: %v", err)
		}
	})
	t.Run("lists bad rows in line order, a row without an enterprise with its problems only", func(t *testing.T) {
		element := directory.FieldError{Field: "element", Rule: "type", Message: "must be an object, not number"}
		res, err := svc.ImportParsed(sys, []directory.ParsedRow{
			{Line: 9, Problems: []directory.FieldError{element}}, parsed(4, "good", "Good"), parsed(5, "BAD", "Bad"), parsed(6, "good", "Again"),
		}, directory.ImportOptions{})
		wantCode(t, err, directory.EINVALID)
		var lines []int
		for _, re := range res.Invalid {
			lines = append(lines, re.Line)
		}
		if !slices.Equal(lines, []int{5, 6, 9}) || !slices.Equal(res.Invalid[2].Fields, []directory.FieldError{element}) {
			t.Errorf("invalid %+v", res.Invalid)
		}
	})
	t.Run("imports the rows without problems with SkipInvalid", func(t *testing.T) {
		res, err := svc.ImportParsed(sys, []directory.ParsedRow{parsed(2, "good", "Good"), parsed(3, "bad", "Bad", badLat)},
			directory.ImportOptions{SkipInvalid: true})
		if err != nil || res.Created != 1 || len(res.Invalid) != 1 {
			t.Fatalf("got %+v, %v", res, err)
		}
		if _, err := svc.Enterprise(sys, "bad"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("row with problems imported: %v", err)
		}
	})
	t.Run("refuses editors", func(t *testing.T) {
		ctx := asUser(t, svc, "ed@good.example", directory.RoleEditor, "good")
		if _, err := svc.ImportParsed(ctx, nil, directory.ImportOptions{}); directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Fatalf("got %v", err)
		}
	})
}

func TestExportEnterprises(t *testing.T) {
	svc := newService(t)
	for _, h := range []string{"zinnia", "aster", "mallow"} {
		mustCreate(t, svc, h)
	}
	t.Run("yields every local enterprise by handle", func(t *testing.T) {
		var got []string
		err := svc.ExportEnterprises(sys, func(e *directory.Enterprise) error {
			got = append(got, e.Handle)
			return nil
		})
		if err != nil || !slices.Equal(got, []string{"aster", "mallow", "zinnia"}) {
			t.Errorf("got %v, %v", got, err)
		}
	})
	t.Run("stops at the first error of fn", func(t *testing.T) {
		stop := directory.Errorf(directory.EINTERNAL, "stop")
		n := 0
		err := svc.ExportEnterprises(sys, func(*directory.Enterprise) error { n++; return stop })
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("got %v after %d", err, n)
		}
	})
	t.Run("refuses anyone but an admin", func(t *testing.T) {
		fn := func(*directory.Enterprise) error { return nil }
		wantCode(t, svc.ExportEnterprises(context.Background(), fn), directory.EUNAUTHORIZED)
		ctx := asUser(t, svc, "ed@aster.example", directory.RoleEditor, "aster")
		wantCode(t, svc.ExportEnterprises(ctx, fn), directory.EFORBIDDEN)
	})
}
