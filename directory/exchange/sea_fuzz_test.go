package exchange

import (
	"os"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// FuzzReadSEA: reading a SEA CSV never panics and keeps checkRead's
// promises; what was read without problems is written and read back as
// the same enterprises (checkRewrite).
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
		if err == nil {
			checkRewrite(t, rows, WriteSEA, ReadSEA)
		}
	})
}
