package web

import (
	"embed"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// The admin pages (admin*.html, login.html, invitation.html) are pages like
// the others, parsed with the layout. The parts they share live in
// templates/admin/ and are called with the "part" template function.

//go:embed templates/admin/*.html
var adminPartsFS embed.FS

func init() {
	// Bound to a language, with the parts parsed in it, by funcsFor.
	templateFuncs["part"] = func(string, any) (template.HTML, error) {
		return "", errors.New("part: parts are bound to a language by funcsFor")
	}
}

// adminPage is the frame of every admin page: the site's layout with the
// admin stylesheet, and the notice left by the previous action.
type adminPage struct {
	layout
	Notice     string
	InviteLink string // a new invitation's link, shown once
	ResetLink  string // a new password-reset link, shown once
	EntryLink  string // the public page of what was just posted or saved
}

// adminPage returns the frame of an admin page titled title, taking the
// notice left for this request.
func (s *server) adminPage(w http.ResponseWriter, r *http.Request, title string) adminPage {
	p := adminPage{layout: s.layout(r, title)}
	p.NoIndex = true
	p.Styles = append(p.Styles, assets.url("admin.css"))
	p.takeFlash(s, w, r)
	return p
}

// flashCookie carries a notice across the redirect that follows a
// successful form (Post/Redirect/Get). It holds a key of flashMessages,
// never text to show, and lives for a minute.
const flashCookie = "coopdir_flash"

// flashMessages are the notices the admin pages can show.
var flashMessages = map[string]string{
	"signed-in":            msg("You are signed in."),
	"welcome":              msg("Welcome! Your account is ready and you are signed in."),
	"enterprise-created":   msg("The enterprise was created. Complete its profile below."),
	"enterprise-saved":     msg("The profile was saved."),
	"enterprise-deleted":   msg("The enterprise was deleted, with its needs, offers and announcements."),
	"logo-saved":           msg("The logo was saved."),
	"logo-removed":         msg("The logo was removed."),
	"listing-created":      msg("The listing was posted."),
	"listing-saved":        msg("The listing was saved."),
	"listing-fulfilled":    msg("The listing is marked as fulfilled."),
	"listing-withdrawn":    msg("The listing was withdrawn."),
	"listing-renewed":      msg("The listing is open again for 30 days."),
	"listing-deleted":      msg("The listing was deleted."),
	"announcement-created": msg("The announcement was posted."),
	"announcement-saved":   msg("The announcement was saved."),
	"announcement-deleted": msg("The announcement was deleted."),
	"settings-saved":       msg("The settings were saved."),
	"invited":              msg("The invitation was created."),
	"invitation-cancelled": msg("The invitation was cancelled."),
	"user-deleted":         msg("The account was deleted."),
	"reset-created":        msg("The password-reset link was created."),
	"password-reset":       msg("Your new password is set, and every other browser signed in to your account was signed out."),
	"session-ended":        msg("That browser was signed out."),
	"sessions-ended":       msg("Every other browser was signed out."),
	"two-step-off":         msg("Two-step sign-in is off."),
	"two-step-reset":       msg("Two-step sign-in of that account is off and its browsers are signed out: its owner signs in with the password alone."),
	"match-dismissed":      msg("The match was dismissed: it will not come back."),
	"agreement-offered":    msg("The agreement was offered. It shows here until the other enterprise answers."),
	"agreement-accepted":   msg("The agreement was accepted, and the listing updated."),
	"agreement-declined":   msg("The agreement was declined."),
	"murmurations-import":  msg("The import has started: its progress shows below."),
}

// redirectWith sends the browser to path with a notice for the next page.
// detail is the secret of a new invitation, for "invited", or of a new
// password-reset link, for "reset-created", or the id of the listing or
// announcement a notice of entryFlashes is about.
func (s *server) redirectWith(w http.ResponseWriter, r *http.Request, path, key, detail string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: url.QueryEscape(key + ":" + detail), Path: "/",
		MaxAge: 60, HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// entryFlashes are the notices about a listing or an announcement that
// link to its public page; the flash's detail is its id.
var entryFlashes = map[string]string{
	"listing-created": "/listings/", "listing-saved": "/listings/",
	"announcement-created": "/announcements/", "announcement-saved": "/announcements/",
}

// takeFlash reads and clears the notice left by the previous action.
func (p *adminPage) takeFlash(s *server, w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return
	}
	key, detail, _ := strings.Cut(v, ":")
	p.Notice = flashMessages[key]
	switch {
	case key == "invited" && strings.HasPrefix(detail, directory.InvitationPrefix):
		p.InviteLink = s.url("/invitations/" + url.PathEscape(detail))
	case key == "reset-created" && strings.HasPrefix(detail, directory.PasswordResetPrefix):
		p.ResetLink = s.url("/password-reset/" + url.PathEscape(detail))
	case entryFlashes[key] != "":
		// The cookie is the browser's: only a number makes a link.
		if id, err := strconv.ParseInt(detail, 10, 64); err == nil && id > 0 {
			p.EntryLink = entryFlashes[key] + strconv.FormatInt(id, 10)
		}
	}
}

// noStore keeps a response out of every cache, whatever render decides:
// for pages whose address or form is a secret (invitations, sign-in).
func noStore(w http.ResponseWriter) http.ResponseWriter { return &noStoreWriter{ResponseWriter: w} }

type noStoreWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (n *noStoreWriter) WriteHeader(status int) {
	if !n.wroteHeader {
		n.wroteHeader = true
		n.Header().Set("Cache-Control", cachePrivate)
	}
	n.ResponseWriter.WriteHeader(status)
}

func (n *noStoreWriter) Write(b []byte) (int, error) {
	if !n.wroteHeader {
		n.WriteHeader(http.StatusOK)
	}
	return n.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (n *noStoreWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }
