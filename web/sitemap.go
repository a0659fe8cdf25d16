package web

import (
	"context"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// The sitemap (sitemaps.org 0.9) lists the public pages of this network's
// own entries: partners' entries have their canonical page on the partner.
// /sitemap.xml is an index of parts: /sitemaps/pages.xml (the fixed pages)
// and /sitemaps/{enterprises,listings,announcements}-N.xml, each of
// sitemapPerFile pages, read a search page (directory.MaxPerPage) at a time.
// Search paging stops at directory.MaxPage, so each kind lists at most
// sitemapFiles files.
const (
	sitemapPerFile = 1000
	sitemapFiles   = directory.MaxPage * directory.MaxPerPage / sitemapPerFile
	sitemapNS      = "http://www.sitemaps.org/schemas/sitemap/0.9"
)

type sitemapIndex struct {
	XMLName  xml.Name      `xml:"sitemapindex"`
	NS       string        `xml:"xmlns,attr"`
	Sitemaps []sitemapLink `xml:"sitemap"`
}

type sitemapLink struct {
	Loc string `xml:"loc"`
}

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemapKinds are the kinds of entry with parts of their own.
var sitemapKinds = []string{"enterprises", "listings", "announcements"}

// sitemapIndexPage answers GET /sitemap.xml.
func (s *server) sitemapIndexPage(w http.ResponseWriter, r *http.Request) {
	idx := sitemapIndex{NS: sitemapNS, Sitemaps: []sitemapLink{{Loc: s.url("/sitemaps/pages.xml")}}}
	for _, kind := range sitemapKinds {
		total, err := s.sitemapTotal(r.Context(), kind)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		for n := 1; n <= min((total+sitemapPerFile-1)/sitemapPerFile, sitemapFiles); n++ {
			idx.Sitemaps = append(idx.Sitemaps, sitemapLink{Loc: s.url("/sitemaps/" + kind + "-" + strconv.Itoa(n) + ".xml")})
		}
	}
	writeSitemap(w, idx)
}

// sitemapPart answers GET /sitemaps/{part}.xml: the fixed pages, or file
// N of a kind of entry. Any other name, or a number past the last file,
// is not found.
func (s *server) sitemapPart(w http.ResponseWriter, r *http.Request) {
	part := chi.URLParam(r, "part")
	set := urlSet{NS: sitemapNS}
	if part == "pages" {
		for _, p := range []string{"/", "/directory", "/board", "/map", "/announcements"} {
			set.URLs = append(set.URLs, sitemapURL{Loc: s.url(p)})
		}
		writeSitemap(w, set)
		return
	}
	kind, num, _ := strings.Cut(part, "-")
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > sitemapFiles || strconv.Itoa(n) != num || !knownSitemapKind(kind) {
		s.notFound(w, r)
		return
	}
	for page := (n-1)*sitemapPerFile/directory.MaxPerPage + 1; page <= n*sitemapPerFile/directory.MaxPerPage; page++ {
		urls, more, err := s.sitemapPage(r.Context(), kind, page)
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		set.URLs = append(set.URLs, urls...)
		if !more {
			break
		}
	}
	if len(set.URLs) == 0 && n > 1 {
		s.notFound(w, r)
		return
	}
	writeSitemap(w, set)
}

func knownSitemapKind(kind string) bool {
	for _, k := range sitemapKinds {
		if k == kind {
			return true
		}
	}
	return false
}

// sitemapTotal counts the entries of kind the sitemap lists (for
// announcements, an upper bound: partners' are counted, then left out).
func (s *server) sitemapTotal(ctx context.Context, kind string) (int, error) {
	one := directory.Page{Page: 1, PerPage: 1}
	switch kind {
	case "enterprises":
		res, err := s.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: directory.OriginLocal, Page: one})
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	case "listings":
		res, err := s.svc.SearchListings(ctx, directory.ListingQuery{Origin: directory.OriginLocal, Status: directory.StatusOpen, Page: one})
		if err != nil {
			return 0, err
		}
		return res.Total, nil
	}
	_, total, err := s.svc.RecentAnnouncements(ctx, directory.AnnouncementQuery{Page: one})
	return total, err
}

// sitemapPage is one search page of the entries of kind, as sitemap URLs;
// more reports whether the page was full, so that another may follow.
func (s *server) sitemapPage(ctx context.Context, kind string, page int) (urls []sitemapURL, more bool, err error) {
	pg := directory.Page{Page: page, PerPage: directory.MaxPerPage}
	add := func(path string, at time.Time) {
		urls = append(urls, sitemapURL{Loc: s.url(path), LastMod: at.UTC().Format(directory.DateLayout)})
	}
	switch kind {
	case "enterprises":
		res, err := s.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: directory.OriginLocal, Sort: directory.SortName, Page: pg})
		if err != nil {
			return nil, false, err
		}
		for _, it := range res.Items {
			add(enterprisePath(it.Handle), it.UpdatedAt)
		}
		return urls, len(res.Items) == pg.PerPage, nil
	case "listings":
		res, err := s.svc.SearchListings(ctx, directory.ListingQuery{Origin: directory.OriginLocal, Status: directory.StatusOpen,
			Sort: directory.SortNewest, Page: pg})
		if err != nil {
			return nil, false, err
		}
		for _, it := range res.Items {
			add(listingPath(it.ID), it.UpdatedAt)
		}
		return urls, len(res.Items) == pg.PerPage, nil
	default: // announcements
		as, _, err := s.svc.RecentAnnouncements(ctx, directory.AnnouncementQuery{Page: pg})
		if err != nil {
			return nil, false, err
		}
		for _, a := range as {
			if a.Origin == "" {
				at := a.CreatedAt
				if a.UpdatedAt != nil {
					at = *a.UpdatedAt
				}
				add(announcementPath(a.ID), at)
			}
		}
		return urls, len(as) == pg.PerPage, nil
	}
}

// writeSitemap writes v as an XML document.
func writeSitemap(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	_, _ = w.Write([]byte(xml.Header))
	_ = xml.NewEncoder(w).Encode(v)
}
