package ap_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/federation/ap/aptest"
	"github.com/go-fed/activity/streams"
)

// The golden documents are what coopdir publishes for the fixed inputs of
// aptest, built the way the running server builds them: by federation,
// which maps the directory's nouns onto this package's builders. They are
// here, beside the encoder and go-fed's read-back; go test -update
// rewrites them.

// goldenDoc is one published document: how to build it, and whether go-fed
// must read it back (everything of the ActivityStreams vocabulary; a bare
// Proposal is not).
type goldenDoc struct {
	name  string
	build func(t *testing.T, u federation.URLs) (map[string]any, error)
	asAS  bool
}

func goldenDocs() []goldenDoc {
	e, a, need, offer := aptest.Enterprise(), aptest.Announcement(), aptest.Need(), aptest.Offer()
	net := federation.NetworkInfo{Name: aptest.NetworkName, Description: aptest.NetworkDescription, Published: aptest.Start}
	// A Mastodon user following the enterprise.
	f := ap.FollowRef{
		ID:     "https://mastodon.example/0a1b2c3d-follow",
		Actor:  "https://mastodon.example/users/alice",
		Object: "https://coop.example/enterprises/shakyhands",
	}
	actor := "https://coop.example/enterprises/shakyhands"
	topic := &directory.SavedSearch{Handle: "tools-near-milwaukee", Name: "Tools near Milwaukee",
		Summary: "Tools offered within 25 km of Milwaukee.", Text: "drill", Type: directory.Offer,
		Categories: []directory.Category{"tools"}, CreatedAt: aptest.Start}
	must := aptest.Must
	return []goldenDoc{
		{"actor-enterprise", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.EnterpriseActor(u, e, aptest.PublicKeyPEM)
		}, true},
		{"actor-network", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.NetworkActor(u, net, aptest.PublicKeyPEM)
		}, true},
		{"actor-instance", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.InstanceActor(u, net, aptest.PublicKeyPEM)
		}, true},
		{"actor-needs", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingsActor(u, directory.Need, net, aptest.PublicKeyPEM)
		}, true},
		{"actor-offers", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingsActor(u, directory.Offer, net, aptest.PublicKeyPEM)
		}, true},
		{"update-actor", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Update(actor, must(t)(federation.EnterpriseActor(u, e, aptest.PublicKeyPEM)), aptest.Later)
		}, true},
		{"note-announcement", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AnnouncementNote(u, a)
		}, true},
		{"create-announcement", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.CreateAnnouncement(u, a)
		}, true},
		{"proposal-need", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingProposal(u, need)
		}, false},
		{"proposal-offer", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingProposal(u, offer)
		}, false},
		{"note-listing", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingNote(u, need)
		}, true},
		{"create-proposal", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Create(actor, must(t)(federation.ListingProposal(u, need)))
		}, true},
		{"create-listing-note", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Create(actor, must(t)(federation.ListingNote(u, need)))
		}, true},
		{"update-proposal", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Update(actor, must(t)(federation.ListingProposal(u, need)), aptest.Later)
		}, true},
		{"delete-proposal", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Delete(actor, u.Listing(3), "Proposal", aptest.Later)
		}, true},
		{"announce-create", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AnnounceActivity(u, u.Network().ID, must(t)(federation.CreateAnnouncement(u, a)), aptest.Edited)
		}, true},
		{"announce-object", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AnnounceObject(u, u.Network().ID, u.Announcement(7), aptest.Edited)
		}, true},
		{"actor-topic", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.TopicActor(u, topic, net, aptest.PublicKeyPEM)
		}, true},
		{"announce-topic", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			// A topic boosts a partner's listing: its companion Note.
			return federation.AnnounceObject(u, u.Topic(topic.Handle).ID, "https://partner.example/listings/12/note", aptest.Edited)
		}, true},
		{"follow", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return ap.Follow(ap.FollowRef{ID: u.Activity("follow-8d5e5f8a"), Actor: u.Instance().ID, Object: "https://partner.example/actor"})
		}, true},
		{"accept", func(_ *testing.T, u federation.URLs) (map[string]any, error) { return federation.Accept(u, f) }, true},
		{"reject", func(_ *testing.T, u federation.URLs) (map[string]any, error) { return federation.Reject(u, f) }, true},
		{"undo-follow", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.Undo(ap.FollowRef{ID: u.Activity("follow-8d5e5f8a"), Actor: u.Instance().ID, Object: "https://partner.example/actor"})
		}, true},
		// Agreements (FEP-0837): shakyhands answers a partner's need, and
		// a partner's co-op answers shakyhands' need for drills.
		{"offer-agreement", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AgreementOffer(sentAgreement(), directory.Need, "https://partner.example/listings/12", actor,
				"https://partner.example/enterprises/pantry"), nil
		}, false},
		{"accept-agreement", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AgreementAnswer(u, receivedAgreement(directory.AgreementAccepted, u), u.Listing(3), actor), nil
		}, false},
		{"reject-agreement", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AgreementAnswer(u, receivedAgreement(directory.AgreementRejected, u), u.Listing(3), actor), nil
		}, true},
		{"create-agreement-note", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			l := &directory.Listing{Type: directory.Need, Title: "Moving boxes", RemoteURL: "https://social.example/@pantry/1"}
			owner := &directory.RemoteActor{ID: "https://social.example/users/pantry", Username: "pantry", URL: "https://social.example/@pantry"}
			return federation.AgreementNote(sentAgreement(), l, actor, owner), nil
		}, true},
		{"actor-enterprise-bilingual", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.EnterpriseActor(u, aptest.BilingualEnterprise(), aptest.PublicKeyPEM)
		}, true},
		{"entry-enterprise-bilingual", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.EnterpriseEntry(u, aptest.BilingualEnterprise())
		}, true},
		{"note-announcement-bilingual", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.AnnouncementNote(u, aptest.BilingualAnnouncement())
		}, true},
		{"proposal-need-bilingual", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingProposal(u, aptest.BilingualNeed())
		}, false},
		{"note-listing-bilingual", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return federation.ListingNote(u, aptest.BilingualNeed())
		}, true},
		{"collection", func(_ *testing.T, u federation.URLs) (map[string]any, error) {
			return ap.OrderedCollection(u.Enterprise("shakyhands").Outbox, 45, 20)
		}, true},
		{"collection-page", func(t *testing.T, u federation.URLs) (map[string]any, error) {
			items := []any{must(t)(federation.CreateAnnouncement(u, a)),
				must(t)(federation.Create(actor, must(t)(federation.ListingNote(u, need))))}
			return ap.OrderedCollectionPage(u.Enterprise("shakyhands").Outbox, 45, items, 2, 20)
		}, true},
	}
}

