package directory

import (
	"cmp"
	"context"
	"slices"
)

// MatchNotice tells the editors of one local enterprise of the new matches
// of its listings.
type MatchNotice struct {
	Enterprise *Enterprise
	// Recipients are the addresses of its editors or, when it has none, of
	// the admins (as for the Respond form).
	Recipients []string
	// Matches are the new matches, oldest first; Match.Of(Enterprise.ID)
	// is the enterprise's own listing of each.
	Matches []*Match
}

// NotifyMatches tells the editors of the local enterprises of the matches
// found since the last call, up to limit matches: one notice per
// enterprise, handed to send (which queues a mail). A match is marked told
// once send took every notice it is in; when send fails the match is
// tried again by the next call, so a notice may reach some editors twice,
// never none. Matches between two partners' listings have no one here to
// tell and are only marked. It returns how many matches it marked. The
// instance only (the matching loop).
func (s *Service) NotifyMatches(ctx context.Context, limit int, send func(context.Context, *MatchNotice) error) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	ms, err := s.store.MatchesToNotify(ctx, s.today(), limit)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	notices, err := s.matchNotices(ctx, ms)
	if err != nil {
		return 0, err
	}
	failed := map[int64]bool{}
	var firstErr error
	for _, n := range notices {
		if err := send(ctx, n); err != nil {
			firstErr = cmp.Or(firstErr, err)
			for _, m := range n.Matches {
				failed[m.ID] = true
			}
		}
	}
	var told []int64
	for _, m := range ms {
		if !failed[m.ID] {
			told = append(told, m.ID)
		}
	}
	if err := s.store.MarkMatchesNotified(ctx, told, s.now()); err != nil {
		return 0, err
	}
	return len(told), firstErr
}

// matchNotices groups matches ms by the local enterprise of each side.
func (s *Service) matchNotices(ctx context.Context, ms []*Match) ([]*MatchNotice, error) {
	byHandle := map[string]*MatchNotice{}
	var order []string
	for _, m := range ms {
		for _, l := range []*Listing{m.Need, m.Offer} {
			if l == nil || l.Origin != "" {
				continue
			}
			n, ok := byHandle[l.EnterpriseHandle]
			if !ok {
				e, err := s.store.FindEnterprise(ctx, "", l.EnterpriseHandle)
				if err != nil {
					return nil, err
				}
				to, err := s.contactRecipients(ctx, e.ID)
				if err != nil {
					return nil, err
				}
				n = &MatchNotice{Enterprise: e, Recipients: to}
				byHandle[l.EnterpriseHandle] = n
				order = append(order, l.EnterpriseHandle)
			}
			if !slices.Contains(n.Matches, m) {
				n.Matches = append(n.Matches, m)
			}
		}
	}
	out := make([]*MatchNotice, 0, len(order))
	for _, h := range order {
		out = append(out, byHandle[h])
	}
	return out, nil
}
