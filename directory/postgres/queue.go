package postgres

// QueueHandle returns the database handle a job queue shares with the
// store: the connection pool (a *pgxpool.Pool).
func (db *DB) QueueHandle() any { return db.pool }