// sentAgreement is the agreement shakyhands offers on a partner's need of
// boxes: four, with a message.
func sentAgreement() *directory.Agreement {
	return &directory.Agreement{ID: 5, OfferID: aptest.BaseURL + "/activities/offer-3f2a9c", ResponderName: "Shaky Hands Bakery",
		ResponderHandle: "shakyhands", Quantity: new(4.0), Unit: "boxes", Message: "Four boxes, on Saturday.",
		ResponderListingID: 4, ResponderListingURI: aptest.BaseURL + "/listings/4",
		State: directory.AgreementPending, CreatedAt: aptest.Later}
}

// receivedAgreement is agreement 9, a partner's co-op's answer to
// shakyhands' need for drills (listing 3): two drills, decided as state.
func receivedAgreement(state directory.AgreementState, u federation.URLs) *directory.Agreement {
	a := &directory.Agreement{ID: 9, ListingID: 3, Listing: aptest.Need(), ResponderName: "Tool Library",
		ResponderID: "https://partner.example/enterprises/tools", OfferID: "https://partner.example/activities/offer-77e1",
		Quantity: new(2.0), Unit: "drills", State: state, CreatedAt: aptest.Later}
	if state == directory.AgreementAccepted {
		a.URI = u.AgreementURI(9)
	} else {
		a.Reason = "We found drills already."
	}
	return a
}

func TestGoldenDocuments(t *testing.T) {
	u, err := federation.NewURLs(aptest.BaseURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range goldenDocs() {
		t.Run(g.name, func(t *testing.T) {
			doc, err := g.build(t, u)
			if err != nil {
				t.Fatal(err)
			}
			body := indented(t, doc)
			aptest.Golden(t, filepath.Join("testdata", "golden", g.name+".json"), body)
			if g.asAS {
				assertReadsBack(t, body, doc)
			}
		})
	}
}

// indented is doc as the golden files hold it: indented, HTML unescaped.
func indented(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	compact, err := ap.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		t.Fatal(err)
	}
	return append(b.Bytes(), '\n')
}

// assertReadsBack parses a golden document with go-fed and checks that its
// type and id survive serialising it again.
func assertReadsBack(t *testing.T, raw []byte, doc map[string]any) {
	t.Helper()
	typ, err := ap.ParseDocument(context.Background(), raw)
	if err != nil {
		t.Fatalf("go-fed cannot read it back: %v", err)
	}
	again, err := streams.Serialize(typ)
	if err != nil {
		t.Fatal(err)
	}
	if again["type"] != doc["type"] || again["id"] != doc["id"] {
		t.Errorf("read back as %v %v, want %v %v", again["type"], again["id"], doc["type"], doc["id"])
	}
}
