package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/mail"
)

// Mailer queues mail for the operator's SMTP server; cmd fills
// Options.Mail with one when SMTP is configured.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// respondForm returns the controls of the Respond form.
func respondForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "name", Label: "Your name", Type: "text", Required: true, Auto: "name"},
		&adminField{Name: "reach", Label: "How to reach you", Type: "text", Required: true, Auto: "email",
			Hint: "An email address or a phone number: only the enterprise's editors see it."},
		&adminField{Name: "message", Label: "Your message", Type: "textarea", Required: true, Rows: 6,
			Hint: "At most " + strconv.Itoa(directory.ContactMessageMax) + " characters."},
	)
}

// respondBox is the data of the "respond" part: the form that writes to an
// enterprise, on its page, on its listings' pages and on the Respond page.
type respondBox struct {
	Action  string // where the form posts
	Heading string
	Name    string // of the enterprise
	Form    *adminForm
	Stamp   string
	Mailed  bool // SMTP is set: the editors get the message by mail
	Sent    bool // the message was sent (the page after the post)
	Problem string
}

// respondTarget is what a Respond form writes about: a local enterprise
// and perhaps one of its listings.
type respondTarget struct {
	E       *directory.Enterprise
	L       *directory.Listing
	Path    string // the entry's page
	Heading string
}

// respondBox returns the empty Respond form of t.
func (s *server) respondBox(t respondTarget) *respondBox {
	action := t.Path + "/respond"
	return &respondBox{Action: action, Heading: t.Heading, Name: t.E.Name, Form: respondForm(),
		Stamp: s.stamps.stamp(action), Mailed: s.opt.Mail != nil}
}

// enterpriseRespondTarget is the Respond form of an enterprise's page.
func enterpriseRespondTarget(e *directory.Enterprise) respondTarget {
	return respondTarget{E: e, Path: enterprisePath(e.Handle), Heading: "Write to " + e.Name} // translated by its pattern
}

// listingRespondTarget is the Respond form of a local listing's page.
func listingRespondTarget(e *directory.Enterprise, l *directory.Listing) respondTarget {
	h := msg("Respond to this offer")
	if l.Type == directory.Need {
		h = msg("Respond to this need")
	}
	return respondTarget{E: e, L: l, Path: listingPath(l.ID), Heading: h}
}

// respondView is the data of respond.html.
type respondView struct {
	layout
	T       respondTarget
	Respond *respondBox
}

// findRespondTarget reads the target of the request's path: the enterprise
// {handle}, or the listing {id} when the path has one. Partner entries
// have no form here (their own network's page has theirs).
func (s *server) findRespondTarget(r *http.Request) (respondTarget, error) {
	ctx := r.Context()
	if chi.URLParam(r, "id") == "" {
		e, err := s.svc.Enterprise(ctx, chi.URLParam(r, "handle"))
		if err != nil {
			return respondTarget{}, err
		}
		return enterpriseRespondTarget(e), nil
	}
	id, err := listingID(r)
	if err != nil {
		return respondTarget{}, err
	}
	l, err := s.svc.Listing(ctx, id)
	if err != nil {
		return respondTarget{}, err
	}
	if l.Origin != "" {
		return respondTarget{}, directory.Errorf(directory.ENOTFOUND, "this listing belongs to a partner network: respond on its page there")
	}
	e, err := s.svc.Enterprise(ctx, l.EnterpriseHandle)
	if err != nil {
		return respondTarget{}, err
	}
	return listingRespondTarget(e, l), nil
}

