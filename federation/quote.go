package federation

import (
	"context"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Quote posts (FEP-044f, as Mastodon 4.5 implements them). The Notes of
// announcements and listings say that everyone may quote them
// (interactionPolicy.canQuote), so that a Mastodon user can quote-share a
// need. A QuoteRequest for one of them is accepted by its enterprise with a
// QuoteAuthorization stamp as the result; anything else is rejected. The
// stamp is served at a URL that names the quote post, so no state is kept:
// since every quote is approved, the stamp of any quote post of an existing
// Note is valid, and it is gone (404) once the Note is.

// maxQuoteURL caps the quote post id a stamp URL carries.
const maxQuoteURL = 2048

// quotePolicy is the interactionPolicy of a quotable Note: everyone may
// quote, reply to, like and boost it, approved automatically. Every
// sub-policy is spelled out, under both names of its rule: a server that
// reads an interactionPolicy takes a sub-policy left out as "nobody but the
// author" (GoToSocial v0.18 refused its users' replies to a Note that named
// canQuote alone), and GoToSocial before v0.20 calls automaticApproval
// "always".
func quotePolicy() map[string]any {
	everyone := func() any { return map[string]any{"automaticApproval": []any{ap.Public}, "always": []any{ap.Public}} }
	return map[string]any{"canQuote": everyone(), "canReply": everyone(), "canLike": everyone(), "canAnnounce": everyone()}
}

// quoteTarget is a local Note that may be quoted.
type quoteTarget struct {
	id     string // the Note's id
	author string // the enterprise's handle
}

// objectReader reads the local objects that may be quoted.
type objectReader interface {
	Announcement(ctx context.Context, id int64) (*directory.Announcement, error)
	Listing(ctx context.Context, id int64) (*directory.Listing, error)
}

// findQuotable returns the local Note with id: an announcement
// (/announcements/{n}) or a listing's companion Note (/listings/{n}/note).
// ENOTFOUND for anything else, a partner's copy included.
func findQuotable(ctx context.Context, svc objectReader, u URLs, id string) (quoteTarget, error) {
	nf := directory.Errorf(directory.ENOTFOUND, "%s is not a Note of this server that can be quoted", id)
	home := strings.TrimSuffix(u.Home(), "/")
	rest, ok := strings.CutPrefix(id, home+"/")
	if !ok {
		return quoteTarget{}, nf
	}
	if n, ok := strings.CutPrefix(rest, "announcements/"); ok {
		num, err := strconv.ParseInt(n, 10, 64)
		if err != nil || num < 1 {
			return quoteTarget{}, nf
		}
		a, err := svc.Announcement(ctx, num)
		if err != nil {
			return quoteTarget{}, err
		}
		if a.Origin != "" {
			return quoteTarget{}, nf
		}
		return quoteTarget{id: u.Announcement(a.ID), author: a.EnterpriseHandle}, nil
	}
	if n, ok := strings.CutPrefix(rest, "listings/"); ok {
		n, ok = strings.CutSuffix(n, "/note")
		num, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil || num < 1 {
			return quoteTarget{}, nf
		}
		l, err := svc.Listing(ctx, num)
		if err != nil {
			return quoteTarget{}, err
		}
		if l.Origin != "" {
			return quoteTarget{}, nf
		}
		return quoteTarget{id: u.ListingNote(l.ID), author: l.EnterpriseHandle}, nil
	}
	return quoteTarget{}, nf
}

// stampURL is the id of the QuoteAuthorization of quote (a quote post)
// quoting target: {target}/quotes/{quote, base64url}.
func stampURL(target, quote string) string {
	return target + "/quotes/" + base64.RawURLEncoding.EncodeToString([]byte(quote))
}

// QuoteAuthorization is the stamp by which author approves quote as a
// quote of target (it embeds neither, as FEP-044f asks).
func QuoteAuthorization(author, target, quote string) (map[string]any, error) {
	doc := map[string]any{
		"id": stampURL(target, quote), "type": "QuoteAuthorization", "attributedTo": author,
		"interactingObject": quote, "interactionTarget": target,
	}
	doc["@context"] = ap.ContextFor(doc)
	return doc, nil
}

// quoteAnswer is the Accept (with the stamp as result) or the Reject of a
// QuoteRequest, sent by the quoted Note's author to the requester.
func quoteAnswer(u URLs, accept bool, author string, req *ap.Envelope, target, quote string) (map[string]any, error) {
	typ, verb := "Reject", "reject"
	if accept {
		typ, verb = "Accept", "accept"
	}
	doc := map[string]any{
		"id": u.derivedActivity(verb, req.ID), "type": typ, "actor": author, "to": []any{req.Actor},
		"object": map[string]any{"id": req.ID, "type": "QuoteRequest", "actor": req.Actor,
			"object": target, "instrument": quote},
	}
	if accept {
		doc["result"] = stampURL(target, quote)
	}
	doc["@context"] = ap.ContextFor(doc)
	return doc, nil
}

// onQuoteRequest answers a QuoteRequest: Accept with a stamp when its
// object is one of our quotable Notes and its instrument (the quote post)
// lives on the requester's host, Reject otherwise.
func (in *Inbox) onQuoteRequest(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	quote := ap.IDOf(m["instrument"])
	requester, err := in.resolver.Actor(ctx, env.Actor, false)
	if err != nil {
		return err
	}
	target, err := findQuotable(ctx, in.opt.Service, in.opt.URLs, env.ObjectID)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		// Not ours to answer: an object of another server, or gone.
		return nil
	}
	if err != nil {
		return err
	}
	ok := quote != "" && len(quote) <= maxQuoteURL && SameOrigin(quote, env.Actor)
	author := in.opt.URLs.Enterprise(target.author).ID
	answer, err := quoteAnswer(in.opt.URLs, ok, author, env, target.id, quote)
	if err != nil {
		return err
	}
	return in.send(ctx, directory.EnterpriseActorKey(target.author), requester.Inbox, answer)
}

// quoteStamp answers GET {note}/quotes/{stamp}: the QuoteAuthorization of
// the quote post the stamp names, while the Note exists.
func (s *Server) quoteStamp(w http.ResponseWriter, r *http.Request) {
	target := s.urls.abs(strings.TrimSuffix(r.URL.Path, "/quotes/"+r.PathValue("stamp")))
	raw, err := base64.RawURLEncoding.DecodeString(r.PathValue("stamp"))
	quote := string(raw)
	if _, nerr := NormalizeID(quote); err != nil || len(quote) > maxQuoteURL || nerr != nil {
		s.fail(w, r, directory.Errorf(directory.ENOTFOUND, "not found"))
		return
	}
	t, err := findQuotable(r.Context(), s.svc, s.urls, target)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := QuoteAuthorization(s.urls.Enterprise(t.author).ID, t.id, quote)
	s.writeDocument(w, r, doc, err)
}
