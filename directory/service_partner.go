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
