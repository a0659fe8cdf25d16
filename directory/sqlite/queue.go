package sqlite

// QueueHandle returns the database handle a job queue shares with the store:
// the write pool, whose single connection makes the queue's writes queue up
// behind the store's instead of failing on a locked file.
func (db *DB) QueueHandle() any { return db.write }
