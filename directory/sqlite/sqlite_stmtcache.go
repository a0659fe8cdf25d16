package sqlite

import (
	"context"
	"database/sql/driver"
	"reflect"

	"modernc.org/sqlite"
)

// The SQLite driver prepares every query it runs anew: it parses the SQL
// and plans it each time, which cost a third of the CPU of an inbox
// request (a few small reads) and as much of each queue job. So each
// connection keeps the statements it prepared, by their SQL, and runs them
// again from there (a prepared SQLite statement belongs to its connection,
// and database/sql uses a connection from one goroutine at a time). This
// covers every query of the engine and of the job queue, which shares the
// pools, without a change at the call sites.

// stmtCacheSize is how many statements one connection keeps. The engine
// has a few hundred distinct queries; the searches build theirs from the
// filters given, so the cache is bounded, and a full one drops a statement
// that is not running to make room.
const stmtCacheSize = 256

// cachingConnector opens the driver's connections, each with its own
// statement cache.
type cachingConnector struct{ driver.Connector }

func newCachingConnector(dsn string) (driver.Connector, error) {
	c, err := sqlite.NewConnector(dsn)
	if err != nil {
		return nil, err
	}
	return cachingConnector{c}, nil
}

// Connect opens a connection with an empty statement cache.
func (c cachingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		return conn, nil // not the driver we know: no cache
	}
	return &cachedConn{sqliteConn: sc, stmts: map[string]*cachedStmt{}}, nil
}

// sqliteConn is what every connection of the driver implements (see
// sqlite.NewConnector); a wrapper must pass all of it on.
type sqliteConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// preparedStmt is what the driver's statements implement.
type preparedStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

type cachedConn struct {
	sqliteConn
	stmts map[string]*cachedStmt
}

// cachedStmt is a statement of the cache; busy while its rows are open, when
// a second run of the same SQL (a query inside a loop over its own rows)
// must not reset it: that run goes to the driver uncached.
type cachedStmt struct {
	preparedStmt
	busy bool
}

var (
	_ sqliteConn  = (*cachedConn)(nil)
	_ driver.Rows = (*cachedRows)(nil)
)

// Unwrap returns the driver's connection (sqlite.Limit looks through).
func (c *cachedConn) Unwrap() driver.Conn { return c.sqliteConn }

// stmt returns the cached statement of query, prepared now if need be, or
// nil when it is running or cannot be prepared (the driver then runs the
// query itself and reports its error).
func (c *cachedConn) stmt(ctx context.Context, query string) *cachedStmt {
	if s, ok := c.stmts[query]; ok {
		if s.busy {
			return nil
		}
		return s
	}
	ds, err := c.sqliteConn.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	ps, ok := ds.(preparedStmt)
	if !ok {
		ds.Close()
		return nil
	}
	if len(c.stmts) >= stmtCacheSize {
		c.evict()
	}
	s := &cachedStmt{preparedStmt: ps}
	c.stmts[query] = s
	return s
}

// evict closes one statement that is not running (any: the map's order).
func (c *cachedConn) evict() {
	for q, s := range c.stmts {
		if !s.busy {
			s.Close()
			delete(c.stmts, q)
			return
		}
	}
}

// QueryContext runs query from its cached statement.
func (c *cachedConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	s := c.stmt(ctx, query)
	if s == nil {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := s.QueryContext(ctx, args)
	if err != nil {
		return nil, err
	}
	s.busy = true
	return &cachedRows{Rows: rows, stmt: s}, nil
}

// ExecContext runs query from its cached statement.
func (c *cachedConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	s := c.stmt(ctx, query)
	if s == nil {
		return c.sqliteConn.ExecContext(ctx, query, args)
	}
	return s.ExecContext(ctx, args)
}

// Close closes the cached statements, then the connection.
func (c *cachedConn) Close() error {
	for q, s := range c.stmts {
		s.Close()
		delete(c.stmts, q)
	}
	return c.sqliteConn.Close()
}

// cachedRows are the rows of a cached statement, which is free again once
// they are closed (the driver resets it then).
type cachedRows struct {
	driver.Rows
	stmt *cachedStmt
}

// Close closes the rows and frees their statement.
func (r *cachedRows) Close() error {
	err := r.Rows.Close()
	r.stmt.busy = false
	return err
}

// The column-type methods of the driver's rows, which database/sql looks
// for on the rows it is given.

// ColumnTypeDatabaseTypeName passes the driver's answer on.
func (r *cachedRows) ColumnTypeDatabaseTypeName(i int) string {
	if t, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return t.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

// ColumnTypeScanType passes the driver's answer on.
func (r *cachedRows) ColumnTypeScanType(i int) reflect.Type {
	if t, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return t.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

// ColumnTypeNullable passes the driver's answer on.
func (r *cachedRows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return t.ColumnTypeNullable(i)
	}
	return false, false
}

// ColumnTypeLength passes the driver's answer on.
func (r *cachedRows) ColumnTypeLength(i int) (int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return t.ColumnTypeLength(i)
	}
	return 0, false
}

// ColumnTypePrecisionScale passes the driver's answer on.
func (r *cachedRows) ColumnTypePrecisionScale(i int) (int64, int64, bool) {
	if t, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return t.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
