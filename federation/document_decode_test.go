package federation

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestProposalRebuildsTheListing(t *testing.T) {
	u := fixtureURLs(t)
	for _, c := range []struct {
		name    string
		listing *directory.Listing
	}{
		{"a need with quantity, unit, area and end date", aptest.Need()},
		{"a fulfilled offer with nothing optional", aptest.Offer()},
		{"a demo offer counted without unit", func() *directory.Listing {
			l := aptest.Offer()
			l.Quantity, l.Demo, l.Status = new(2.5), true, directory.StatusWithdrawn
			return l
		}()},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw, err := ap.Marshal(aptest.Must(t)(ListingProposal(u, c.listing)))
			if err != nil {
				t.Fatal(err)
			}
			doc, err := DecodeProposal(raw)
			if err != nil {
				t.Fatal(err)
			}
			got, err := doc.Listing()
			if err != nil {
				t.Fatal(err)
			}
			want := *c.listing
			want.ID = 0
			want.Origin = "coop.example"
			want.RemoteID = u.Listing(c.listing.ID)
			want.RemoteURL = u.Listing(c.listing.ID)
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("rebuilt\n%+v\nwant\n%+v", jsonText(got), jsonText(&want))
			}
		})
	}
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestProposalNestedInCreateDecodes(t *testing.T) {
	u := fixtureURLs(t)
	create := aptest.Must(t)(Create(u.Enterprise("shakyhands").ID, aptest.Must(t)(ListingProposal(u, aptest.Need()))))
	raw, _ := ap.Marshal(create)
	var act struct {
		Object json.RawMessage `json:"object"`
	}
	if err := json.Unmarshal(raw, &act); err != nil {
		t.Fatal(err)
	}
	doc, err := DecodeProposal(act.Object)
	if err != nil {
		t.Fatal(err)
	}
	if l, err := doc.Listing(); err != nil || l.Title != "Donated drills" {
		t.Errorf("listing %+v, error %v", l, err)
	}
}

func TestDecodeProposalRefuses(t *testing.T) {
	good, _ := ap.Marshal(aptest.Must(t)(ListingProposal(fixtureURLs(t), aptest.Need())))
	for _, c := range []struct {
		name, from, to string
	}{
		{"a Note", `"type":"Proposal"`, `"type":"Note"`},
		{"a proposal without intent", `"publishes":{`, `"elsewhere":{`},
		{"an unknown purpose", `"purpose":"request"`, `"purpose":"gift"`},
		{"an unknown category", `category-tools`, `category-weapons`},
		{"an amount that is no number", `"hasNumericalValue":"3"`, `"hasNumericalValue":"three"`},
		{"an author that is no coopdir enterprise", `"attributedTo":"https://coop.example/enterprises/shakyhands"`,
			`"attributedTo":"https://coop.example/users/shakyhands"`},
		{"an id that is no http URL", `"id":"https://coop.example/listings/3"`, `"id":"urn:x:3"`},
		{"a published date that is no date", `"published":"2026-01-05T10:00:00Z"`, `"published":"yesterday"`},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := strings.Replace(string(good), c.from, c.to, 1)
			if raw == string(good) {
				t.Fatalf("%s not found in the document", c.from)
			}
			doc, err := DecodeProposal([]byte(raw))
			if err == nil {
				_, err = doc.Listing()
			}
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("error %v, want EINVALID", err)
			}
		})
	}
}

// The plain decoder is what backfill uses instead of go-fed's full parse.
func BenchmarkDecodeProposal(b *testing.B) {
	raw := benchProposal(b)
	for b.Loop() {
		doc, err := DecodeProposal(raw)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := doc.Listing(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseCreateProposal(b *testing.B) {
	u := fixtureURLs(b)
	create, err := Create(u.Enterprise("shakyhands").ID, benchDoc(b))
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := ap.Marshal(create)
	for b.Loop() {
		if _, err := ap.ParseActivity(context.Background(), raw); err != nil {
			b.Fatal(err)
		}
	}
}

func benchDoc(b *testing.B) map[string]any {
	doc, err := ListingProposal(fixtureURLs(b), aptest.Need())
	if err != nil {
		b.Fatal(err)
	}
	return doc
}

func benchProposal(b *testing.B) []byte {
	raw, _ := ap.Marshal(benchDoc(b))
	return raw
}
