package exchange

import (
	"bytes"
	"os"
	"reflect"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// FuzzReadSEA: reading a SEA CSV never panics and keeps checkRead's
// promises; what was read without problems is written and read back as
// the same enterprises.
func FuzzReadSEA(f *testing.F) {
	if data, err := os.ReadFile("testdata/sea_realistic.csv"); err == nil {
		f.Add(data)
	}
	if data, err := os.ReadFile("testdata/sea_demo.csv"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		"Identifier,Name\r\n1,A\r\n", "Identifier,Name,Latitude,Longitude\n1,A,north,\n", "Name\nA\n", "",
		"Identifier,Name,Organisational Structure,Membership Type,Activities\nx,X,OS115,BMT30,AM60;https://h/standard/activities-ica/ICA10;Odd & Term\n",
		"Identifier,Name,coopdir Kind,coopdir Sectors,coopdir Founded,coopdir Demo\nx,X,bogus,a;b,old,maybe\n",
		"Identifier,Name,Street Address\n\"a,b\",\"Caf\xc3\xa9\",\"1 Road\nTown\"\n", "Identifier,Name\nx,Caf\xe9\n", "Identifier,Name,,\nx,X,,\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadSEA("f", data)
		checkRead(t, data, &directory.DirectoryRows{Enterprises: rows}, err)
		if err != nil {
			return
		}
		var good []*directory.Enterprise
		for _, r := range rows {
			if len(r.Problems) == 0 && r.Enterprise != nil {
				good = append(good, r.Enterprise)
			}
		}
		var buf bytes.Buffer
		if err := WriteSEA(&buf, yieldAll(good)); err != nil {
			t.Fatal(err)
		}
		again, err := ReadSEA("f", buf.Bytes())
		if err != nil || len(again) != len(good) {
			t.Fatalf("reading what was written: %v\n%s", err, buf.Bytes())
		}
		for i, r := range again {
			if len(r.Problems) > 0 || !reflect.DeepEqual(csvRecord(r.Enterprise), csvRecord(good[i])) {
				t.Fatalf("row %d changed: %+v\nbecame %+v", i, good[i], r)
			}
		}
	})
}

// yieldAll hands es to fn in order, as an export does.
func yieldAll(es []*directory.Enterprise) func(func(*directory.Enterprise) error) error {
	return func(fn func(*directory.Enterprise) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
}
