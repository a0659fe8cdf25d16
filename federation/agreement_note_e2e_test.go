package federation_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// TestAgreementNoteToOtherServers: a listing whose enterprise's actor is on
// a server that does not run coopdir (alice on the stand-in Mastodon) is
// answered with a direct Note addressed to that actor alone, since such a
// server does not understand Offer{Agreement}.
func TestAgreementNoteToOtherServers(t *testing.T) {
	m := newRemoteServer(t)
	a := startInstance(t, "127.0.0.1:0", tempDB(t))
	a.addEnterprise("movers", "Milwaukee Movers Co-op", directory.KindWorkerCoop, milwaukee)
	host := strings.TrimPrefix(m.srv.URL, "http://")
	now := time.Now().UTC().Truncate(time.Second)
	e := &directory.Enterprise{Handle: "alice", Name: "Alice's Pantry", Kind: directory.KindMutualAid, Origin: host,
		RemoteID: m.actor(), Sectors: []string{}, Languages: []string{}, CreatedAt: now, UpdatedAt: now}
	l := &directory.Listing{EnterpriseHandle: "alice", Type: directory.Need, Title: "Moving boxes", Category: "other",
		Status: directory.StatusOpen, Origin: host, RemoteID: m.srv.URL + "/proposals/1", RemoteURL: m.srv.URL + "/@alice/1",
		CreatedAt: now, UpdatedAt: now}
	if _, err := a.Database().ImportRemote(sys, host, []*directory.Enterprise{e}, []*directory.Listing{l}); err != nil {
		t.Fatal(err)
	}
	sent, err := a.Node().OfferAgreement(sys, "movers", l.ID, directory.AgreementTerms{Message: "We have boxes & tape."})
	if err != nil {
		t.Fatal(err)
	}
	var note map[string]any
	eventually(t, "alice receives a Create{Note}", func() bool {
		for _, c := range m.received("Create") {
			if obj, ok := c["object"].(map[string]any); ok && obj["type"] == "Note" {
				note = obj
				return true
			}
		}
		return false
	})
	if len(m.received("Offer")) != 0 {
		t.Error("an Offer went to a server that does not run coopdir")
	}
	to, _ := note["to"].([]any)
	text, _ := note["content"].(string)
	if len(to) != 1 || to[0] != m.actor() || note["cc"] != nil {
		t.Errorf("the Note is addressed to %v (cc %v), want alice alone", note["to"], note["cc"])
	}
	for _, want := range []string{"Milwaukee Movers Co-op can meet your need", "Moving boxes", "We have boxes &amp; tape."} {
		if !strings.Contains(text, want) {
			t.Errorf("the Note says %q, want %q in it", text, want)
		}
	}
	if got, _ := a.Service().Agreement(sys, sent.ID); got.State != directory.AgreementPending {
		t.Errorf("the agreement is %s, want pending", got.State)
	}
}
