package sqlite

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// UpdateFeedPost changes the stored post p.ObjectID written by p.Author,
// keeping its source and published time, and reports whether there was one.
func (db *DB) UpdateFeedPost(ctx context.Context, p *directory.FeedPost) (bool, error) {
	n, err := db.exec(ctx, "update feed post", `
		UPDATE feed_posts SET type = ?, name = ?, content = ?, url = ?, in_reply_to = ?, updated = ?
		WHERE object_id = ? AND author = ?`,
		p.Type, p.Name, p.Content, p.URL, p.InReplyTo, micros(p.Updated), p.ObjectID, p.Author)
	return n > 0, err
}
