package federation_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// TestInteropGoToSocialTopic: a topic (saved search) on A, followed from a
// GoToSocial account, delivers a new matching listing of A's partner B:
// bob's home timeline shows the topic's boost of B's Note.
func TestInteropGoToSocialTopic(t *testing.T) {
	p := startGoToSocial(t)
	a := startTLSInstance(t)
	b := startTLSInstance(t)
	a.addEnterprise("shakyhands", "Shaky Hands", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("chitools", "Chicago Tool Library", directory.KindToolLibrary, chicago)
	partnerWith(t, a, b, directory.Scope{})
	if err := a.Service().CreateSavedSearch(sys, drillsTopic("drills")); err != nil {
		t.Fatal(err)
	}

	acct := p.follow(t, a.Account("drills"))
	if acct.DisplayName != "Drills near Milwaukee" {
		t.Errorf("GoToSocial reads the topic as %+v", acct)
	}
	eventually(t, "the topic has bob as its follower", func() bool { return collectionTotal(t, a.URLOf("/topics/drills/followers")) == 1 })

	b.addListing("chitools", directory.Offer, "Sanding block", "tools")
	id := b.addListing("chitools", directory.Offer, "Cordless drill", "tools")
	note := b.URLOf(fmt.Sprintf("/listings/%d/note", id))
	eventually(t, "A has B's drill", func() bool { return slices.Contains(a.openListings(b.Host()), "Cordless drill") })
	// Each step waits on its own: B's announce to A, A's to bob, then
	// GoToSocial's fetch of B's Note, on a machine that may be busy.
	eventually(t, "A queued the topic's boost to bob", func() bool {
		for _, d := range sentTo(t, a, p.actor()+"/inbox") {
			if strings.Contains(d, `"type":"Announce"`) && strings.Contains(d, `"object":"`+note+`"`) {
				return true
			}
		}
		return false
	})
	s := p.waitHome(t, "the topic's boost of B's drill", func(s gtsStatus) bool {
		return s.Reblog != nil && s.Reblog.URI == note
	})
	if s.Account.Acct != a.Account("drills") || s.Reblog.Account.Acct != b.Account("chitools") {
		t.Errorf("the boost is by %s of a post by %s", s.Account.Acct, s.Reblog.Account.Acct)
	}
	for _, h := range p.home() {
		if h.Reblog != nil && h.Reblog.URI != note {
			t.Errorf("the topic boosted %s, which its search does not find", h.Reblog.URI)
		}
	}
}
