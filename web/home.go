package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// homePerPage is the number of enterprises per page of the home page, and
// homeListings the number of newest needs and of newest offers it shows.
const (
	homePerPage  = 20
	homeListings = 5
)

// homeView is the data of home.html.
type homeView struct {
	layout
	Query, Kind      string
	Kinds            []directory.Kind
	Problem          string // why the search could not run, if it could not
	Results          []enterpriseCard
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
	Needs, Offers    []listingCard
}

// enterpriseCard is one enterprise of a result list.
type enterpriseCard struct {
	*directory.Enterprise
	URL         string
	SummaryHTML template.HTML
}

// listingCard is one listing of a short list.
type listingCard struct {
	*directory.Listing
	URL string
}

// homePage answers GET /: the network, a search box, the matching
// enterprises and the newest open needs and offers.
func (s *server) homePage(w http.ResponseWriter, r *http.Request) {
	v := homeView{layout: s.layout(r, ""), Kinds: directory.Kinds}
	p := &queryParams{v: r.URL.Query()}
	v.Query, v.Kind = p.str("q"), p.str("kind")
	q := directory.EnterpriseQuery{Text: v.Query, Page: directory.Page{Page: p.integer("page"), PerPage: homePerPage}}
	if v.Kind != "" {
		q.Kinds = []directory.Kind{directory.Kind(v.Kind)}
	}
	status := http.StatusOK
	var res *directory.EnterprisePage
	err := p.err()
	if err == nil {
		res, err = s.svc.SearchEnterprises(r.Context(), q)
	}
	var re *requestError
	switch {
	case errors.As(err, &re) || directory.ErrorCode(err) == directory.EINVALID:
		status, v.Problem = http.StatusBadRequest, "This search could not run: "+fieldMessages(err)
	case err != nil:
		s.failPage(w, r, err)
		return
	default:
		s.fillResults(&v, res)
	}
	if v.Needs, err = s.newestListings(r, directory.Need); err == nil {
		v.Offers, err = s.newestListings(r, directory.Offer)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, status, "home.html", v)
}

// fillResults puts a page of enterprises and its paging links into v.
func (s *server) fillResults(v *homeView, res *directory.EnterprisePage) {
	for _, it := range res.Items {
		v.Results = append(v.Results, enterpriseCard{
			Enterprise:  it.Enterprise,
			URL:         enterpriseURL(it.Enterprise),
			SummaryHTML: trustedHTML(it.SummaryHTML),
		})
	}
	v.Total, v.Page = res.Total, res.Page.Page
	v.Pages = min((res.Total+res.PerPage-1)/res.PerPage, directory.MaxPage)
	link := func(page int) string {
		q := url.Values{}
		if v.Query != "" {
			q.Set("q", v.Query)
		}
		if v.Kind != "" {
			q.Set("kind", v.Kind)
		}
		if page > 1 {
			q.Set("page", strconv.Itoa(page))
		}
		if len(q) == 0 {
			return "/"
		}
		return "/?" + q.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = link(min(v.Page-1, max(v.Pages, 1)))
	}
	if v.Page < v.Pages {
		v.NextURL = link(v.Page + 1)
	}
}

// newestListings returns the newest open listings of type t.
func (s *server) newestListings(r *http.Request, t directory.ListingType) ([]listingCard, error) {
	res, err := s.svc.SearchListings(r.Context(), directory.ListingQuery{
		Type: t, Status: directory.StatusOpen, Sort: directory.SortNewest,
		Page: directory.Page{Page: 1, PerPage: homeListings},
	})
	if err != nil {
		return nil, err
	}
	cards := make([]listingCard, 0, len(res.Items))
	for _, it := range res.Items {
		c := listingCard{Listing: it.Listing, URL: it.RemoteURL}
		if it.Origin == "" {
			c.URL = enterprisePath(it.EnterpriseHandle) + "#listing-" + strconv.FormatInt(it.ID, 10)
		}
		cards = append(cards, c)
	}
	return cards, nil
}

// fieldMessages joins the field errors of err into one sentence.
func fieldMessages(err error) string {
	fields := directory.ErrorFields(err)
	var re *requestError
	if errors.As(err, &re) {
		fields = re.fields
	}
	if len(fields) == 0 {
		return directory.ErrorMessage(err) + "."
	}
	msgs := make([]string, len(fields))
	for i, f := range fields {
		msgs[i] = f.Field + " " + f.Message
	}
	return strings.Join(msgs, "; ") + "."
}
