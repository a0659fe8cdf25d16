package federation

import (
	"context"
	"net/http"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// instanceActorPath is the path of one of the instance's own actors (see
// URLs): /actor for the instance, /{username} for the others.
func instanceActorPath(ref ActorRef) string {
	if ref.Kind == KindInstance {
		return instancePath
	}
	return "/" + ref.Handle
}

// localEnterprise returns the local enterprise of the request's {handle}:
// a partner's enterprise, or none, is ENOTFOUND.
func (s *Server) localEnterprise(r *http.Request) (*directory.Enterprise, error) {
	handle := r.PathValue("handle")
	if directory.ValidateHandle(handle) != nil {
		return nil, directory.Errorf(directory.ENOTFOUND, "no such enterprise")
	}
	e, err := s.svc.Enterprise(r.Context(), handle)
	if err != nil {
		return nil, err
	}
	if !e.IsLocal() {
		return nil, directory.Errorf(directory.ENOTFOUND, "no such enterprise")
	}
	return e, nil
}

// enterpriseActor answers GET /enterprises/{handle}: the Organization actor.
func (s *Server) enterpriseActor(w http.ResponseWriter, r *http.Request) {
	e, err := s.localEnterprise(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := s.enterpriseDocument(r.Context(), e)
	s.writeDocument(w, r, doc, err)
}

func (s *Server) enterpriseDocument(ctx context.Context, e *directory.Enterprise) (map[string]any, error) {
	key, err := enterpriseKey(ctx, s.keys, e)
	if err != nil {
		return nil, err
	}
	return EnterpriseActor(s.urls, e, key.PublicPEM)
}

// Our actors' keys are made when they are first needed: on the first fetch
// of the actor's document, or when the actor first signs an activity. No
// key is made when an enterprise is created, so that importing thousands
// of them costs no key generation until they take part in federation.

// enterpriseKey returns the key of the local enterprise e, making it when
// it has none. A key made before the enterprise was belongs to an
// enterprise that was deleted and had the same handle: Key replaces it.
func enterpriseKey(ctx context.Context, keys *Keys, e *directory.Enterprise) (*directory.ActorKey, error) {
	return keys.Key(ctx, directory.EnterpriseActorKey(e.Handle), e.CreatedAt)
}

// actorKey returns the key of our actor with key name name (see
// ActorKeyName), making it when it has none: the key its document serves,
// which its activities are signed with. An enterprise that is gone signs its
// last activities, such as its Delete, with the key it had.
func actorKey(ctx context.Context, svc *directory.Service, keys *Keys, name string) (*directory.ActorKey, error) {
	ref := actorRef(name)
	if ref.Kind != KindEnterprise {
		return keys.Key(ctx, name, time.Time{})
	}
	e, err := svc.Enterprise(ctx, ref.Handle)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return keys.Key(ctx, name, time.Time{})
	case err != nil:
		return nil, err
	}
	return enterpriseKey(ctx, keys, e)
}

// instanceActor answers GET for one of the instance's own actors: the
// network's Group, the instance's Application, and the needs and offers
// Services.
func (s *Server) instanceActor(ref ActorRef) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		doc, err := s.ActorDocument(r.Context(), ref)
		s.writeDocument(w, r, doc, err)
	}
}

// ActorDocument returns the current document of one of our actors.
// ENOTFOUND for an enterprise that is not here (or not local).
func (s *Server) ActorDocument(ctx context.Context, ref ActorRef) (map[string]any, error) {
	if ref.Kind == KindEnterprise {
		e, err := s.svc.Enterprise(ctx, ref.Handle)
		if err != nil {
			return nil, err
		}
		if !e.IsLocal() {
			return nil, directory.Errorf(directory.ENOTFOUND, "no such enterprise")
		}
		return s.enterpriseDocument(ctx, e)
	}
	if ref.Kind == KindTopic {
		return s.topicDocument(ctx, ref.Handle)
	}
	key, err := s.keys.Key(ctx, ActorKeyName(ref), time.Time{})
	if err != nil {
		return nil, err
	}
	n, err := s.networkInfo(ctx)
	if err != nil {
		return nil, err
	}
	switch ref.Kind {
	case KindNetwork:
		return NetworkActor(s.urls, n, key.PublicPEM)
	case KindInstance:
		return InstanceActor(s.urls, n, key.PublicPEM)
	case KindNeeds:
		return ListingsActor(s.urls, directory.Need, n, key.PublicPEM)
	case KindOffers:
		return ListingsActor(s.urls, directory.Offer, n, key.PublicPEM)
	}
	return nil, directory.Errorf(directory.ENOTFOUND, "no such actor")
}

// networkInfo is the network's name and description from the settings,
// the options standing in for what the settings leave empty (or when they
// cannot be read), and the date the instance's actors were published.
func (s *Server) networkInfo(ctx context.Context) (NetworkInfo, error) {
	n := s.opt.Network
	st, err := s.svc.Settings(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "read settings", "err", err)
		st = &directory.Settings{}
	}
	if st.NetworkName != "" {
		n.Name = st.NetworkName
	}
	if st.NetworkDescription != "" {
		n.Description = st.NetworkDescription
	}
	if n.Published.IsZero() {
		key, err := s.keys.Key(ctx, InstanceUsername, time.Time{})
		if err != nil {
			return NetworkInfo{}, err
		}
		n.Published = key.CreatedAt
	}
	return n, nil
}

// networkName is NodeInfo's nodeName.
func (s *Server) networkName(ctx context.Context) string {
	n, err := s.networkInfo(ctx)
	if err != nil {
		s.log.ErrorContext(ctx, "network name", "err", err)
		return s.opt.Network.Name
	}
	return n.Name
}

// usage counts, for NodeInfo, the accounts, the local enterprises, the
// local open listings, and the local posts: listings of any status and
// announcements.
func (s *Server) usage(ctx context.Context) (NodeUsage, error) {
	sys := directory.AsSystem(ctx)
	accounts, err := s.svc.Users(sys)
	if err != nil {
		return NodeUsage{}, err
	}
	ents, err := s.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{
		Origin: directory.OriginLocal, Sort: directory.SortNewest, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return NodeUsage{}, err
	}
	listings, err := s.svc.SearchListings(ctx, directory.ListingQuery{
		Origin: directory.OriginLocal, Sort: directory.SortNewest, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return NodeUsage{}, err
	}
	open, err := s.svc.SearchListings(ctx, directory.ListingQuery{Origin: directory.OriginLocal,
		Status: directory.StatusOpen, Sort: directory.SortNewest, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return NodeUsage{}, err
	}
	// Counts has no split by origin yet; until partner sync stores copies
	// of partners' announcements, every announcement is local.
	counts, err := s.svc.Counts(ctx)
	if err != nil {
		return NodeUsage{}, err
	}
	return NodeUsage{Users: len(accounts), Enterprises: ents.Total, Listings: open.Total,
		LocalPosts: listings.Total + counts.Announcements}, nil
}
