package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

func init() {
	flashMessages["topic-created"] = "The topic is saved: people can follow it now."
	flashMessages["topic-saved"] = "The topic is saved; its followers see the change."
	flashMessages["topic-deleted"] = "The topic is deleted: its followers were told, and its handle stays taken."
}

// topicForm returns the controls of a topic; their names are those of
// the Service's errors (the handle, the search's q, near and within_km).
func topicForm(editing bool) *adminForm {
	types := []adminOption{{Value: "", Label: "Needs and offers"}, {Value: "need", Label: "Needs"}, {Value: "offer", Label: "Offers"}}
	cats := []adminOption{{Value: "", Label: "Any category"}}
	for _, c := range directory.Categories {
		cats = append(cats, adminOption{Value: string(c), Label: c.Label()})
	}
	fields := []*adminField{
		{Name: "name", Label: "Name", Type: "text", Required: true, Hint: "What followers see, such as Tools near Milwaukee."},
		{Name: "summary", Label: "Description", Type: "text", Hint: "One sentence: what the topic is about."},
		{Name: "q", Label: "Words", Type: "text", Hint: "Searched in titles and descriptions, as the directory does."},
		{Name: "type", Label: "Needs or offers", Type: "select", Options: types},
		{Name: "category", Label: "Category", Type: "select", Options: cats},
		{Name: "near", Label: "Near", Type: "text", Hint: "A place name, such as Milwaukee, WI, or a latitude,longitude pair."},
		{Name: "within_km", Label: "Within (km)", Type: "text", Mode: "decimal", Hint: "With a place: how far from it, such as 25."},
		{Name: "origin", Label: "From", Type: "text", Hint: "local, partners, a partner's host, or empty for every origin."},
	}
	if !editing {
		fields = append([]*adminField{{Name: "handle", Label: "Handle", Type: "text", Required: true, Auto: "off",
			Hint: "Its fediverse name, such as tools-near-milwaukee: lowercase letters, digits, - and _. It cannot change later."}}, fields...)
	}
	return newAdminForm(fields...)
}

// topicValues are the form values of a saved search.
func topicValues(ss *directory.SavedSearch) url.Values {
	v := url.Values{"handle": {ss.Handle}, "name": {ss.Name}, "summary": {ss.Summary}, "q": {ss.Text},
		"type": {string(ss.Type)}, "origin": {ss.Origin}, "near": {ss.NearLabel}}
	if len(ss.Categories) > 0 {
		v.Set("category", string(ss.Categories[0]))
	}
	if ss.Geo != nil {
		v.Set("within_km", strconv.FormatFloat(ss.Geo.KM, 'f', -1, 64))
		if ss.NearLabel == "" {
			v.Set("near", formatPoint(ss.Geo.Near))
		}
	}
	return v
}

// adminTopicsView is the data of admin_topics.html.
type adminTopicsView struct {
	adminPage
	Topics  []*directory.SavedSearch
	Form    *adminForm
	Editing *directory.SavedSearch // the topic of the form, when it edits one
}

// adminTopics answers GET /admin/topics: the topics and a form for a new
// one, filled from the query (a search to save).
func (s *server) adminTopics(w http.ResponseWriter, r *http.Request) {
	f := topicForm(false)
	f.fill(r.URL.Query())
	s.renderTopics(w, r, http.StatusOK, f, nil)
}

func (s *server) renderTopics(w http.ResponseWriter, r *http.Request, status int, f *adminForm, editing *directory.SavedSearch) {
	if !s.svc.CanSaveSearches(r.Context()) {
		s.failPage(w, r, directory.Errorf(directory.EFORBIDDEN, "only an admin may save searches as topics"))
		return
	}
	list, err := s.svc.SavedSearches(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	title := translate(r, "Topics")
	if editing != nil {
		title = translate(r, "Edit topic %s", editing.Name)
	}
	v := adminTopicsView{adminPage: s.adminPage(w, r, title), Topics: list, Form: f, Editing: editing}
	s.render(w, r, status, "admin_topics.html", v)
}

// topicFromForm reads a saved search from the posted form; a place that
// cannot be found, or a distance that is no number, is a field error.
func (s *server) topicFromForm(r *http.Request) (*directory.SavedSearch, error) {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	ss := &directory.SavedSearch{Handle: v("handle"), Name: v("name"), Summary: v("summary"), Text: v("q"),
		Type: directory.ListingType(v("type")), Origin: strings.ToLower(v("origin")), NearLabel: v("near")}
	if c := v("category"); c != "" {
		ss.Categories = []directory.Category{directory.Category(c)}
	}
	near, within := v("near"), v("within_km")
	fail := func(field, rule, msg string) error {
		return &directory.Error{Code: directory.EINVALID, Message: "invalid topic",
			Fields: []directory.FieldError{{Field: field, Rule: rule, Message: msg}}}
	}
	if near == "" {
		if within != "" {
			return nil, fail("within_km", "requires_near", "needs a place to measure from")
		}
		return ss, nil
	}
	if within == "" {
		within = defaultWithinKM
	}
	km, ok := parseNumber(within)
	if !ok {
		return nil, fail("within_km", "number", "must be a distance in kilometres such as 25")
	}
	sv := &searchView{}
	geo, err := s.resolveNear(r.Context(), searchForm{Base: "/board", Near: near, WithinKM: within}, sv)
	var re *requestError
	if errors.As(err, &re) {
		return nil, &directory.Error{Code: directory.EINVALID, Message: "invalid topic", Fields: re.fields}
	}
	if err != nil {
		return nil, err
	}
	if geo == nil {
		return nil, fail("near", "not_found", "names no place we know: try a larger town, or a latitude,longitude pair")
	}
	geo.KM = km
	ss.Geo = geo
	return ss, nil
}

// adminCreateTopic answers POST /admin/topics.
func (s *server) adminCreateTopic(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	ss, err := s.topicFromForm(r)
	if err == nil {
		err = s.svc.CreateSavedSearch(r.Context(), ss)
	}
	if err != nil {
		f := topicForm(false)
		if s.adminFormFailed(w, r, f, err) {
			s.renderTopics(w, r, adminFormStatus(err), f, nil)
		}
		return
	}
	s.redirectWith(w, r, "/admin/topics", "topic-created", "")
}

// adminTopic answers GET /admin/topics/{handle}: the form to edit it.
func (s *server) adminTopic(w http.ResponseWriter, r *http.Request) {
	ss, err := s.svc.SavedSearch(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	f := topicForm(true)
	f.fill(topicValues(ss))
	s.renderTopics(w, r, http.StatusOK, f, ss)
}

// adminUpdateTopic answers POST /admin/topics/{handle}: its handle stays.
func (s *server) adminUpdateTopic(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	old, err := s.svc.SavedSearch(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	ss, err := s.topicFromForm(r)
	if err == nil {
		_, err = s.svc.UpdateSavedSearch(r.Context(), old.Handle, ss)
	}
	if err != nil {
		f := topicForm(true)
		if s.adminFormFailed(w, r, f, err) {
			s.renderTopics(w, r, adminFormStatus(err), f, old)
		}
		return
	}
	s.redirectWith(w, r, "/admin/topics", "topic-saved", "")
}

// adminDeleteTopic answers POST /admin/topics/{handle}/delete.
func (s *server) adminDeleteTopic(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeleteSavedSearch(r.Context(), chi.URLParam(r, "handle")); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/topics", "topic-deleted", "")
}
