package federation

import (
	"context"
	"crypto/rand"
	"encoding/hex"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Follow makes the enterprise with handle follow a remote account
// (name@host, @name@host, acct:name@host or an actor URL): WebFinger finds
// the actor, the follow is stored as pending and a Follow is queued to the
// actor's inbox. The answer (Accept or Reject) arrives in our inbox.
// EINVALID, ENOTFOUND, ECONFLICT (already followed), EUNAUTHORIZED,
// EFORBIDDEN.
func (n *Node) Follow(ctx context.Context, handle, account string) (*directory.Following, error) {
	e, err := n.opt.Service.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	if account, err = directory.CheckAccountAddress(account); err != nil {
		return nil, err
	}
	a, acct, err := n.resolver.Lookup(ctx, account)
	if err != nil {
		return nil, err
	}
	host, _ := Host(a.ID)
	if blocked, err := n.blocked(ctx, host); err != nil {
		return nil, err
	} else if blocked {
		return nil, &directory.Error{Code: directory.EFORBIDDEN, Message: host + " is blocked on this server"}
	}
	name := directory.EnterpriseActorKey(e.Handle)
	now := n.now()
	f := &directory.Following{Actor: name, TargetID: a.ID, Account: acct, Name: clip(a.Name, 200), URL: a.URL,
		Inbox: a.Inbox, FollowID: n.opt.URLs.Activity("follow-" + randomHex()), State: directory.FollowPending,
		CreatedAt: now, UpdatedAt: now}
	if err := n.store.CreateFollowing(ctx, f); err != nil {
		if directory.ErrorCode(err) == directory.ECONFLICT {
			return nil, &directory.Error{Code: directory.ECONFLICT, Message: e.Name + " already follows " + acct, Err: err}
		}
		return nil, err
	}
	doc, err := ap.Follow(ap.FollowRef{ID: f.FollowID, Actor: n.opt.URLs.Enterprise(e.Handle).ID, Object: a.ID})
	if err == nil {
		err = n.send(ctx, name, a.Inbox, doc)
	}
	if err != nil {
		if derr := n.store.DeleteFollowing(ctx, f.ID); derr != nil {
			n.log.ErrorContext(ctx, "undo follow record", "err", derr)
		}
		return nil, err
	}
	return f, nil
}

// Unfollow withdraws the enterprise's follow id: Undo{Follow} is queued
// to the followed actor (unless it rejected the follow) and the follow is
// forgotten. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (n *Node) Unfollow(ctx context.Context, handle string, id int64) error {
	f, err := n.opt.Service.FollowingEntry(ctx, handle, id)
	if err != nil {
		return err
	}
	if f.State != directory.FollowRejected {
		undo, err := Undo(ap.FollowRef{ID: f.FollowID, Actor: n.opt.URLs.ActorIDOf(actorRef(f.Actor)), Object: f.TargetID})
		if err != nil {
			return err
		}
		if err := n.send(ctx, f.Actor, f.Inbox, undo); err != nil {
			return err
		}
	}
	return n.store.DeleteFollowing(ctx, f.ID)
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
