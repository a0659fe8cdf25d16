package web

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

func init() {
	for name, data := range adminSamples() {
		templateSamples[name] = func() any { return data }
	}
	sampleTemplate["admin-editor"] = "admin.html"
	sampleTemplate["admin-listing-edit"] = "admin_listing.html"
}

// adminSamples holds data for the admin pages, with errors on every form.
func adminSamples() map[string]any {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	id := int64(1)
	admin := &directory.User{ID: 1, Name: "Ada <Admin>", Email: "ada@t.example", Role: directory.RoleAdmin, CreatedAt: now}
	editor := &directory.User{ID: 2, Name: "Ed", Email: "ed@t.example", Role: directory.RoleEditor, EnterpriseID: &id, EnterpriseHandle: "shakyhands"}
	page := func(u *directory.User) adminPage {
		return adminPage{layout: layout{Network: "Cooperation Testville", User: u, NoIndex: true,
			Styles: []string{assets.url("admin.css")}}, Notice: "The invitation was created.",
			InviteLink: "https://t.example/invitations/coopdir_i_x", ResetLink: "https://t.example/password-reset/coopdir_r_x",
			EntryLink: "/listings/7"}
	}
	e := &directory.Enterprise{ID: 1, Handle: "shakyhands", Name: "Shaky <Hands>", Kind: directory.KindWorkerCoop, Logo: "/media/abc"}
	l := &directory.Listing{ID: 7, Type: directory.Need, Title: "Planks", Category: "goods", ValidUntil: "2026-01-01", Status: directory.StatusOpen}
	upd := now.Add(time.Hour)
	a := &directory.Announcement{ID: 3, ContentHTML: "<p>Open <em>house</em></p>", CreatedAt: now, UpdatedAt: &upd}
	listings := adminListingList{Items: []adminListing{adminListingRow(l, now)}, Total: 120, Back: "/admin"}
	posts := adminAnnouncementList{Items: []adminAnnouncement{adminAnnouncementRow(a)}, Total: 1, Back: "/admin"}
	failed := func(f *adminForm, fields ...string) *adminForm {
		var fe []directory.FieldError
		for _, name := range fields {
			fe = append(fe, directory.FieldError{Field: name, Rule: "x", Message: "is wrong <here>"})
		}
		f.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid", Fields: fe})
		f.fail(errors.New("hidden cause"))
		return f
	}
	profile := failed(enterpriseForm(false), "name", "location.lat", "languages")
	logo := failed(logoForm(), "logo")
	invite := failed(inviteForm(), "email", "enterprise")
	return map[string]any{
		"login.html": loginView{adminPage: page(nil), Form: failed(loginForm(), "email"), Next: "/admin"},
		"login_code.html": secondStepView{adminPage: page(nil), Form: failed(secondStepForm(), "code"), Next: "/admin",
			Email: "ed@t.example", Ticket: "abc"},
		"invitation.html": invitationView{adminPage: page(nil), Form: failed(acceptForm(), "password", "confirm"),
			Inv: &directory.Invitation{Email: "new@t.example", Role: directory.RoleEditor, EnterpriseHandle: "shakyhands", ExpiresAt: now}},
		"password_reset.html": passwordResetView{adminPage: page(nil), Form: failed(resetForm(), "password", "confirm"),
			Reset: &directory.PasswordReset{Email: "ed@t.example", ExpiresAt: now}},
		"password_forgot.html": forgotView{adminPage: page(nil), Form: failed(forgotForm(), "email"), Stamp: "1.s", Mailed: true, TTL: "2 hours"},
		"respond.html": respondView{layout: page(nil).layout, T: respondTarget{E: e, L: l, Path: "/listings/7", Heading: "Respond to this need"},
			Respond: &respondBox{Action: "/listings/7/respond", Heading: "Respond to this need", Name: e.Name,
				Form: failed(respondForm(), "name", "reach", "message"), Stamp: "1.s", Mailed: true}},
		"account.html": accountView{adminPage: page(editor), Others: 1, Sessions: []*directory.Session{
			{ID: 1, CreatedAt: now, LastSeenAt: now, ClientIP: "192.0.2.1", UserAgent: "Firefox <140>", Current: true},
			{ID: 2, CreatedAt: now, LastSeenAt: now}},
			TwoStep: &twoStepView{Secret: "JBSWY3DPEHPK3PXP", URI: "otpauth://totp/T:ed?secret=JBSWY3DPEHPK3PXP", Form: failed(codeForm(""), "code")}},
		"admin.html": adminHomeView{adminPage: page(admin), IsAdmin: true, Query: "river", Enterprises: []*directory.Enterprise{e},
			Total: 30, Page: 2, Pages: 2, PrevURL: "/admin?q=river"},
		"admin-editor": adminHomeView{adminPage: page(editor), Enterprise: e, Listings: listings, Announcements: posts},
		"admin_enterprise.html": adminEnterpriseView{adminPage: page(admin), E: e, AdminPath: "/admin/enterprises/shakyhands",
			Form: profile, Logo: logo, Errors: append(profile.Errors, logo.Errors...), Listings: listings, Announcements: posts, CanDelete: true},
		"admin_enterprise_new.html":    adminNewEnterpriseView{adminPage: page(admin), Form: failed(enterpriseForm(true), "handle", "kind")},
		"admin_enterprise_delete.html": adminDeleteView{adminPage: page(admin), E: e, Listings: 1, Announcements: 2},
		"admin_confirm_delete.html": adminConfirmView{adminPage: page(editor), E: e, Question: "Delete the need “<Planks>”?",
			Quote: "<p>Open <em>house</em></p>", Effect: "It goes.", Yes: "Yes, delete the need", Action: "/admin/listings/7/delete", Back: "/admin"},
		"admin_listing.html": adminListingView{adminPage: page(editor), E: e, Action: "/admin/enterprises/shakyhands/listings/new",
			Form: failed(listingForm(true), "type", "title", "quantity")},
		"admin-listing-edit": adminListingView{adminPage: page(editor), E: e, L: l, Status: "Expired", Action: "/admin/listings/7",
			Form: failed(listingForm(false), "valid_until")},
		"admin_announcement.html": adminAnnouncementView{adminPage: page(editor), E: e, A: a, Action: "/admin/announcements/3",
			Form: failed(announcementForm(), "content")},
		"admin_settings.html": adminSettingsView{adminPage: page(admin), Form: failed(settingsForm(), "tile_url"), Index: "https://index.example",
			Registrations: []murmurations.Registration{{ProfileURL: "https://coop.example/murmurations/enterprises/a.json", State: murmurations.StateFailing, Error: "index: status 500"}}},
		"admin_users.html": adminUsersView{adminPage: page(admin), Form: invite,
			Users:       []adminUser{{User: admin, Self: true}, {User: editor}},
			Invitations: []*directory.Invitation{{ID: 4, Email: "new@t.example", Role: directory.RoleAdmin, ExpiresAt: now}}},
	}
}

