package directory

import "context"

// ImportMurmurations stores enterprises imported from the Murmurations
// index whose entries have origin (see MurmurationsOrigin), as the
// partner copies are stored: matched by their RemoteID (the profile's
// address), a stored one overwritten only when its UpdatedAt (the
// profile's last_updated) is later. Like partner copies they record no
// events, so nothing of ours federates them. The summary (the profile's
// description) is rendered as Markdown is. Admins only. EINVALID.
func (s *Service) ImportMurmurations(ctx context.Context, origin string, ents []*Enterprise) (RemoteImport, error) {
	if err := requireAdmin(ctx); err != nil {
		return RemoteImport{}, err
	}
	if !IsMurmurationsOrigin(origin) {
		return RemoteImport{}, Errorf(EINVALID, "%q is not the origin of a Murmurations index", origin)
	}
	if err := CheckRemoteImport(origin, ents, nil); err != nil {
		return RemoteImport{}, err
	}
	for _, e := range ents {
		e.SummaryHTML = s.render(e.Summary)
	}
	return s.store.ImportRemote(ctx, origin, ents, nil)
}

// RemoveMurmurations removes the entry imported from the profile at
// profileURL of the index whose entries have origin, and reports whether
// it was there. Admins only. EINVALID.
func (s *Service) RemoveMurmurations(ctx context.Context, origin, profileURL string) (bool, error) {
	if err := requireAdmin(ctx); err != nil {
		return false, err
	}
	if !IsMurmurationsOrigin(origin) {
		return false, Errorf(EINVALID, "%q is not the origin of a Murmurations index", origin)
	}
	return s.store.DeleteRemoteEnterprise(ctx, origin, profileURL)
}

// RemoteEnterprise returns the copy of an entry from elsewhere: a
// partner's (origin its host, remoteID its id there) or a Murmurations
// index's (remoteID the profile's address). ENOTFOUND.
func (s *Service) RemoteEnterprise(ctx context.Context, origin, remoteID string) (*Enterprise, error) {
	if origin == "" || remoteID == "" {
		return nil, Errorf(ENOTFOUND, "no such entry")
	}
	return s.store.FindRemoteEnterprise(ctx, origin, remoteID)
}
