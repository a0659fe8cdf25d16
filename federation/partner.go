package federation

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// Partnerships between networks: our instance actor follows the partner's
// instance actor; the partner's admin approves (Accept) or rejects
// (Reject). A Follow of our instance actor is a request for our admin to
// approve. See FEDERATION.md, "Partner networks".

var errPartnerTODO = directory.Errorf(directory.EINTERNAL, "partnerships are not implemented yet")

// RequestPartnership looks instance (a host, host:port or URL) up through
// NodeInfo or WebFinger, stores the partner with Outgoing pending and the
// scope, and sends Follow from our instance actor to its instance actor.
// Admins only. EINVALID (malformed instance, field "instance", or scope,
// fields "scope.*"), ENOTFOUND (no coopdir instance there), ECONFLICT
// (already asked: Outgoing pending or active), EFORBIDDEN (a blocked
// domain, our own host, or not an admin), EUNAUTHORIZED.
func (n *Node) RequestPartnership(ctx context.Context, instance string, scope directory.Scope) (*directory.Partner, error) {
	return nil, errPartnerTODO
}

// ApprovePartner accepts partner id's request (Incoming pending or
// rejected becomes active): Accept is sent and the partner receives our
// entries from now on. Admins only. ENOTFOUND, ECONFLICT (no request).
func (n *Node) ApprovePartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return nil, errPartnerTODO
}

// RejectPartner refuses partner id's request (Incoming pending or active
// becomes rejected): Reject is sent and deliveries to it stop. Admins
// only. ENOTFOUND, ECONFLICT (no request).
func (n *Node) RejectPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return nil, errPartnerTODO
}

// SetPartnerScope changes what we import from partner id: entries now out
// of scope are removed and the backfill runs again. Admins only.
// EINVALID, ENOTFOUND.
func (n *Node) SetPartnerScope(ctx context.Context, id int64, scope directory.Scope) (*directory.Partner, error) {
	return nil, errPartnerTODO
}

// EndPartnership ends both directions with partner id: Undo of our Follow,
// Reject of theirs, their entries removed here and the partner forgotten.
// Admins only. ENOTFOUND.
func (n *Node) EndPartnership(ctx context.Context, id int64) error {
	return errPartnerTODO
}