func TestAdminTemplates(t *testing.T) {
	s := &server{pages: parsePages()}
	for name, data := range adminSamples() {
		page := renderSample(t, s, name, data)
		t.Run(name+" labels every control", func(t *testing.T) {
			for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
				if !strings.Contains(page, `for="`+m[1]+`"`) && !strings.Contains(m[0], `type="radio"`) {
					t.Errorf("control #%s has no label", m[1])
				}
			}
		})
		t.Run(name+" ties each error to its control", func(t *testing.T) {
			for _, m := range regexp.MustCompile(`<p class="field-error" id="([^"]+)-error">`).FindAllStringSubmatch(page, -1) {
				if !regexp.MustCompile(`id="` + m[1] + `"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*` + m[1] + `-error"`).MatchString(page) {
					t.Errorf("control #%s is not marked invalid and described by its error", m[1])
				}
				if !strings.Contains(page, `<a href="#`+m[1]+`">`) {
					t.Errorf("the error summary does not link to #%s", m[1])
				}
			}
			if strings.Contains(page, "<here>") || strings.Contains(page, "hidden cause") {
				t.Error("an error message was not escaped, or an internal cause was shown")
			}
		})
		t.Run(name+" focuses the error summary, and nothing else", func(t *testing.T) {
			n := strings.Count(page, " autofocus")
			summary := strings.Contains(page, `class="error-summary"`)
			if summary && (n != 1 || !regexp.MustCompile(`<div class="error-summary"[^>]*tabindex="-1" autofocus>`).MatchString(page)) {
				t.Errorf("%d autofocus attributes; the error summary must have the only one", n)
			}
			if n > 1 {
				t.Errorf("%d autofocus attributes", n)
			}
		})
	}
}
