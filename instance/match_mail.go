package instance

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/mail"
)

// noticeBatch is how many new matches one call of NotifyMatches tells of.
const noticeBatch = 200

// notifyMatches tells the editors of the new matches by mail (when SMTP is
// set; else the matches are only marked told, and the admin's Matches page
// and its count are how editors learn of them).
func (in *Instance) notifyMatches(ctx context.Context) {
	sys := directory.AsSystem(ctx)
	send := func(context.Context, *directory.MatchNotice) error { return nil }
	if in.cfg.Mail.Enabled() {
		q := &mail.Queue{Insert: in.node.Enqueue}
		send = func(ctx context.Context, n *directory.MatchNotice) error {
			if len(n.Recipients) == 0 {
				return nil
			}
			return q.Send(ctx, matchMail(in.baseURL, in.cfg.NetworkName, n))
		}
	}
	for {
		n, err := in.svc.NotifyMatches(sys, noticeBatch, send)
		if err != nil && ctx.Err() == nil {
			in.log.ErrorContext(ctx, "tell editors of new matches", "err", err)
		}
		if err != nil || n < noticeBatch {
			return
		}
	}
}

// matchMail is the mail that tells the editors of notice's enterprise of
// its new matches, with where to see and dismiss them.
func matchMail(baseURL, network string, n *directory.MatchNotice) mail.Message {
	e := n.Enterprise
	subject := fmt.Sprintf("%d new matches for the needs and offers of %s", len(n.Matches), e.Name)
	if len(n.Matches) == 1 {
		m := n.Matches[0]
		subject = "New match for “" + m.Of(e.ID).Title + "”"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s found listings that could meet the needs and offers of %s:\n\n", network, e.Name)
	for _, m := range n.Matches {
		mine, other := m.Of(e.ID), m.Other(m.Of(e.ID).ID)
		fmt.Fprintf(&b, "Your %s “%s” and the %s “%s” of %s%s\n", typeWord(mine), mine.Title, typeWord(other), other.Title,
			other.EnterpriseName, originNote(other))
		fmt.Fprintf(&b, "  %s\n", listingAddress(baseURL, other))
		if len(m.Reasons) > 0 {
			fmt.Fprintf(&b, "  Why: %s\n", strings.Join(m.Reasons, "; "))
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "-- \nYou get this as an editor of %s. See every match, and dismiss those that do not fit, on its Matches page:\n", e.Name)
	b.WriteString(baseURL + "/admin/enterprises/" + url.PathEscape(e.Handle) + "/matches\n")
	return mail.Message{To: n.Recipients, Subject: subject, Body: b.String()}
}

func typeWord(l *directory.Listing) string {
	if l.Type == directory.Need {
		return "need"
	}
	return "offer"
}

// originNote says where a partner's listing comes from.
func originNote(l *directory.Listing) string {
	if l.Origin == "" {
		return ""
	}
	return " (listed by " + l.Origin + ")"
}

// listingAddress is where a listing is read: its page here, or the
// partner's page of it.
func listingAddress(baseURL string, l *directory.Listing) string {
	if l.Origin != "" && l.RemoteURL != "" {
		return l.RemoteURL
	}
	return baseURL + "/listings/" + strconv.FormatInt(l.ID, 10)
}
