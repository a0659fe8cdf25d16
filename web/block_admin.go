package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

func init() {
	flashMessages["domain-blocked"] = msg("The domain is blocked, and what it had sent was removed.")
	flashMessages["domain-unblocked"] = msg("The block was lifted.")
}

// blockForm returns the controls of a new domain block.
func blockForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "domain", Label: "Domain", Type: "text", Required: true, Auto: "off",
			Hint: "Such as coop.example. Its subdomains and every port are blocked too; evil-coop.example is not."},
		&adminField{Name: "reason", Label: "Reason", Type: "textarea", Rows: 3,
			Hint: fmt.Sprintf("Optional, at most %d characters: why, for the other admins.", directory.MaxBlockReason)},
	)
}

// adminBlocksView is the data of admin_blocks.html.
type adminBlocksView struct {
	adminPage
	Blocks []*directory.DomainBlock
	Form   *adminForm
}

// adminBlocks answers GET /admin/blocks (admins): the blocked domains and a
// form to block one more.
func (s *server) adminBlocks(w http.ResponseWriter, r *http.Request) {
	s.renderBlocks(w, r, http.StatusOK, blockForm())
}

func (s *server) renderBlocks(w http.ResponseWriter, r *http.Request, status int, f *adminForm) {
	blocks, err := s.svc.DomainBlocks(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminBlocksView{adminPage: s.adminPage(w, r, "Blocked domains"), Blocks: blocks, Form: f}
	if notice := blockedNotice(r); notice != "" {
		v.Notice = notice
	}
	s.render(w, r, status, "admin_blocks.html", v)
}

// adminBlock answers POST /admin/blocks (admins): the domain is blocked and
// what it had sent removed; the list then says what went.
func (s *server) adminBlock(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	b := &directory.DomainBlock{Domain: r.PostFormValue("domain"), Reason: r.PostFormValue("reason")}
	p, err := s.svc.BlockDomain(r.Context(), b)
	if err != nil {
		f := blockForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderBlocks(w, r, adminFormStatus(err), f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/blocks", "domain-blocked", blockDetail(b.Domain, p))
}

// adminUnblock answers POST /admin/blocks/{domain}/delete (admins).
func (s *server) adminUnblock(w http.ResponseWriter, r *http.Request) {
	raw := chi.URLParam(r, "domain")
	err := s.svc.UnblockDomain(r.Context(), raw)
	if directory.ErrorCode(err) == directory.EINVALID {
		err = directory.Errorf(directory.ENOTFOUND, "%q is not blocked", truncate(raw, 60))
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/blocks", "domain-unblocked", "")
}

// blockDetail packs a new block's domain and what it removed into the
// detail of its notice: the domain, then the counts in DomainPurge order.
func blockDetail(domain string, p *directory.DomainPurge) string {
	counts := []int{p.Followers, p.Following, p.FeedPosts, p.Responses, p.RemoteActors,
		p.Enterprises, p.Listings, p.Announcements}
	parts := []string{domain}
	for _, n := range counts {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, " ")
}

// blockedNotice reads the notice a block left for this request ("" when
// there is none): the domain and what was removed. Only a domain name and
// numbers are taken from the cookie, never text to show.
func blockedNotice(r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	v, err := url.QueryUnescape(c.Value)
	if err != nil {
		return ""
	}
	key, detail, _ := strings.Cut(v, ":")
	parts := strings.Fields(detail)
	if key != "domain-blocked" || len(parts) != 9 {
		return ""
	}
	domain, err := directory.NormalizeDomain(parts[0])
	if err != nil || domain != parts[0] {
		return ""
	}
	var n [8]int
	for i, s := range parts[1:] {
		if n[i], err = strconv.Atoi(s); err != nil || n[i] < 0 {
			return ""
		}
	}
	p := &directory.DomainPurge{Followers: n[0], Following: n[1], FeedPosts: n[2], Responses: n[3],
		RemoteActors: n[4], Enterprises: n[5], Listings: n[6], Announcements: n[7]}
	return fmt.Sprintf("%s is blocked. Removed %s.", domain, p.Summary())
}
