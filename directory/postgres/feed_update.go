package postgres

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// UpdateFeedPost changes the stored post p.ObjectID written by p.Author,
// keeping its source and published time, and reports whether there was one.
func (db *DB) UpdateFeedPost(ctx context.Context, p *directory.FeedPost) (bool, error) {
	n, err := db.exec(ctx, "update feed post", `
		UPDATE feed_posts SET type = $1, name = $2, content = $3, url = $4, in_reply_to = $5, updated = $6
		WHERE object_id = $7 AND author = $8`,
		p.Type, p.Name, p.Content, p.URL, p.InReplyTo, ts(p.Updated), p.ObjectID, p.Author)
	return n > 0, err
}
