package federation

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestEnterpriseActorRefuses(t *testing.T) {
	u := fixtureURLs(t)
	remote := aptest.Enterprise()
	remote.Origin = "partner.example"
	if _, err := EnterpriseActor(u, remote, aptest.PublicKeyPEM); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("a partner's enterprise: %v, want ENOTFOUND", err)
	}
	if _, err := EnterpriseActor(u, aptest.Enterprise(), ""); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("no public key: %v, want EINVALID", err)
	}
	if _, err := ListingsActor(u, "swap", fixtureNetwork(), aptest.PublicKeyPEM); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("an unknown listing type: %v, want EINVALID", err)
	}
}

func TestEnterpriseActorLeavesOutWhatIsNotKnown(t *testing.T) {
	e := &directory.Enterprise{Handle: "toolshed", Name: "Tool Shed", Kind: directory.KindToolLibrary,
		CreatedAt: aptest.Created, UpdatedAt: aptest.Created}
	doc := aptest.Must(t)(EnterpriseActor(fixtureURLs(t), e, aptest.PublicKeyPEM))
	for _, absent := range []string{"icon", "location", "summary"} {
		if _, ok := doc[absent]; ok {
			t.Errorf("%s is set: %v", absent, doc[absent])
		}
	}
	fields := doc["attachment"].([]any)
	if len(fields) != 3 || fields[0].(map[string]any)["name"] != "Kind" || fields[1].(map[string]any)["name"] != "Network" {
		t.Errorf("profile fields %v, want Kind and Network and the Murmurations link", fields)
	}
	link := fields[2].(map[string]any)
	if link["type"] != "Link" || link["rel"] != "alternate" || link["href"] != fixtureURLs(t).abs("/murmurations/enterprises/toolshed.json") {
		t.Errorf("Murmurations link %v", link)
	}
	tags := doc["tag"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["name"] != "#ToolLibrary" {
		t.Errorf("tags %v", tags)
	}
}

func TestEnterpriseActorEscapesProfileFields(t *testing.T) {
	e := aptest.Enterprise()
	e.Website = `https://x.example/?a=1&b="2"`
	doc := aptest.Must(t)(EnterpriseActor(fixtureURLs(t), e, aptest.PublicKeyPEM))
	want := `<a href="https://x.example/?a=1&amp;b=&#34;2&#34;" rel="me nofollow noopener noreferrer" target="_blank">x.example/?a=1&amp;b=&#34;2&#34;</a>`
	if got := doc["attachment"].([]any)[0].(map[string]any)["value"]; got != want {
		t.Errorf("website field\n%s\nwant\n%s", got, want)
	}
}

func TestEnterpriseActorIconTakesAbsoluteLogos(t *testing.T) {
	e := aptest.Enterprise()
	e.Logo = "https://cdn.example/logo.JPG?v=2"
	icon := aptest.Must(t)(EnterpriseActor(fixtureURLs(t), e, aptest.PublicKeyPEM))["icon"].(map[string]any)
	if icon["url"] != "https://cdn.example/logo.JPG?v=2" || icon["mediaType"] != "image/jpeg" {
		t.Errorf("icon %v", icon)
	}
}

func TestHashtagName(t *testing.T) {
	for in, want := range map[string]string{
		"tools":              "tools",
		"worker_coop":        "WorkerCoop",
		"food sovereignty":   "FoodSovereignty",
		"bike-repair":        "BikeRepair",
		"économie solidaire": "ÉconomieSolidaire",
		"-":                  "",
	} {
		if got := hashtagName(in); got != want {
			t.Errorf("hashtagName(%q) = %q, want %q", in, got, want)
		}
	}
}
