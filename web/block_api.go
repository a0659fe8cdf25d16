package web

import (
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// The domain blocks API, for admins: list, block (which removes what the
// domain had sent) and unblock.

// blockRequest is the body of POST /api/v1/blocks.
type blockRequest struct {
	Domain string `json:"domain"`
	Reason string `json:"reason"`
}

// blockList is the body of GET /api/v1/blocks: every block, by domain.
type blockList struct {
	Items []*directory.DomainBlock `json:"items"`
	Total int                      `json:"total"`
}

// blockCreated is the body of a 201 to POST /api/v1/blocks: the block and
// what it removed.
type blockCreated struct {
	*directory.DomainBlock
	Purged *directory.DomainPurge `json:"purged"`
}

// listBlocks answers GET /api/v1/blocks.
func (s *server) listBlocks(w http.ResponseWriter, r *http.Request) {
	blocks, err := s.svc.DomainBlocks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if blocks == nil {
		blocks = []*directory.DomainBlock{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, blockList{Items: blocks, Total: len(blocks)})
}

// createBlock answers POST /api/v1/blocks: {"domain": "coop.example",
// "reason": "…"} blocks the domain and its subdomains.
func (s *server) createBlock(w http.ResponseWriter, r *http.Request) {
	var body blockRequest
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	b := &directory.DomainBlock{Domain: body.Domain, Reason: body.Reason}
	purged, err := s.svc.BlockDomain(r.Context(), b)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, blockCreated{DomainBlock: b, Purged: purged})
}

// deleteBlock answers DELETE /api/v1/blocks/{domain}: the block is lifted.
// A domain that is not blocked, or is no domain at all, is a 404.
func (s *server) deleteBlock(w http.ResponseWriter, r *http.Request) {
	raw := chi.URLParam(r, "domain")
	err := s.svc.UnblockDomain(r.Context(), raw)
	if directory.ErrorCode(err) == directory.EINVALID {
		err = directory.Errorf(directory.ENOTFOUND, "%q is not blocked", truncate(raw, 60))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
