package federation

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// ProposalDoc is a coopdir listing Proposal decoded into a plain struct: the
// cheap way to read partners' listings in bulk (backfill), without go-fed's
// full parse. It reads the shape ListingProposal writes and nothing more.
type ProposalDoc struct {
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	AttributedTo string         `json:"attributedTo"`
	Name         string         `json:"name"`
	Content      string         `json:"content"`
	Source       *sourceDoc     `json:"source"`
	URL          string         `json:"url"`
	Published    string         `json:"published"`
	Updated      string         `json:"updated"`
	EndTime      string         `json:"endTime"`
	Location     *placeDoc      `json:"location"`
	Purpose      string         `json:"purpose"`
	Publishes    *intentDoc     `json:"publishes"`
	Status       string         `json:"status"`
	Demo         bool           `json:"demo"`
	NameMap      map[string]any `json:"nameMap"`
	ContentMap   map[string]any `json:"contentMap"`
	// Dropped names the received translations Listing left out.
	Dropped []string `json:"-"`
}

type sourceDoc struct {
	Content   string `json:"content"`
	MediaType string `json:"mediaType"`
}

type placeDoc struct {
	Name      string   `json:"name"`
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	Radius    *float64 `json:"radius"`
	Units     string   `json:"units"`
}

type intentDoc struct {
	Action             string       `json:"action"`
	ResourceConformsTo string       `json:"resourceConformsTo"`
	ResourceQuantity   *quantityDoc `json:"resourceQuantity"`
}

type quantityDoc struct {
	HasUnit           string          `json:"hasUnit"`
	HasNumericalValue json.RawMessage `json:"hasNumericalValue"`
}

// DecodeProposal decodes one of our listing Proposals (as served, or nested
// in a Create or Update, once the caller has taken the object out). It
// returns an EINVALID error when the document is not one.
func DecodeProposal(raw []byte) (*ProposalDoc, error) {
	if len(raw) > ap.MaxDocumentSize {
		return nil, directory.Errorf(directory.ETOOLARGE, "the document is larger than %d bytes", ap.MaxDocumentSize)
	}
	if ap.Depth(raw) > ap.MaxDocumentDepth {
		return nil, directory.Errorf(directory.EINVALID, "the proposal is nested deeper than %d levels", ap.MaxDocumentDepth)
	}
	var p ProposalDoc
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&p); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the proposal is not in the expected form: %s", err.Error())
	}
	if p.Type != "Proposal" || p.ID == "" || p.AttributedTo == "" || p.Publishes == nil {
		return nil, directory.Errorf(directory.EINVALID, "the document is not a coopdir listing proposal")
	}
	return &p, nil
}

// Listing rebuilds the listing the Proposal describes, as a partner's entry:
// Origin is the host of its id, RemoteID its id and RemoteURL its page. The
// enterprise handle is the last segment of attributedTo (coopdir's actor ids
// end in /enterprises/{handle}). DescriptionHTML is as received: the Service
// renders it again from Description before storing. The result is validated.
func (p *ProposalDoc) Listing() (*directory.Listing, error) {
	l := &directory.Listing{Title: p.Name, Status: directory.Status(p.Status), Demo: p.Demo,
		RemoteID: p.ID, RemoteURL: p.URL, DescriptionHTML: p.Content}
	var err error
	if l.Origin, err = Host(p.ID); err != nil {
		return nil, err
	}
	if l.EnterpriseHandle, err = handleOf(p.AttributedTo); err != nil {
		return nil, err
	}
	if err := p.fill(l); err != nil {
		return nil, err
	}
	l.Translations, p.Dropped = keepReceived(received(p.NameMap, p.ContentMap, p.Name, p.Content),
		"", directory.ListingTranslationLimits)
	if err := l.Validate(); err != nil {
		return nil, err
	}
	return l, nil
}

// fill copies the fields that need converting.
func (p *ProposalDoc) fill(l *directory.Listing) error {
	switch p.Purpose {
	case purposeOffer:
		l.Type = directory.Offer
	case purposeRequest:
		l.Type = directory.Need
	default:
		return directory.Errorf(directory.EINVALID, "purpose must be offer or request")
	}
	if p.Source != nil && p.Source.MediaType == "text/markdown" {
		l.Description = p.Source.Content
	}
	l.Category = directory.Category(strings.TrimPrefix(p.Publishes.ResourceConformsTo, categoryPrefix))
	if err := p.fillQuantity(l); err != nil {
		return err
	}
	l.Location = p.Location.location()
	if p.EndTime != "" {
		end, err := time.Parse(time.RFC3339, p.EndTime)
		if err != nil {
			return directory.Errorf(directory.EINVALID, "endTime is not a date and time")
		}
		l.ValidUntil = end.UTC().Format(directory.DateLayout)
	}
	return p.fillDates(l)
}

func (p *ProposalDoc) fillQuantity(l *directory.Listing) error {
	q := p.Publishes.ResourceQuantity
	if q == nil {
		return nil
	}
	// A listing without a unit is counted in "one"; a unit written "one"
	// reads back as no unit, which says the same.
	if q.HasUnit != unitOne {
		l.Unit = q.HasUnit
	}
	if len(q.HasNumericalValue) == 0 {
		return nil
	}
	// FEP-0837 writes the amount as a string; accept a bare number too.
	var s string
	if json.Unmarshal(q.HasNumericalValue, &s) != nil {
		s = string(q.HasNumericalValue)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return directory.Errorf(directory.EINVALID, "hasNumericalValue is not a number")
	}
	l.Quantity = &v
	return nil
}

func (p *ProposalDoc) fillDates(l *directory.Listing) error {
	var err error
	if l.CreatedAt, err = time.Parse(time.RFC3339, p.Published); err != nil {
		return directory.Errorf(directory.EINVALID, "published is not a date and time")
	}
	l.CreatedAt = l.CreatedAt.UTC()
	l.UpdatedAt = l.CreatedAt
	if p.Updated != "" {
		if l.UpdatedAt, err = time.Parse(time.RFC3339, p.Updated); err != nil {
			return directory.Errorf(directory.EINVALID, "updated is not a date and time")
		}
		l.UpdatedAt = l.UpdatedAt.UTC()
	}
	return nil
}

// location converts a Place back; the radius is in km unless units says
// metres or miles.
func (pl *placeDoc) location() directory.Location {
	if pl == nil {
		return directory.Location{}
	}
	loc := directory.Location{Address: pl.Name, Lat: pl.Latitude, Lon: pl.Longitude}
	if pl.Radius != nil {
		r := *pl.Radius
		switch pl.Units {
		case "m":
			r /= 1000
		case "miles":
			r *= 1.609344
		}
		loc.RadiusKM = &r
	}
	return loc
}

// handleOf returns the enterprise handle at the end of an actor id.
func handleOf(actorID string) (string, error) {
	u, err := url.Parse(actorID)
	if err != nil {
		return "", directory.Errorf(directory.EINVALID, "attributedTo is not a URL")
	}
	const seg = "/enterprises/"
	i := strings.LastIndex(u.Path, seg)
	if i < 0 || directory.ValidateHandle(u.Path[i+len(seg):]) != nil {
		return "", directory.Errorf(directory.EINVALID, "attributedTo is not a coopdir enterprise")
	}
	return u.Path[i+len(seg):], nil
}
