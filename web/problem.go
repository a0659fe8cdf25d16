package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// problem is an RFC 9457 problem details document, the body of every API
// error. Errors lists the fields (or query parameters) that broke a rule.
type problem struct {
	Type   string                 `json:"type"`
	Title  string                 `json:"title"`
	Status int                    `json:"status"`
	Detail string                 `json:"detail"`
	Errors []directory.FieldError `json:"errors,omitempty"`
}

// statusOf maps directory error codes to HTTP statuses: the one place where
// that mapping lives. Codes not listed (and errors without a code) are 500.
var statusOf = map[string]int{
	directory.EINVALID:      http.StatusUnprocessableEntity,
	directory.ENOTFOUND:     http.StatusNotFound,
	directory.ECONFLICT:     http.StatusConflict,
	directory.EUNAUTHORIZED: http.StatusUnauthorized,
	directory.EFORBIDDEN:    http.StatusForbidden,
	directory.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	directory.EINTERNAL:     http.StatusInternalServerError,
}

// problemTypes names the problem type of each status; the type URI is
// <BaseURL>/problems/<name>, and GET on it explains the type (problemAbout).
var problemTypes = map[int]string{
	http.StatusBadRequest:            "bad-request",
	http.StatusUnauthorized:          "unauthorized",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not-found",
	http.StatusMethodNotAllowed:      "method-not-allowed",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "too-large",
	http.StatusUnsupportedMediaType:  "unsupported-media-type",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusInternalServerError:   "internal",
}

// problemAbout explains each problem type to the people writing clients.
var problemAbout = map[string]string{
	"bad-request": msg("The request could not be read: malformed JSON, a JSON value of the wrong type, an unknown field, " +
		"or a query parameter that does not parse or is out of range. The errors member names each field or parameter."),
	"unauthorized":       msg("This request needs a valid API token, sent as Authorization: Bearer <token>."),
	"forbidden":          msg("The token is valid, but its user may not do this: editors change only their own enterprise, only admins create or delete enterprises, and entries from partner networks change only where they come from."),
	"not-found":          msg("Nothing has this address: the enterprise handle, listing id or route does not exist."),
	"method-not-allowed": msg("The address exists but does not take this HTTP method; the Allow header lists those it takes."),
	"conflict":           msg("The change collides with existing data, such as a handle that is already taken. The errors member names the field."),
	"too-large":          msg("The request body is larger than this instance accepts."),
	"unsupported-media-type": msg("Request bodies must be JSON sent with Content-Type: application/json " +
		"(PATCH also takes application/merge-patch+json)."),
	"invalid":  msg("The request is well-formed but breaks the rules of the directory. The errors member lists each field, the rule it broke and a message."),
	"internal": msg("Something went wrong on the server. It has been logged; please try again later."),
}

// problemPage answers GET /problems/{type}: what a problem type means.
func (s *server) problemPage(w http.ResponseWriter, r *http.Request) {
	about, ok := problemAbout[chi.URLParam(r, "type")]
	if !ok {
		s.renderError(w, r, http.StatusNotFound, "There is no such problem type.")
		return
	}
	s.render(w, r, http.StatusOK, "error.html", errorView{layout: s.layout(r, translate(r, "Problem: %s", chi.URLParam(r, "type"))), Message: translate(r, about)})
}

// requestError is a fault of the HTTP request itself rather than of what it
// asks the directory to do: malformed JSON, a bad query parameter, a wrong
// content type, an unknown route. It carries its own status.
type requestError struct {
	status int
	detail string
	fields []directory.FieldError
}

func (e *requestError) Error() string { return e.detail }

// badRequest returns a 400 requestError.
func badRequest(detail string, fields ...directory.FieldError) error {
	return &requestError{status: http.StatusBadRequest, detail: detail, fields: fields}
}

// badQuery turns the Service's EINVALID answer to a search into a 400: the
// query string is part of the request target, so a bad parameter is a bad
// request, like one that does not parse. Other errors pass unchanged.
func badQuery(err error) error {
	if directory.ErrorCode(err) != directory.EINVALID {
		return err
	}
	return badRequest("invalid query parameters", directory.ErrorFields(err)...)
}

// problemFor builds the problem document for err. Internal errors are
// logged with their cause and shown only as "internal error".
func (s *server) problemFor(r *http.Request, err error) problem {
	var p problem
	var re *requestError
	if errors.As(err, &re) {
		p = problem{Status: re.status, Detail: re.detail, Errors: re.fields}
	} else {
		code := directory.ErrorCode(err)
		status, ok := statusOf[code]
		if !ok {
			status = http.StatusInternalServerError
		}
		p = problem{Status: status, Detail: directory.ErrorMessage(err), Errors: directory.ErrorFields(err)}
		if status == http.StatusInternalServerError {
			s.log.ErrorContext(r.Context(), "internal error", "method", r.Method, "path", r.URL.Path, "err", err)
			p.Detail, p.Errors = "internal error", nil
		}
	}
	l := localeOf(r)
	p.Detail = l.translateMessage(p.Detail)
	if len(p.Errors) > 0 {
		fields := make([]directory.FieldError, len(p.Errors))
		for i, f := range p.Errors {
			f.Message = l.translateMessage(f.Message)
			fields[i] = f
		}
		p.Errors = fields
	}
	p.Title = http.StatusText(p.Status)
	p.Type = s.url("/problems/" + problemTypes[p.Status])
	return p
}

// fail writes err as an application/problem+json response.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	p := s.problemFor(r, err)
	body, merr := marshalJSON(p)
	if merr != nil {
		s.log.ErrorContext(r.Context(), "encode problem", "err", merr)
		body = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"internal error"}` + "\n")
		p.Status = http.StatusInternalServerError
	}
	h := w.Header()
	if p.Status == http.StatusUnauthorized && h.Get("WWW-Authenticate") == "" {
		h.Set("WWW-Authenticate", `Bearer realm="coopdir"`)
	}
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("Location")
	w.WriteHeader(p.Status)
	_, _ = w.Write(body)
}

// notFound answers unknown routes: a problem under /api/, an HTML page elsewhere.
func (s *server) notFound(w http.ResponseWriter, r *http.Request) {
	if isAPI(r) {
		s.fail(w, r, &requestError{status: http.StatusNotFound, detail: "no such route: " + r.URL.Path})
		return
	}
	s.renderError(w, r, http.StatusNotFound, "There is no page at this address.")
}

// methodNotAllowed answers a known path asked with the wrong method, with
// the methods the path allows in the Allow header.
func (s *server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	allow := allowedMethods(r)
	w.Header().Set("Allow", strings.Join(allow, ", "))
	detail := r.Method + " is not allowed here"
	if n := len(allow); n > 0 {
		detail += "; use " + strings.Join(allow[:n-1], ", ")
		if n > 1 {
			detail += " or "
		}
		detail += allow[n-1]
	}
	if isAPI(r) {
		s.fail(w, r, &requestError{status: http.StatusMethodNotAllowed, detail: detail})
		return
	}
	s.renderError(w, r, http.StatusMethodNotAllowed, detail)
}

// allowedMethods asks the router which methods the request's path accepts.
func allowedMethods(r *http.Request) []string {
	rctx := chi.RouteContext(r.Context())
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		if rctx.Routes.Match(chi.NewRouteContext(), m, path) ||
			(m == http.MethodHead && rctx.Routes.Match(chi.NewRouteContext(), http.MethodGet, path)) {
			allow = append(allow, m)
		}
	}
	return allow
}

func isAPI(r *http.Request) bool {
	return r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
}
