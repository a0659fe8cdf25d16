package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// The partnerships API, for admins: ask another network's instance, list
// the partnerships, approve or reject their requests, change what we
// import from one, end one. Reads work without federation; changes need it
// (503 otherwise).

// partnerRequest is the body of POST /api/v1/partners.
type partnerRequest struct {
	Instance string           `json:"instance"`
	Scope    *directory.Scope `json:"scope"`
}

// partnerPatch is the body of PATCH /api/v1/partners/{id}: an absent scope
// keeps it, null imports everything again.
type partnerPatch struct {
	Scope *directory.Scope `json:"scope"`
}

// partnerList is the body of GET /api/v1/partners: every partnership, by
// host.
type partnerList struct {
	Partners []partnerView `json:"partners"`
}

// listPartners answers GET /api/v1/partners.
func (s *server) listPartners(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.Partners(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := partnerList{Partners: make([]partnerView, 0, len(ps))}
	for _, p := range ps {
		out.Partners = append(out.Partners, newPartnerView(p))
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, out)
}

// getPartner answers GET /api/v1/partners/{id}.
func (s *server) getPartner(w http.ResponseWriter, r *http.Request) {
	id, err := partnerID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.svc.Partner(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, newPartnerView(p))
}

// createPartner answers POST /api/v1/partners: {"instance": "coop.example",
// "scope": {…}} asks that instance to partner. Our request is pending until
// its admins approve it.
func (s *server) createPartner(w http.ResponseWriter, r *http.Request) {
	if !s.partnershipsReady(w, r) {
		return
	}
	var body partnerRequest
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	var scope directory.Scope
	if body.Scope != nil {
		scope = *body.Scope
	}
	p, err := s.requestPartnership(r, body.Instance, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.forgetNetworkNames()
	w.Header().Set("Location", s.url(partnerAPIPath(p.ID)))
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, newPartnerView(p))
}

// requestPartnership checks the instance's shape and the scope, then asks.
// A malformed instance is a 400 naming the field, like a body that does
// not read; a scope that breaks a rule is a 422; the other refusals of
// Partnerships are put on the instance field.
func (s *server) requestPartnership(r *http.Request, instance string, scope directory.Scope) (*directory.Partner, error) {
	_, err := directory.CheckInstance(instance)
	if err != nil {
		return nil, badRequest(directory.ErrorMessage(err), directory.ErrorFields(err)...)
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	p, err := s.opt.Partnerships.RequestPartnership(r.Context(), instance, scope)
	if err == nil {
		return p, nil
	}
	err = instanceError(err)
	if directory.ErrorCode(err) == directory.EINVALID && onlyField(err, "instance") {
		return nil, badRequest(directory.ErrorMessage(err), directory.ErrorFields(err)...)
	}
	return nil, err
}

// onlyField reports whether every field err names is name.
func onlyField(err error, name string) bool {
	for _, fe := range directory.ErrorFields(err) {
		if fe.Field != name {
			return false
		}
	}
	return true
}

// updatePartner answers PATCH /api/v1/partners/{id}: {"scope": {…}}
// changes what we import from the partner (null: everything).
func (s *server) updatePartner(w http.ResponseWriter, r *http.Request) {
	if !s.partnershipsReady(w, r) {
		return
	}
	id, err := partnerID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var body partnerPatch
	if err := s.decodePatch(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	var p *directory.Partner
	if body.Scope == nil {
		p, err = s.svc.Partner(r.Context(), id)
	} else if err = body.Scope.Validate(); err == nil {
		p, err = s.opt.Partnerships.SetPartnerScope(r.Context(), id, *body.Scope)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, newPartnerView(p))
}

// approvePartner answers POST /api/v1/partners/{id}/approve.
func (s *server) approvePartner(w http.ResponseWriter, r *http.Request) {
	s.answerPartner(w, r, Partnerships.ApprovePartner)
}

// rejectPartner answers POST /api/v1/partners/{id}/reject.
func (s *server) rejectPartner(w http.ResponseWriter, r *http.Request) {
	s.answerPartner(w, r, Partnerships.RejectPartner)
}

// answerPartner approves or rejects the request of partner {id}.
func (s *server) answerPartner(w http.ResponseWriter, r *http.Request, answer partnerAnswer) {
	if !s.partnershipsReady(w, r) {
		return
	}
	id, err := partnerID(r)
	var p *directory.Partner
	if err == nil {
		p, err = answer(s.opt.Partnerships, r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.forgetNetworkNames()
	s.writeJSON(w, r, http.StatusOK, cachePrivate, newPartnerView(p))
}

// deletePartner answers DELETE /api/v1/partners/{id}: the partnership
// ends both ways and the partner's entries are removed here.
func (s *server) deletePartner(w http.ResponseWriter, r *http.Request) {
	if !s.partnershipsReady(w, r) {
		return
	}
	id, err := partnerID(r)
	if err == nil {
		err = s.opt.Partnerships.EndPartnership(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.forgetNetworkNames()
	w.WriteHeader(http.StatusNoContent)
}

// partnershipsReady answers a change of the partnerships that the user may
// not make (401, 403) or that this server cannot make (503, without
// federation) and returns false; otherwise it returns true.
func (s *server) partnershipsReady(w http.ResponseWriter, r *http.Request) bool {
	// The user is judged before anything else, as the Service does.
	err := s.svc.RequireAdmin(r.Context())
	if err == nil && s.opt.Partnerships == nil {
		err = errNoFederation
	}
	if err != nil {
		s.fail(w, r, err)
		return false
	}
	return true
}

// partnerAnswer is ApprovePartner or RejectPartner.
type partnerAnswer func(Partnerships, context.Context, int64) (*directory.Partner, error)

// partnerID reads the {id} of the path; one that is not a positive integer
// names no partner.
func partnerID(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, directory.Errorf(directory.ENOTFOUND, "no partner network has the id %q", truncate(raw, 30))
	}
	return id, nil
}

// partnerAPIPath is the API address of a partnership.
func partnerAPIPath(id int64) string { return "/api/v1/partners/" + strconv.FormatInt(id, 10) }
