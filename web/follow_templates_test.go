package web

import (
	"strings"
	"testing"
)

func init() {
	lay := layout{Network: "Cooperation Testville", Canonical: "https://t.example/follow?actor=shakyhands", FormAction: followFormAction}
	box := func(lookup bool, account, problem string) *followBox {
		return &followBox{Actor: "shakyhands", Name: "Shaky <Hands>", Address: "@shakyhands@t.example", Lookup: lookup, Account: account, Error: problem}
	}
	templateSamples["follow.html"] = func() any {
		return followView{layout: lay, Follow: box(true, "", ""), Back: "/enterprises/shakyhands"}
	}
	templateSamples["follow-error"] = func() any {
		return followView{layout: lay, Follow: box(true, `"><script>@x`, "x.example knows no account <b>"), Back: "/enterprises/shakyhands"}
	}
	templateSamples["follow-no-lookup"] = func() any {
		return followView{layout: lay, Follow: box(false, "", ""), Back: "/enterprises/shakyhands"}
	}
	templateSamples["help_follow.html"] = func() any {
		return followView{layout: lay, Follow: &followBox{Actor: "network", Name: "Cooperation Testville", Address: "@network@t.example", Lookup: true}}
	}
	sampleTemplate["follow-error"] = "follow.html"
	sampleTemplate["follow-no-lookup"] = "follow.html"
}

func TestFollowBoxEscapesWhatTheVisitorTyped(t *testing.T) {
	s := &server{pages: parsePages()}
	page := renderSample(t, s, "follow-error", templateSamples["follow-error"]())
	for _, bad := range []string{`"><script>`, "<b>"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page shows %q unescaped", bad)
		}
	}
	for _, want := range []string{`aria-invalid="true"`, `id="follow-account-error"`, `href="#follow-account"`, `action="/follow"`, `name="actor" value="shakyhands"`, `href="/help/follow"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
	if page := renderSample(t, s, "follow-no-lookup", templateSamples["follow-no-lookup"]()); strings.Contains(page, `action="/follow"`) || !strings.Contains(page, "@shakyhands@t.example") {
		t.Errorf("without a lookup the box should show the address and no form")
	}
}
