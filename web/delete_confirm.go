package web

import (
	"html/template"
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// Deleting a listing or an announcement asks first, on a page of its own
// that needs no script: the Delete buttons post without "confirm", which
// shows this page; its button posts again with confirm=yes.

// adminConfirmView is the data of admin_confirm_delete.html.
type adminConfirmView struct {
	adminPage
	E           *directory.Enterprise // the owner, for the crumbs
	Question    string                // the heading, "Delete the need “Planks”?"
	Quote       template.HTML         // what would be deleted, as its page shows it, if the question does not say
	Effect, Yes string
	Action      string // where the button posts
	Back        string // where both choices return to
}

// confirmed reports whether the submitted form is the confirmation page's.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// confirmBack is where a confirmation returns to: the form's or query's
// "back" value when it is a page of this site, else fallback.
func confirmBack(r *http.Request, fallback string) string {
	back := r.FormValue("back")
	if back == "" {
		return fallback
	}
	return safeNext(back)
}

// adminConfirmDeleteListing answers GET /admin/listings/{id}/delete, and a
// delete button posted without confirmation.
func (s *server) adminConfirmDeleteListing(w http.ResponseWriter, r *http.Request) {
	l, owner, ok := s.managedListing(w, r)
	if !ok {
		return
	}
	what := "offer"
	if l.Type == directory.Need {
		what = "need"
	}
	v := adminConfirmView{adminPage: s.adminPage(w, r, "Delete "+l.Title), E: owner,
		Question: "Delete the " + what + " “" + l.Title + "”?",
		Effect:   "It leaves the directory and the board, and its followers on the fediverse are told that it is gone. To keep it on record instead, mark it fulfilled or withdraw it.",
		Yes:      "Yes, delete the " + what, Action: adminListingPath(l.ID) + "/delete",
		Back: confirmBack(r, adminEnterprisePath(owner.Handle)+"#listings")}
	s.render(w, r, http.StatusOK, "admin_confirm_delete.html", v)
}

// adminConfirmDeleteAnnouncement answers GET /admin/announcements/{id}/delete,
// and a delete button posted without confirmation.
func (s *server) adminConfirmDeleteAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, owner, ok := s.managedAnnouncement(w, r)
	if !ok {
		return
	}
	when := a.CreatedAt.UTC().Format("2 January 2006")
	v := adminConfirmView{adminPage: s.adminPage(w, r, "Delete the announcement"), E: owner,
		Question: "Delete the announcement of " + when + "?", Quote: trustedHTML(a.ContentHTML),
		Effect: "It leaves the enterprise's page and feed, and its followers on the fediverse are told that it is gone.",
		Yes:    "Yes, delete the announcement", Action: adminAnnouncementPath(a.ID) + "/delete",
		Back: confirmBack(r, adminEnterprisePath(owner.Handle)+"#announcements")}
	s.render(w, r, http.StatusOK, "admin_confirm_delete.html", v)
}
