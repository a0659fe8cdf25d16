package web

import (
	"context"
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
		return msg("Everything they list")
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
