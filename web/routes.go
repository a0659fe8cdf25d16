package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes lists every route of the instance. Reads are public (but an
// enterprise's following, feed and responses); writes go through
// requireToken, which puts the token's user in the context; the Service
// decides what that user may do. HEAD is answered by the GET routes.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverPanics, securityHeaders, compress, middleware.GetHead, s.activityPub)
	r.Use(s.crossOriginProtection(), s.sessions)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	auth := r.With(s.requireToken)

	// Public pages.
	r.Get("/", s.homePage)
	r.Get("/directory", s.directoryPage)
	r.Get("/map", s.mapPage)
	r.Get("/map/places", s.mapPlaces)
	r.Get("/board", s.boardPage)
	r.Get("/enterprises/{handle}", s.enterprisePage)
	r.Get("/enterprises/{handle}/vcard", s.enterpriseVCard)
	r.Get("/listings/{id}", s.listingPage)
	r.Get("/enterprises/{handle}/respond", s.respondPage)
	r.Post("/enterprises/{handle}/respond", s.respond)
	r.Get("/listings/{id}/respond", s.respondPage)
	r.Post("/listings/{id}/respond", s.respond)
	r.Get("/announcements", s.announcementsPage)
	r.Get("/announcements/{id}", s.announcementPage)
	r.Get("/murmurations/enterprises/{file}", s.enterpriseProfile)
	r.Get("/murmurations/listings/{file}", s.listingProfile)
	r.Get("/feeds/{feed}.atom", s.siteFeed)
	r.Get("/enterprises/{handle}/feeds/{feed}.atom", s.enterpriseFeed)
	r.Get("/static/{version}/*", s.static)
	r.Get("/follow", s.followPage)
	r.Post("/follow", s.followRemote)
	r.Get("/help/follow", s.helpFollowPage)
	r.Get("/favicon.ico", s.favicon)
	r.Get("/robots.txt", s.robots)
	r.Get("/sitemap.xml", s.sitemapIndexPage)
	r.Get("/sitemaps/{part}.xml", s.sitemapPart)
	for path := range actorPages {
		r.Get(path, s.actorPage)
	}

	// Accounts and admin. Signed-out visitors of /admin pages are sent to
	// /login; requireAdmin shows a 403 page to editors.
	r.Get("/login", s.loginPage)
	r.Post("/login", s.login)
	r.Post("/login/code", s.loginCode)
	r.Post("/logout", s.logout)
	r.Get("/invitations/{secret}", s.invitationPage)
	r.Post("/invitations/{secret}", s.acceptInvitation)
	r.Get("/password-reset", s.forgotPage)
	r.Post("/password-reset", s.forgotPassword)
	r.Get("/password-reset/{secret}", s.passwordResetPage)
	r.Post("/password-reset/{secret}", s.resetPassword)
	r.Get("/media/{id}", s.media)
	signedIn := r.With(s.requireUser)
	admin := signedIn.With(s.requireAdmin)
	signedIn.Get("/admin", s.adminHome)
	signedIn.Get("/admin/account", s.accountPage)
	signedIn.Post("/admin/account/sessions/end-others", s.accountEndOthers)
	signedIn.Post("/admin/account/two-step", s.accountEnableTwoStep)
	signedIn.Post("/admin/account/two-step/off", s.accountDisableTwoStep)
	signedIn.Post("/admin/account/sessions/{id}/end", s.accountEndSession)
	admin.Get("/admin/enterprises/new", s.adminNewEnterprise)
	admin.Post("/admin/enterprises/new", s.adminCreateEnterprise)
	signedIn.Get("/admin/enterprises/{handle}", s.adminEnterprise)
	signedIn.Post("/admin/enterprises/{handle}", s.adminUpdateEnterprise)
	admin.Get("/admin/enterprises/{handle}/delete", s.adminConfirmDeleteEnterprise)
	admin.Post("/admin/enterprises/{handle}/delete", s.adminDeleteEnterprise)
	signedIn.Post("/admin/enterprises/{handle}/logo", s.adminUploadLogo)
	signedIn.Post("/admin/enterprises/{handle}/logo/delete", s.adminRemoveLogo)
	signedIn.Get("/admin/enterprises/{handle}/listings/new", s.adminNewListing)
	signedIn.Post("/admin/enterprises/{handle}/listings/new", s.adminCreateListing)
	signedIn.Get("/admin/listings/{id}", s.adminListing)
	signedIn.Post("/admin/listings/{id}", s.adminUpdateListing)
	signedIn.Post("/admin/listings/{id}/fulfil", s.adminListingAction("fulfil"))
	signedIn.Post("/admin/listings/{id}/withdraw", s.adminListingAction("withdraw"))
	signedIn.Post("/admin/listings/{id}/renew", s.adminListingAction("renew"))
	signedIn.Get("/admin/listings/{id}/delete", s.adminConfirmDeleteListing)
	signedIn.Post("/admin/listings/{id}/delete", s.adminListingAction("delete"))
	signedIn.Get("/admin/enterprises/{handle}/announcements/new", s.adminNewAnnouncement)
	signedIn.Post("/admin/enterprises/{handle}/announcements/new", s.adminCreateAnnouncement)
	signedIn.Get("/admin/announcements/{id}", s.adminAnnouncement)
	signedIn.Post("/admin/announcements/{id}", s.adminUpdateAnnouncement)
	signedIn.Get("/admin/announcements/{id}/delete", s.adminConfirmDeleteAnnouncement)
	signedIn.Post("/admin/announcements/{id}/delete", s.adminDeleteAnnouncement)
	admin.Get("/admin/settings", s.adminSettings)
	admin.Post("/admin/settings", s.adminUpdateSettings)
	admin.Get("/admin/users", s.adminUsers)
	admin.Post("/admin/users/invite", s.adminInvite)
	admin.Post("/admin/users/{id}/delete", s.adminDeleteUser)
	admin.Post("/admin/users/{id}/reset", s.adminResetPassword)
	admin.Post("/admin/users/{id}/two-step/off", s.adminResetTwoStep)
	admin.Post("/admin/invitations/{id}/cancel", s.adminCancelInvitation)
	signedIn.Get("/admin/enterprises/{handle}/translations", s.adminTranslations(s.enterpriseTranslations))
	signedIn.Post("/admin/enterprises/{handle}/translations", s.adminSetTranslation(s.enterpriseTranslations))
	signedIn.Post("/admin/enterprises/{handle}/translations/{lang}/delete", s.adminRemoveTranslation(s.enterpriseTranslations))
	signedIn.Get("/admin/listings/{id}/translations", s.adminTranslations(s.listingTranslations))
	signedIn.Post("/admin/listings/{id}/translations", s.adminSetTranslation(s.listingTranslations))
	signedIn.Post("/admin/listings/{id}/translations/{lang}/delete", s.adminRemoveTranslation(s.listingTranslations))
	signedIn.Get("/admin/announcements/{id}/translations", s.adminTranslations(s.announcementTranslations))
	signedIn.Post("/admin/announcements/{id}/translations", s.adminSetTranslation(s.announcementTranslations))
	signedIn.Post("/admin/announcements/{id}/translations/{lang}/delete", s.adminRemoveTranslation(s.announcementTranslations))
	signedIn.Get("/admin/enterprises/{handle}/following", s.adminFollowing)
	signedIn.Post("/admin/enterprises/{handle}/following", s.adminFollow)
	signedIn.Post("/admin/enterprises/{handle}/following/{id}/delete", s.adminUnfollow)
	signedIn.Get("/admin/enterprises/{handle}/feed", s.adminFeed)
	signedIn.Get("/admin/enterprises/{handle}/responses", s.adminResponses)
	signedIn.Get("/admin/enterprises/{handle}/matches", s.adminMatches)
	signedIn.Post("/admin/enterprises/{handle}/matches/{id}/dismiss", s.adminDismissMatch)
	admin.Get("/admin/reports", s.adminReports)
	admin.Post("/admin/reports/{id}/resolve", s.adminResolveReport)
	admin.Get("/admin/blocks", s.adminBlocks)
	admin.Post("/admin/blocks", s.adminBlock)
	admin.Post("/admin/blocks/{domain}/delete", s.adminUnblock)
	admin.Get("/admin/partners", s.adminPartners)
	admin.Get("/admin/partners/new", s.adminNewPartner)
	admin.Post("/admin/partners/new", s.adminRequestPartner)
	admin.Get("/admin/partners/{id}", s.adminPartner)
	admin.Post("/admin/partners/{id}", s.adminUpdatePartner)
	admin.Get("/admin/partners/{id}/share", s.adminPartnerShare)
	admin.Post("/admin/partners/{id}/share", s.adminUpdatePartnerShare)
	admin.Post("/admin/partners/{id}/approve", s.adminAnswerPartner(Partnerships.ApprovePartner, "partner-approved"))
	admin.Post("/admin/partners/{id}/reject", s.adminAnswerPartner(Partnerships.RejectPartner, "partner-rejected"))
	admin.Get("/admin/partners/{id}/end", s.adminConfirmEndPartnership)
	admin.Post("/admin/partners/{id}/end", s.adminEndPartnership)

	// JSON API: enterprises.
	r.Get("/api/v1/enterprises", s.listEnterprises)
	auth.Post("/api/v1/enterprises", s.createEnterprise)
	r.Get("/api/v1/enterprises/{handle}", s.getEnterprise)
	auth.Patch("/api/v1/enterprises/{handle}", s.updateEnterprise)
	auth.Delete("/api/v1/enterprises/{handle}", s.deleteEnterprise)

	// JSON API: announcements of an enterprise.
	r.Get("/api/v1/enterprises/{handle}/announcements", s.listAnnouncements)
	auth.Post("/api/v1/enterprises/{handle}/announcements", s.createAnnouncement)

	// JSON API: whom an enterprise follows, what it receives. Reads need a
	// token too: they are for its editors and the admins.
	auth.Get("/api/v1/enterprises/{handle}/following", s.listFollowing)
	auth.Post("/api/v1/enterprises/{handle}/following", s.createFollowing)
	auth.Get("/api/v1/enterprises/{handle}/following/{id}", s.getFollowing)
	auth.Delete("/api/v1/enterprises/{handle}/following/{id}", s.deleteFollowing)
	auth.Get("/api/v1/enterprises/{handle}/feed", s.listFeed)
	auth.Get("/api/v1/enterprises/{handle}/responses", s.listResponses)

	// JSON API: domain blocks, for admins.
	auth.Get("/api/v1/blocks", s.listBlocks)
	auth.Post("/api/v1/blocks", s.createBlock)
	auth.Delete("/api/v1/blocks/{domain}", s.deleteBlock)

	// JSON API: partner networks, for admins.
	auth.Get("/api/v1/partners", s.listPartners)
	auth.Post("/api/v1/partners", s.createPartner)
	auth.Get("/api/v1/partners/{id}", s.getPartner)
	auth.Patch("/api/v1/partners/{id}", s.updatePartner)
	auth.Delete("/api/v1/partners/{id}", s.deletePartner)
	auth.Post("/api/v1/partners/{id}/approve", s.approvePartner)
	auth.Post("/api/v1/partners/{id}/reject", s.rejectPartner)

	// JSON API: needs and offers.
	r.Get("/api/v1/listings", s.listListings)
	auth.Post("/api/v1/listings", s.createListing)
	r.Get("/api/v1/listings/{id}", s.getListing)
	auth.Patch("/api/v1/listings/{id}", s.updateListing)
	auth.Delete("/api/v1/listings/{id}", s.deleteListing)
	auth.Put("/api/v1/enterprises/{handle}/translations/{lang}", s.putTranslation(s.setEnterpriseTranslation))
	auth.Delete("/api/v1/enterprises/{handle}/translations/{lang}", s.deleteTranslation(s.removeEnterpriseTranslation))
	auth.Put("/api/v1/listings/{id}/translations/{lang}", s.putTranslation(s.setListingTranslation))
	auth.Delete("/api/v1/listings/{id}/translations/{lang}", s.deleteTranslation(s.removeListingTranslation))

	// Documentation of the problem types in API error responses.
	r.Get("/problems/{type}", s.problemPage)

	// Operations.
	r.Get("/healthz", s.health)
	return r
}
