package murmurations_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

func TestEnterpriseFromProfile(t *testing.T) {
	now := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	const origin, addr = directory.MurmurationsOriginPrefix + "index.example", "https://p.example/a.json"
	read := func(body string) (*directory.Enterprise, error) {
		return murmurations.EnterpriseFromProfile([]byte(body), addr, origin, now, now)
	}
	t.Run("reads an organisation", func(t *testing.T) {
		e, err := read(`{"linked_schemas":["organizations_schema-v1.0.0"],"name":"Shaky Hands Bakery","primary_url":"shakyhands.example",
			"tags":["bread","Worker co-op","Bread"," "],"description":"We bake.","geolocation":{"lat":52.5,"lon":13.4},
			"image":"javascript:alert(1)","starts_at":1293840000,"contact_details":{"email":"hi@shakyhands.example"},"unknown":{"x":1}}`)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind != directory.KindWorkerCoop || strings.Join(e.Sectors, ",") != "bread" || e.Website != "https://shakyhands.example" ||
			e.RemoteURL != e.Website || e.RemoteID != addr || e.Logo != "" || e.Founded != 2011 || !e.Location.HasPoint() ||
			!strings.HasPrefix(e.Handle, "shaky-hands-bakery-") || e.Origin != origin {
			t.Errorf("%+v", e)
		}
	})
	for name, body := range map[string]string{
		"not UTF-8":              "{\"linked_schemas\":[\"organizations_schema-v1.0.0\"],\"name\":\"Caf\xe9\"}",
		"data after the object":  `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"A"} {"name":"B"}`,
		"a list":                 `[{"name":"A"}]`,
		"a name of wrong type":   `{"linked_schemas":["organizations_schema-v1.0.0"],"name":42}`,
		"no schema":              `{"name":"A"}`,
		"no name":                `{"linked_schemas":["organizations_schema-v1.0.0"]}`,
		"a bad e-mail":           `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"A","contact_details":{"email":"not mail"}}`,
		"latitude out of range":  `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"A","geolocation":{"lat":95,"lon":0}}`,
		"a name of 101 letters":  `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"` + strings.Repeat("a", 101) + `"}`,
		"a telephone of letters": `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"A","telephone":"call us"}`,
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			if e, err := read(body); err == nil {
				t.Errorf("read %+v", e)
			}
		})
	}
	t.Run("a profile without a website links to itself", func(t *testing.T) {
		e, err := read(`{"linked_schemas":["organizations_schema-v1.0.0"],"name":"!!!","primary_url":"ftp://x.example"}`)
		if err != nil || e.Website != "" || e.RemoteURL != addr || !strings.HasPrefix(e.Handle, "node-") || e.Kind != directory.KindOther {
			t.Errorf("%+v, %v", e, err)
		}
	})
}