// respondPage answers GET /enterprises/{handle}/respond and
// /listings/{id}/respond: the Respond form on a page of its own, and, after
// a message was sent (?sent=1), the thanks.
func (s *server) respondPage(w http.ResponseWriter, r *http.Request) {
	t, err := s.findRespondTarget(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	box := s.respondBox(t)
	box.Sent = r.URL.Query().Get("sent") == "1"
	s.renderRespond(w, r, http.StatusOK, t, box)
}

func (s *server) renderRespond(w http.ResponseWriter, r *http.Request, status int, t respondTarget, box *respondBox) {
	v := respondView{layout: s.layout(r, t.Heading), T: t, Respond: box}
	v.NoIndex = true
	v.Styles = append(v.Styles, assets.url("admin.css"))
	s.render(noStore(w), r, status, "respond.html", v)
}

// respond answers POST /enterprises/{handle}/respond and
// /listings/{id}/respond: it checks the form's guards and the client's
// limit, stores the message, queues the mail to the enterprise's editors
// (when SMTP is set) and shows the thanks.
func (s *server) respond(w http.ResponseWriter, r *http.Request) {
	t, err := s.findRespondTarget(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if !s.parseAdminForm(w, r) {
		return
	}
	box := s.respondBox(t)
	box.Form.fill(r.PostForm)
	if problem, status := s.guardForm(r, box.Action); problem != "" {
		box.Form.Errors = append(box.Form.Errors, adminFormError{Message: problem})
		s.renderRespond(w, r, status, t, box)
		return
	}
	if ok, wait := s.responds.take("respond", s.clientIP(r)); !ok {
		s.tooManyPosts(w, r, wait, "messages")
		return
	}
	m := &directory.ContactMessage{Name: r.PostFormValue("name"), Reach: r.PostFormValue("reach"), Message: r.PostFormValue("message")}
	var listing int64
	if t.L != nil {
		listing = t.L.ID
	}
	rc, err := s.svc.SendContactMessage(r.Context(), t.E.Handle, listing, m)
	if err != nil {
		if s.adminFormFailed(w, r, box.Form, err) {
			s.renderRespond(w, r, adminFormStatus(err), t, box)
		}
		return
	}
	s.mailContact(r, rc, m)
	http.Redirect(w, r, box.Action+"?sent=1", http.StatusSeeOther)
}

// mailContact queues the mail of a stored message to its recipients. A
// failure is logged: the message is stored and shows on the Responses
// page all the same.
func (s *server) mailContact(r *http.Request, rc *directory.ContactReceipt, m *directory.ContactMessage) {
	if s.opt.Mail == nil || len(rc.Recipients) == 0 {
		return
	}
	// The editors' languages are not known: the mail speaks the
	// instance's default language.
	t := s.defaultLocale(r).sprintf
	network := s.settings(r).NetworkName
	wrote := t("%s wrote about your enterprise %s with the Respond form of %s:", m.Name, rc.Enterprise.Name, network)
	subject := t("Message from %s to %s", m.Name, rc.Enterprise.Name)
	if l := rc.Listing; l != nil {
		link := s.url(listingPath(l.ID))
		wrote = t("%s wrote about your offer “%s” (%s) with the Respond form of %s:", m.Name, l.Title, link, network)
		if l.Type == directory.Need {
			wrote = t("%s wrote about your need “%s” (%s) with the Respond form of %s:", m.Name, l.Title, link, network)
		}
		subject = t("Response from %s to “%s”", m.Name, l.Title)
	}
	var b strings.Builder
	b.WriteString(wrote + "\n\n")
	b.WriteString(m.Message + "\n\n")
	b.WriteString(t("How to reach them: %s", m.Reach) + "\n\n")
	b.WriteString("-- \n" + t("You get this as an editor of %s. Every message is also on its Responses page:", rc.Enterprise.Name) + "\n")
	b.WriteString(s.url(adminEnterprisePath(rc.Enterprise.Handle)+"/responses") + "\n")
	msg := mail.Message{To: rc.Recipients, Subject: subject, Body: b.String()}
	if addr := m.ReplyAddress(); addr != "" {
		msg.ReplyTo, msg.ReplyToName = addr, m.Name
	}
	if err := s.opt.Mail.Send(r.Context(), msg); err != nil {
		s.log.ErrorContext(r.Context(), "queue contact mail", "enterprise", rc.Enterprise.Handle, "message", m.ID, "err", err)
	}
}
