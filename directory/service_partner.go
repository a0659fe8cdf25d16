package directory

import "context"

// Partners returns every partnership, ordered by host. Admins only.
func (s *Service) Partners(ctx context.Context) ([]*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListPartners(ctx)
}

// Partner returns partnership id. Admins only. ENOTFOUND.
func (s *Service) Partner(ctx context.Context, id int64) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.FindPartner(ctx, id)
}

// PartnerNetwork is what anyone may know of a partner whose entries the
// directory shows: its host (the Origin of its entries), name and home page.
type PartnerNetwork struct {
	Host string `json:"host"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// PartnerNetworks returns the partners whose entries we import, ordered by
// host: the networks the directory's origin facet and entry labels name.
func (s *Service) PartnerNetworks(ctx context.Context) ([]PartnerNetwork, error) {
	ps, err := s.store.ListPartners(ctx)
	if err != nil {
		return nil, err
	}
	var out []PartnerNetwork
	for _, p := range ps {
		if p.Importing() {
			out = append(out, PartnerNetwork{Host: p.Host, Name: p.DisplayName(), URL: p.URL})
		}
	}
	return out, nil
}

// RequireAdmin allows the instance itself and admins: for the use cases
// that live outside this package (partnerships are run by federation).
func (s *Service) RequireAdmin(ctx context.Context) error { return requireAdmin(ctx) }

// The partnership use cases. Federation finds the other network and sends
// what each change owes it (Follow, Accept, Reject, Undo); the rules of who
// may change a partnership and how its states move are here.

// AskPartner records that this network asks the network info describes
// (found by federation) to partner with it: Outgoing becomes pending with
// followID as our Follow's id and scope as what we will import. A network
// not known yet is stored from info. Admins only. EINVALID (scope),
// ECONFLICT (already asked: Outgoing pending or active).
func (s *Service) AskPartner(ctx context.Context, info *Partner, scope Scope, followID string) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	ask := func(p *Partner) error {
		p.Outgoing, p.OutgoingFollowID = PartnerPending, followID
		p.Scope, p.Backfill, p.UpdatedAt = scope, Backfill{}, s.now()
		return nil
	}
	return s.savePartner(ctx, info, ask, func(p *Partner) error {
		if p.Outgoing == PartnerPending || p.Outgoing == PartnerActive {
			msg := "this network was already asked (" + string(p.Outgoing) + ")"
			return &Error{Code: ECONFLICT, Message: msg, Fields: []FieldError{{Field: "instance", Rule: "unique", Message: msg}}}
		}
		p.ActorID, p.Inbox, p.Name, p.Summary, p.URL = info.ActorID, info.Inbox, info.Name, info.Summary, info.URL
		p.Enterprises, p.Listings = info.Enterprises, info.Listings
		return ask(p)
	})
}

// PartnerAsked records the request of the network info describes to
// partner with ours (its Follow, with id followID, of our instance actor),
// for an admin to approve; active is true when we had approved it already
// (the request came again), and it stays active. Federation's inbox calls
// it as the instance.
func (s *Service) PartnerAsked(ctx context.Context, info *Partner, followID string) (p *Partner, active bool, err error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, false, err
	}
	p, err = s.savePartner(ctx, info, func(p *Partner) error {
		p.IncomingFollowID, p.Incoming = followID, PartnerPending
		return nil
	}, func(p *Partner) error {
		p.IncomingFollowID, p.UpdatedAt = followID, s.now()
		if active = p.Incoming == PartnerActive; !active {
			p.Incoming = PartnerPending
		}
		return nil
	})
	return p, active, err
}

// savePartner stores what we learn of the network that info describes:
// a new partner made by create from info, or the stored one (read and
// written in one transaction) changed by change. When the partner appears
// between the two (its request and ours crossing), change applies.
func (s *Service) savePartner(ctx context.Context, info *Partner, create, change func(*Partner) error) (*Partner, error) {
	for try := 1; ; try++ {
		p, err := s.store.FindPartnerByHost(ctx, info.Host)
		if err == nil {
			return s.store.ChangePartner(ctx, p.ID, change)
		}
		if ErrorCode(err) != ENOTFOUND {
			return nil, err
		}
		p = info
		p.CreatedAt, p.UpdatedAt = s.now(), s.now()
		if err := create(p); err != nil {
			return nil, err
		}
		err = s.store.CreatePartner(ctx, p)
		if ErrorCode(err) == ECONFLICT && try < 3 {
			p.ID = 0
			continue // created meanwhile: change it instead
		}
		if err != nil {
			return nil, err
		}
		return p, nil
	}
}

// ApprovePartner approves partner id's request: Incoming becomes active
// (federation then sends the Accept and our entries from now on). Admins
// only. ENOTFOUND, ECONFLICT (no request, or it was withdrawn meanwhile).
func (s *Service) ApprovePartner(ctx context.Context, id int64) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ChangePartner(ctx, id, func(p *Partner) error {
		if err := p.HasRequest(); err != nil {
			return err
		}
		p.Incoming, p.UpdatedAt = PartnerActive, s.now()
		return nil
	})
}

// RejectPartner refuses partner id's request, pending or approved before:
// Incoming becomes rejected (federation then stops our deliveries and sends
// the Reject; refusing again sends it again). Admins only. ENOTFOUND,
// ECONFLICT (no request).
func (s *Service) RejectPartner(ctx context.Context, id int64) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ChangePartner(ctx, id, func(p *Partner) error {
		if p.Incoming == PartnerNone || p.IncomingFollowID == "" {
			return Errorf(ECONFLICT, "there is no request of %s to reject", p.DisplayName())
		}
		p.Incoming, p.UpdatedAt = PartnerRejected, s.now()
		return nil
	})
}

// SetPartnerScope changes what we import from partner id. When we import
// from it, its backfill starts over (federation runs it), and the run's
// sweep removes what the new scope leaves out. Admins only. EINVALID,
// ENOTFOUND.
func (s *Service) SetPartnerScope(ctx context.Context, id int64, scope Scope) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	return s.store.ChangePartner(ctx, id, func(p *Partner) error {
		p.Scope, p.UpdatedAt = scope, s.now()
		if p.Importing() {
			p.Backfill = Backfill{At: s.now(), Sweep: true}
		}
		return nil
	})
}

// RemovePartner forgets partner id and removes every entry of its network
// here (federation first tells it the partnership ended). Admins only.
// ENOTFOUND.
func (s *Service) RemovePartner(ctx context.Context, id int64) error {
	p, err := s.Partner(ctx, id)
	if err != nil {
		return err
	}
	if _, err := s.store.PurgeOrigin(ctx, p.Host); err != nil {
		return err
	}
	return s.store.DeletePartner(ctx, p.ID)
}

// SetPartnerExportScope changes what partner id may read of our directory
// (see Partner.ExportScope): from now on the directory collections it
// reads and the changes we announce to it hold only what the scope lets
// through, and a change that takes an entry out of it reaches the partner
// as the entry's Delete. The copies the partner holds already of entries
// the new scope leaves out go at its next full read of our directory (a
// scope change of its own, or its daily one). Admins only. EINVALID
// (fields scope.*), ENOTFOUND.
func (s *Service) SetPartnerExportScope(ctx context.Context, id int64, scope Scope) (*Partner, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	return s.store.ChangePartner(ctx, id, func(p *Partner) error {
		p.ExportScope, p.UpdatedAt = scope, s.now()
		return nil
	})
}

// PartnerAnnouncements returns a page of the announcements of the partner
// networks (of the partner with host origin, or of every partner when
// origin is ""), newest first, with their total; each names its Origin.
// EINVALID.
func (s *Service) PartnerAnnouncements(ctx context.Context, origin string, p Page) ([]*Announcement, int, error) {
	var fe fieldErrors
	normalizePage(&fe, &p)
	if err := fe.err("page"); err != nil {
		return nil, 0, err
	}
	return s.store.ListPartnerAnnouncements(ctx, origin, p)
}
