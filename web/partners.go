package web

import (
	"context"
	"net"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// Partnerships asks other networks' instances to partner with this one and
// answers their requests; cmd fills it with the federation package's Node.
// Every method is for admins (EUNAUTHORIZED, EFORBIDDEN) and returns
// *directory.Error with safe messages.
type Partnerships interface {
	// RequestPartnership looks instance (a host, host:port or URL) up,
	// stores the partner with our request pending and the scope, and sends
	// the request. EINVALID (instance, scope.*), ENOTFOUND (no coopdir
	// instance there), ECONFLICT (already asked), EFORBIDDEN (a blocked
	// domain or our own host).
	RequestPartnership(ctx context.Context, instance string, scope directory.Scope) (*directory.Partner, error)
	// ApprovePartner accepts partner id's request to receive our entries.
	// ENOTFOUND, ECONFLICT (they made no request).
	ApprovePartner(ctx context.Context, id int64) (*directory.Partner, error)
	// RejectPartner refuses (or stops) partner id's request. ENOTFOUND,
	// ECONFLICT (they made no request).
	RejectPartner(ctx context.Context, id int64) (*directory.Partner, error)
	// SetPartnerScope changes what we import from partner id. EINVALID,
	// ENOTFOUND.
	SetPartnerScope(ctx context.Context, id int64, scope directory.Scope) (*directory.Partner, error)
	// EndPartnership ends both directions with partner id and removes its
	// entries here. ENOTFOUND.
	EndPartnership(ctx context.Context, id int64) error
}

// instanceRules name the rule an instance broke when Partnerships refuses
// it with this code. The handlers check the user first, so EFORBIDDEN from
// RequestPartnership is about the instance (blocked, or this one).
var instanceRules = map[string]string{
	directory.EINVALID: "format", directory.ENOTFOUND: "exists",
	directory.ECONFLICT: "unique", directory.EFORBIDDEN: "allowed",
}

// instanceError puts a refusal of RequestPartnership that names no field
// on the instance field, so a form shows it beside the control and a
// problem names the field.
func instanceError(err error) error {
	code := directory.ErrorCode(err)
	rule, ok := instanceRules[code]
	if !ok || len(directory.ErrorFields(err)) > 0 {
		return err
	}
	msg := directory.ErrorMessage(err)
	return &directory.Error{Code: code, Message: msg, Err: err,
		Fields: []directory.FieldError{{Field: "instance", Rule: rule, Message: msg}}}
}

// instanceMessage is what a malformed instance is told.
const instanceMessage = "must be the address of a coopdir instance: a host such as coop.example, host:port, or a URL"

// checkInstance reads the address of another network's instance: a host,
// host:port, or an http(s) URL (whose path is ignored). It returns the host
// in lower case, with its port unless that is the scheme's default, as a
// Partner's Host is kept. Checking it here refuses a typing mistake before
// anything is looked up on the network. EINVALID naming "instance".
func checkInstance(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", instanceInvalid("required", "the address of the instance is missing",
			"must be given: a host such as coop.example, host:port, or a URL")
	}
	host := s
	if scheme, _, ok := strings.Cut(s, "://"); ok {
		u, err := url.Parse(s)
		if err != nil || (scheme != "http" && scheme != "https") || u.Host == "" || u.User != nil {
			return "", instanceInvalid("format", "not an instance address: "+truncate(s, 60), instanceMessage)
		}
		host = u.Host
		if p := u.Port(); (scheme == "https" && p == "443") || (scheme == "http" && p == "80") {
			host = u.Hostname()
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
	} else if strings.ContainsAny(s, "/?#@ \t") || (strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[")) {
		return "", instanceInvalid("format", "not an instance address: "+truncate(s, 60), instanceMessage)
	}
	if _, err := directory.NormalizeDomain(host); err != nil {
		return "", instanceInvalid("format", "not an instance address: "+truncate(s, 60), instanceMessage)
	}
	if _, port, err := net.SplitHostPort(host); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", instanceInvalid("format", "not an instance address: "+truncate(s, 60), instanceMessage)
		}
	}
	return strings.ToLower(strings.TrimSuffix(host, ".")), nil
}

func instanceInvalid(rule, msg, fieldMsg string) error {
	return &directory.Error{Code: directory.EINVALID, Message: msg,
		Fields: []directory.FieldError{{Field: "instance", Rule: rule, Message: fieldMsg}}}
}

// partnerView is a partner as the API shows it: the stored partnership and
// whether it is mutual.
type partnerView struct {
	*directory.Partner
	Mutual bool `json:"mutual"`
}

func newPartnerView(p *directory.Partner) partnerView {
	return partnerView{Partner: p, Mutual: p.Mutual()}
}

// scopeWords says what a scope lets through, for people.
func scopeWords(sc directory.Scope) string {
	if sc.IsEmpty() {
		return "Everything they list"
	}
	var parts []string
	if len(sc.Kinds) > 0 {
		labels := make([]string, len(sc.Kinds))
		for i, k := range sc.Kinds {
			labels[i] = k.Label()
		}
		parts = append(parts, "enterprises of the kinds "+strings.Join(labels, ", "))
	}
	if len(sc.Categories) > 0 {
		labels := make([]string, len(sc.Categories))
		for i, c := range sc.Categories {
			labels[i] = c.Label()
		}
		parts = append(parts, "needs and offers in "+strings.Join(labels, ", "))
	}
	if sc.Center != nil {
		parts = append(parts, "within "+strconv.FormatFloat(sc.RadiusKM, 'f', -1, 64)+" km of "+formatPoint(*sc.Center))
	}
	return capitalize(strings.Join(parts, "; "))
}
