package directory

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"
)

// EditableEnterprise returns the local enterprise with handle when the user
// in ctx may manage it (admins, its editors, the instance): the check every
// federation use case of an enterprise (following, feed, responses) makes.
// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) EditableEnterprise(ctx context.Context, handle string) (*Enterprise, error) {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, err
	}
	if err := canEdit(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// Following returns whom the enterprise follows or asked to follow, newest
// first, with their state. Editors of the enterprise and admins only.
func (s *Service) Following(ctx context.Context, handle string) ([]*Following, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	return s.store.ListFollowing(ctx, EnterpriseActorKey(e.Handle))
}

// FollowingEntry returns the enterprise's follow id. ENOTFOUND when it is
// another actor's. Editors of the enterprise and admins only.
func (s *Service) FollowingEntry(ctx context.Context, handle string, id int64) (*Following, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	f, err := s.store.FindFollowing(ctx, id)
	if err != nil {
		return nil, err
	}
	if f.Actor != EnterpriseActorKey(e.Handle) {
		return nil, Errorf(ENOTFOUND, "this enterprise does not follow that account")
	}
	return f, nil
}

// Feed returns a page of the posts received from the actors the enterprise
// follows, newest first, and their total. Editors and admins only: a post
// may have been addressed to the enterprise alone.
func (s *Service) Feed(ctx context.Context, handle string, p Page) ([]*FeedPost, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &p)
	if err := fe.err("page"); err != nil {
		return nil, 0, err
	}
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListFeed(ctx, EnterpriseActorKey(e.Handle), p)
}

// Responses returns a page of the replies received to the enterprise's
// listings and announcements, newest first, and their total. Editors and
// admins only.
func (s *Service) Responses(ctx context.Context, handle string, p Page) ([]*Response, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &p)
	if err := fe.err("page"); err != nil {
		return nil, 0, err
	}
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, 0, err
	}
	return s.store.ListResponses(ctx, e.ID, p)
}

// Reports returns the reports received from other servers: the open ones,
// or all with all. Admins only.
func (s *Service) Reports(ctx context.Context, all bool) ([]*Report, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListReports(ctx, all)
}

// ResolveReport marks report id as dealt with. Admins only. ENOTFOUND.
func (s *Service) ResolveReport(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.ResolveReport(ctx, id)
}

// DomainBlocks lists the blocked domains. Admins only.
func (s *Service) DomainBlocks(ctx context.Context) ([]*DomainBlock, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListDomainBlocks(ctx)
}

// BlockDomain blocks a domain and its subdomains (on any port) and
// removes what it had sent (see FederationStore.BlockDomain); it returns
// what was removed. Admins only. EINVALID for something that is not a
// domain name or a reason longer than MaxBlockReason characters, ECONFLICT
// when already blocked.
func (s *Service) BlockDomain(ctx context.Context, b *DomainBlock) (*DomainPurge, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	domain, err := NormalizeDomain(b.Domain)
	reason := strings.TrimSpace(b.Reason)
	if utf8.RuneCountInString(reason) > MaxBlockReason {
		// Both fields are reported, so that a form shows both errors.
		var fe fieldErrors
		var de *Error
		if errors.As(err, &de) {
			fe = append(fe, de.Fields...)
		}
		fe.add("reason", "too_long", "must be at most %d characters", MaxBlockReason)
		return nil, fe.err("domain block")
	}
	if err != nil {
		return nil, err
	}
	b.Domain, b.Reason, b.CreatedAt = domain, reason, s.now()
	p, err := s.store.BlockDomain(ctx, b)
	if ErrorCode(err) == ECONFLICT {
		return nil, &Error{Code: ECONFLICT, Message: domain + " is already blocked",
			Fields: []FieldError{{Field: "domain", Rule: "unique", Message: "is already blocked"}}}
	}
	return p, err
}

// UnblockDomain lifts the block of domain. Admins only. ENOTFOUND.
func (s *Service) UnblockDomain(ctx context.Context, domain string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	d, err := NormalizeDomain(domain)
	if err != nil {
		return err
	}
	return s.store.DeleteDomainBlock(ctx, d)
}

// DomainBlocked reports whether host (with or without port) or a parent
// domain of it is blocked.
func (s *Service) DomainBlocked(ctx context.Context, host string) (bool, error) {
	d, err := NormalizeDomain(host)
	if err != nil {
		return false, err
	}
	return s.store.DomainBlocked(ctx, d)
}

// ActorUpdated records that the actor with key name actor (see
// ActorKey.Actor) changed in a way no directory event shows, such as a new
// signing key: the publisher then sends an Update of the actor to its
// followers. Only the instance and admins may.
func (s *Service) ActorUpdated(ctx context.Context, actor string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if actor == "" {
		return Errorf(EINVALID, "name the actor that changed")
	}
	return s.store.RecordEvent(ctx, &Event{Type: EventActorUpdated, Actor: actor, At: s.now()})
}
