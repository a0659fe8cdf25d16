package federation

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// An enterprise travels between partner networks as its directory entry:
// an Organization with the enterprise's id (its actor id), name, summary,
// page, dates, location and logo, and coopdir's terms for what
// ActivityStreams has no words for (kind, sectors, contact, founding year,
// governance, membership, languages, demo). The actor document carries the
// same terms, so a partner can also read an entry by fetching the actor.
// Partners decode entries plainly (DecodeEnterprise): this is bulk data.

// enterpriseTerms are coopdir's terms of an enterprise entry, and the
// Markdown source of its summary.
func enterpriseTerms(e *directory.Enterprise) map[string]any {
	t := map[string]any{
		"kind":      string(e.Kind),
		"sectors":   nonNil(e.Sectors),
		"languages": nonNil(e.Languages),
	}
	for k, v := range map[string]string{"website": e.Website, "email": e.Email, "phone": e.Phone,
		"governance": e.Governance, "membership": string(e.Membership)} {
		if v != "" {
			t[k] = v
		}
	}
	if e.Founded != 0 {
		t["founded"] = e.Founded
	}
	if e.Demo {
		t["demo"] = true
	}
	if e.Summary != "" {
		t["source"] = ap.MarkdownSource(e.Summary)
	}
	putLangMap(t, "nameMap", langMap(e.MainLanguage(), e.Name, e.Translations, titleOf, false))
	putLangMap(t, "summaryMap", langMap(e.MainLanguage(), e.SummaryHTML, e.Translations, htmlOf, false))
	return t
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// EnterpriseEntry is a local enterprise as a directory entry: what the
// directory collection lists and what partners receive in an Update.
func EnterpriseEntry(u URLs, e *directory.Enterprise) (map[string]any, error) {
	if err := onlyLocal(e.Origin, "enterprise "+e.Handle); err != nil {
		return nil, err
	}
	urls := u.Enterprise(e.Handle)
	extra := enterpriseTerms(e)
	extra["network"] = u.Network().ID
	extra["updated"] = preciseTime(e.UpdatedAt)
	return ap.Profile{
		Type: "Organization", ID: urls.ID, Username: e.Handle, Name: e.Name, SummaryHTML: e.SummaryHTML,
		URL: urls.ID, Published: e.CreatedAt, Updated: e.UpdatedAt, Icon: logoIcon(u, e.Logo),
		Location: e.Location, Extra: extra,
	}.Document()
}

// EnterpriseDoc is an enterprise entry (or an enterprise's actor document)
// decoded into a plain struct.
type EnterpriseDoc struct {
	ID         string         `json:"id"`
	Type       string         `json:"type"`
	Username   string         `json:"preferredUsername"`
	Name       string         `json:"name"`
	Summary    string         `json:"summary"`
	Source     *sourceDoc     `json:"source"`
	URL        any            `json:"url"`
	Published  string         `json:"published"`
	Updated    string         `json:"updated"`
	Location   *placeDoc      `json:"location"`
	Icon       any            `json:"icon"`
	Kind       string         `json:"kind"`
	Sectors    []string       `json:"sectors"`
	Languages  []string       `json:"languages"`
	Website    string         `json:"website"`
	Email      string         `json:"email"`
	Phone      string         `json:"phone"`
	Founded    int            `json:"founded"`
	Governance string         `json:"governance"`
	Membership string         `json:"membership"`
	Demo       bool           `json:"demo"`
	NameMap    map[string]any `json:"nameMap"`
	SummaryMap map[string]any `json:"summaryMap"`
	// Dropped names the received translations Enterprise left out.
	Dropped []string `json:"-"`
}

// DecodeEnterprise decodes one enterprise entry. EINVALID when the
// document is not one.
func DecodeEnterprise(raw []byte) (*EnterpriseDoc, error) {
	if len(raw) > ap.MaxDocumentSize {
		return nil, directory.Errorf(directory.ETOOLARGE, "the document is larger than %d bytes", ap.MaxDocumentSize)
	}
	if ap.Depth(raw) > ap.MaxDocumentDepth {
		return nil, directory.Errorf(directory.EINVALID, "the entry is nested deeper than %d levels", ap.MaxDocumentDepth)
	}
	var d EnterpriseDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the entry is not in the expected form: %s", err.Error())
	}
	if d.Type != "Organization" || d.ID == "" || d.Kind == "" {
		return nil, directory.Errorf(directory.EINVALID, "the document is not a coopdir enterprise entry")
	}
	return &d, nil
}

// Enterprise rebuilds the enterprise the entry describes, as a partner's
// entry: Origin is the host of its id, RemoteID its id, RemoteURL its page,
// Handle the last segment of its id. SummaryHTML is as received: the caller
// renders or sanitizes it again. now bounds the founding year of the
// validation. The result is validated.
func (d *EnterpriseDoc) Enterprise(now time.Time) (*directory.Enterprise, error) {
	e := &directory.Enterprise{Name: d.Name, Kind: directory.Kind(d.Kind), Sectors: d.Sectors,
		SummaryHTML: d.Summary, Website: d.Website, Email: d.Email, Phone: d.Phone, Founded: d.Founded,
		Governance: d.Governance, Membership: directory.Membership(d.Membership), Languages: d.Languages,
		Demo: d.Demo, RemoteID: d.ID, RemoteURL: urlOf(d.URL)}
	var err error
	if e.Origin, err = Host(d.ID); err != nil {
		return nil, err
	}
	if e.Handle, err = handleOf(d.ID); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the entry's id is not a coopdir enterprise")
	}
	if d.Source != nil && d.Source.MediaType == "text/markdown" {
		e.Summary = d.Source.Content
	}
	if logo := urlOf(d.Icon); strings.HasPrefix(logo, "https://") || strings.HasPrefix(logo, "http://") {
		e.Logo = logo
	}
	e.Location = d.Location.location()
	e.Translations, d.Dropped = keepReceived(received(d.NameMap, d.SummaryMap, d.Name, d.Summary),
		e.MainLanguage(), directory.EnterpriseTranslationLimits)
	if e.CreatedAt, err = time.Parse(time.RFC3339, d.Published); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "published is not a date and time")
	}
	e.CreatedAt = e.CreatedAt.UTC()
	e.UpdatedAt = e.CreatedAt
	if d.Updated != "" {
		if e.UpdatedAt, err = time.Parse(time.RFC3339, d.Updated); err != nil {
			return nil, directory.Errorf(directory.EINVALID, "updated is not a date and time")
		}
		e.UpdatedAt = e.UpdatedAt.UTC()
	}
	if err := e.Validate(now); err != nil {
		return nil, err
	}
	return e, nil
}

// firstURL reads a url or icon property as ActivityStreams writes it: a
// string, a Link or Image with href or url, or an array of those.
func urlOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if s, ok := x["href"].(string); ok {
			return s
		}
		return urlOf(x["url"])
	case []any:
		for _, e := range x {
			if s := urlOf(e); s != "" {
				return s
			}
		}
	}
	return ""
}
