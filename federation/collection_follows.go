package federation

import (
	"context"
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// followersOf answers the followers collection of one of our actors: the
// ids of the remote actors following it, oldest first.
func (s *Server) followers(w http.ResponseWriter, r *http.Request, ref ActorRef) {
	name := ActorKeyName(ref)
	_, total, err := s.store.ListFollowers(r.Context(), name, directory.Page{Page: 1, PerPage: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	items := func(ctx context.Context, offset, limit int) ([]any, error) {
		fs, _, err := s.store.ListFollowers(ctx, name, directory.Page{Page: offset/limit + 1, PerPage: limit})
		out := make([]any, len(fs))
		for i, f := range fs {
			out[i] = f.FollowerID
		}
		return out, err
	}
	s.serveCollection(w, r, actorURLs(s.urls.ActorIDOf(ref)).Followers, total, s.opt.PerPage, items)
}

// following answers the following collection of one of our actors: the
// ids of the remote actors that accepted its follow, newest first.
func (s *Server) following(w http.ResponseWriter, r *http.Request, ref ActorRef) {
	all, err := s.store.ListFollowing(r.Context(), ActorKeyName(ref))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ids []any
	for _, f := range all {
		if f.State == directory.FollowAccepted {
			ids = append(ids, f.TargetID)
		}
	}
	items := func(_ context.Context, offset, limit int) ([]any, error) {
		end := min(offset+limit, len(ids))
		return append([]any{}, ids[offset:end]...), nil
	}
	s.serveCollection(w, r, actorURLs(s.urls.ActorIDOf(ref)).Following, len(ids), s.opt.PerPage, items)
}

// actorFollows serves followers (or following, with following set) of
// the instance actor ref, or of the enterprise of the path when ref is
// zero.
func (s *Server) actorFollows(ref ActorRef, following bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ref := ref
		if ref.Kind == "" {
			e, err := s.localEnterprise(r)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ref = ActorRef{KindEnterprise, e.Handle}
		}
		if following {
			s.following(w, r, ref)
		} else {
			s.followers(w, r, ref)
		}
	}
}
