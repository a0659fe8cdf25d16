package federation

import (
	"cmp"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// A listing is published twice. Its canonical form is a FEP-0837 Proposal,
// which partner instances and marketplace software rebuild exactly. go-fed
// v1.0.0 has no Proposal or Intent types, so the ActivityStreams part (id,
// attributedTo, name, content, source, url, dates, addressing, location,
// endTime) is built as an Object and the ValueFlows part (type Proposal,
// purpose, publishes Intent, unitBased) and our status term are merged into
// its JSON. Mastodon drops types it does not know, so followers there get a
// readable companion Note as well.

// Values of the Proposal's ValueFlows terms.
const (
	purposeOffer   = "offer"
	purposeRequest = "request"
	// unitOne is the unit FEP-0837 recommends for countable things; a listing
	// without a unit is counted in it.
	unitOne = "one"
	// categoryPrefix, followed by a category, is the resourceConformsTo of a
	// listing: one URI per category, the same on every instance.
	categoryPrefix = ap.Namespace + "category-"
)

// serviceCategories are delivered as a service (vf action deliverService);
// the others are handed over (transfer).
var serviceCategories = map[directory.Category]bool{
	"skills": true, "labor": true, "transport": true, "care": true,
	"health": true, "legal": true, "tech": true,
}

// ListingProposal is a local listing as a FEP-0837 Proposal by its
// enterprise: purpose offer or request, one primary Intent (action, category
// as resourceConformsTo, quantity and unit), location, endTime = the end of
// the valid-until day (UTC), and our status term.
func ListingProposal(u URLs, l *directory.Listing) (map[string]any, error) {
	if err := onlyLocal(l.Origin, "this listing"); err != nil {
		return nil, err
	}
	author := u.Enterprise(l.EnterpriseHandle)
	id := u.Listing(l.ID)
	purpose, party := purposeOffer, "provider"
	if l.Type == directory.Need {
		purpose, party = purposeRequest, "receiver"
	}
	o := ap.Object{
		Type: "Object", ID: id, AttributedTo: author.ID, To: []string{ap.Public}, CC: []string{author.Followers},
		Name: l.Title, URL: id, Published: l.CreatedAt, Updated: editedAt(l), Location: l.Location,
		Extra: map[string]any{
			"type":      "Proposal",
			"purpose":   purpose,
			"publishes": intent(id, author.ID, party, l),
			"unitBased": false,
			"status":    string(l.Status),
		},
	}
	if l.Description != "" {
		o.Content = &l.DescriptionHTML
		o.Extra["source"] = ap.MarkdownSource(l.Description)
	}
	if end, ok := validUntilEnd(l.ValidUntil); ok {
		o.EndTime = end
	}
	if l.Demo {
		o.Extra["demo"] = true
	}
	putLangMap(o.Extra, "nameMap", langMap(l.Language, l.Title, l.Translations, titleOf, false))
	if l.Description != "" {
		putLangMap(o.Extra, "contentMap", langMap(l.Language, l.DescriptionHTML, l.Translations, htmlOf, false))
	}
	return o.Document()
}

// editedAt is when the listing was last edited, or zero when it never was,
// for updated: Mastodon shows a post with updated as edited.
func editedAt(l *directory.Listing) time.Time {
	if l.UpdatedAt.Truncate(time.Second).After(l.CreatedAt.Truncate(time.Second)) {
		return l.UpdatedAt
	}
	return time.Time{}
}

// validUntilEnd is the last second of the inclusive valid-until day, in UTC.
func validUntilEnd(day string) (time.Time, bool) {
	d, err := time.Parse(directory.DateLayout, day)
	if err != nil {
		return time.Time{}, false
	}
	return d.Add(24*time.Hour - time.Second), true
}

// intent is the Proposal's primary Intent; party is "provider" for offers and
// "receiver" for requests, naming the enterprise.
func intent(proposalID, authorID, party string, l *directory.Listing) map[string]any {
	action := "transfer"
	if serviceCategories[l.Category] {
		action = "deliverService"
	}
	qty := map[string]any{"hasUnit": unitOne}
	if l.Unit != "" {
		qty["hasUnit"] = l.Unit
	}
	if l.Quantity != nil {
		qty["hasNumericalValue"] = formatQuantity(*l.Quantity)
	}
	return map[string]any{
		"type":               "Intent",
		"id":                 proposalID + "#primary",
		"action":             action,
		"resourceConformsTo": categoryPrefix + string(l.Category),
		"resourceQuantity":   qty,
		party:                authorID,
	}
}

func formatQuantity(q float64) string { return strconv.FormatFloat(q, 'f', -1, 64) }

// ListingNote is the readable companion Note of a local listing, for
// Mastodon and other servers that drop Proposals: its title, description,
// quantity, valid-until date and status, the #need or #offer and category
// hashtags, and a link to the listing's page.
func ListingNote(u URLs, l *directory.Listing) (map[string]any, error) {
	if err := onlyLocal(l.Origin, "this listing"); err != nil {
		return nil, err
	}
	author := u.Enterprise(l.EnterpriseHandle)
	page := u.Listing(l.ID)
	tags := listingTags(u, l)
	text := listingNoteHTML(l, page, tags)
	n := ap.Object{
		Type: "Note", ID: u.ListingNote(l.ID), AttributedTo: author.ID,
		To: []string{ap.Public}, CC: []string{author.Followers}, Content: &text, URL: page,
		Published: l.CreatedAt, Updated: editedAt(l),
		Extra: map[string]any{"tag": tags, "interactionPolicy": quotePolicy()},
	}
	translated := directory.Translations{}
	for lang, tr := range l.Translations {
		tl := *l
		tl.Title, tl.DescriptionHTML = cmp.Or(tr.Title, l.Title), cmp.Or(tr.TextHTML, l.DescriptionHTML)
		translated[lang] = directory.Translation{TextHTML: listingNoteHTML(&tl, page, tags)}
	}
	putLangMap(n.Extra, "contentMap", langMap(l.Language, text, translated, htmlOf, true))
	return n.Document()
}

// listingTags are #need or #offer (leading to the board of open needs or
// offers) and the category (leading to the directory's needs or offers of
// that category).
func listingTags(u URLs, l *directory.Listing) []any {
	tags := appendHashtag(nil, string(l.Type), u.Board(l.Type))
	return appendHashtag(tags, string(l.Category), u.ListingSearch(l.Type, string(l.Category)))
}

// listingNoteHTML writes the companion Note's text.
func listingNoteHTML(l *directory.Listing, page string, tags []any) string {
	var b strings.Builder
	kind := "Offer"
	if l.Type == directory.Need {
		kind = "Need"
	}
	b.WriteString("<p>" + kind + ": " + html.EscapeString(l.Title) + "</p>")
	b.WriteString(l.DescriptionHTML)
	var facts []string
	if l.Quantity != nil {
		facts = append(facts, "Quantity: "+html.EscapeString(strings.TrimSpace(formatQuantity(*l.Quantity)+" "+l.Unit)))
	}
	if l.ValidUntil != "" {
		facts = append(facts, "Valid until: "+html.EscapeString(l.ValidUntil))
	}
	facts = append(facts, "Status: "+html.EscapeString(string(l.Status)))
	b.WriteString("<p>" + strings.Join(facts, "<br>") + "</p>")
	b.WriteString("<p>" + hashtagLinks(tags) + "</p>")
	b.WriteString(`<p><a href="` + html.EscapeString(page) + `">` + html.EscapeString(page) + `</a></p>`)
	return b.String()
}

// hashtagLinks writes hashtags the way Mastodon does, so it links them.
func hashtagLinks(tags []any) string {
	links := make([]string, 0, len(tags))
	for _, t := range tags {
		m := t.(map[string]any)
		name := strings.TrimPrefix(m["name"].(string), "#")
		links = append(links, `<a href="`+html.EscapeString(m["href"].(string))+
			`" class="mention hashtag" rel="tag">#<span>`+html.EscapeString(name)+`</span></a>`)
	}
	return strings.Join(links, " ")
}
