package sqlite

import (
	"context"
	"database/sql"
)

// dbtx is what the row writers need of a transaction: a *sql.Tx, or a
// preparedTx for a bulk write.
type dbtx interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// preparedTx is a transaction that prepares each statement once and runs
// it again from there: a bulk write (an import of partner entries) runs
// the same few statements hundreds of times, and parsing them would cost
// about a quarter of its time. The statements are closed with the
// transaction.
type preparedTx struct {
	*sql.Tx
	stmts map[string]*sql.Stmt
}

func newPreparedTx(tx *sql.Tx) *preparedTx {
	return &preparedTx{Tx: tx, stmts: make(map[string]*sql.Stmt)}
}

func (p *preparedTx) prepare(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := p.stmts[query]; ok {
		return st, nil
	}
	st, err := p.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	p.stmts[query] = st
	return st, nil
}

// ExecContext runs query as a prepared statement.
func (p *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := p.prepare(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// QueryRowContext runs query as a prepared statement. When it does not
// prepare, the transaction runs it, so that the row carries the error.
func (p *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := p.prepare(ctx, query)
	if err != nil {
		return p.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}
