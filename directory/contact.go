package directory

import (
	"context"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ContactMessage is what a visitor sends an enterprise with the Respond form
// of its page, or of one of its needs and offers, without an account: who
// they are, how to reach them and what they say. The enterprise's editors
// read it beside the fediverse replies.
type ContactMessage struct {
	ID           int64     `json:"id"`
	EnterpriseID int64     `json:"-"`
	ListingID    int64     `json:"listing_id,omitempty"` // 0: sent from the enterprise's page
	Name         string    `json:"name"`
	Reach        string    `json:"reach"` // how to reach the sender: an email, a phone number…
	Message      string    `json:"message"`
	CreatedAt    time.Time `json:"created_at"`
}

// Bounds of a contact message's fields, in characters.
const (
	ContactNameMax    = 100
	ContactReachMax   = 200
	ContactMessageMax = 5000
)

// Validate normalises m (trims the fields, keeps the message's line breaks)
// and checks them. The name and the way to reach the sender go into mail
// headers: a line break or another control character in them is refused,
// not folded, since nobody types one there.
func (m *ContactMessage) Validate() error {
	var fe fieldErrors
	m.Name, m.Reach = strings.TrimSpace(m.Name), strings.TrimSpace(m.Reach)
	m.Message = strings.TrimSpace(strings.ReplaceAll(m.Message, "\r\n", "\n"))
	oneLineText(&fe, "name", m.Name, ContactNameMax)
	oneLineText(&fe, "reach", m.Reach, ContactReachMax)
	requireText(&fe, "message", m.Message, ContactMessageMax)
	if strings.ContainsFunc(m.Message, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) {
		fe.add("message", "encoding", "must not contain control characters")
	}
	return fe.err("message")
}

// oneLineText requires s, at most max characters on one line.
func oneLineText(fe *fieldErrors, field, s string, max int) {
	if strings.ContainsFunc(s, unicode.IsControl) {
		fe.add(field, "one_line", "must be on one line, without control characters")
		return
	}
	requireText(fe, field, s, max)
}

// ReplyAddress is the sender's email address when Reach is one, so that a
// mail about the message can be answered; otherwise "".
func (m *ContactMessage) ReplyAddress() string {
	a, err := mail.ParseAddress(m.Reach)
	if err != nil || a.Address != m.Reach {
		return ""
	}
	return a.Address
}

// ContactStore stores the messages of the Respond forms.
type ContactStore interface {
	// CreateContactMessage inserts m and sets m.ID. ENOTFOUND when its
	// enterprise is gone.
	CreateContactMessage(ctx context.Context, m *ContactMessage) error
	// ListContactMessages returns the messages to enterpriseID, newest
	// first, and their total.
	ListContactMessages(ctx context.Context, enterpriseID int64, p Page) ([]*ContactMessage, int, error)
}

// ContactReceipt says what became of a message sent with SendContactMessage:
// who should get it by mail and what it is about.
type ContactReceipt struct {
	Enterprise *Enterprise
	Listing    *Listing // nil for a message sent from the enterprise's page
	// Recipients are the email addresses of the enterprise's editors, or,
	// when it has none, of the admins.
	Recipients []string
}

// SendContactMessage stores a message to the local enterprise handle about
// its listing listingID (0: about the enterprise itself). Anyone may send
// one: no account is needed. ENOTFOUND (the enterprise, or the listing when
// it is not one of the enterprise's local listings), EINVALID.
func (s *Service) SendContactMessage(ctx context.Context, handle string, listingID int64, m *ContactMessage) (*ContactReceipt, error) {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, err
	}
	rc := &ContactReceipt{Enterprise: e}
	if listingID != 0 {
		l, err := s.store.FindListing(ctx, listingID)
		if err != nil {
			return nil, err
		}
		if l.Origin != "" || l.EnterpriseID != e.ID {
			return nil, Errorf(ENOTFOUND, "listing not found")
		}
		rc.Listing = l
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.ID, m.EnterpriseID, m.ListingID, m.CreatedAt = 0, e.ID, listingID, s.now()
	if err := s.store.CreateContactMessage(ctx, m); err != nil {
		return nil, err
	}
	if rc.Recipients, err = s.contactRecipients(ctx, e.ID); err != nil {
		return nil, err
	}
	return rc, nil
}

// contactRecipients returns the addresses of the editors of enterprise id,
// or of the admins when it has no editor.
func (s *Service) contactRecipients(ctx context.Context, id int64) ([]string, error) {
	users, err := s.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	var editors, admins []string
	for _, u := range users {
		switch {
		case u.Role == RoleEditor && u.EnterpriseID != nil && *u.EnterpriseID == id:
			editors = append(editors, u.Email)
		case u.Role == RoleAdmin:
			admins = append(admins, u.Email)
		}
	}
	if len(editors) > 0 {
		return slices.Compact(editors), nil
	}
	return slices.Compact(admins), nil
}

// ContactMessages returns a page of the messages sent to the enterprise
// handle with its Respond forms, newest first, and their total. Editors of
// the enterprise and admins only. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ContactMessages(ctx context.Context, handle string, p Page) ([]*ContactMessage, int, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListContactMessages(ctx, e.ID, p)
}
