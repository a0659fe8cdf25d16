package sqlite

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// TwoStep returns the two-step sign-in of user userID. ENOTFOUND when off.
func (db *DB) TwoStep(ctx context.Context, userID int64) (*directory.TwoStep, error) {
	var ts *directory.TwoStep
	err := db.inRead(ctx, "two-step sign-in", func(tx *sql.Tx) (err error) {
		ts, err = findTwoStep(ctx, tx, userID)
		return err
	})
	return ts, err
}

func findTwoStep(ctx context.Context, tx *sql.Tx, userID int64) (*directory.TwoStep, error) {
	ts := &directory.TwoStep{UserID: userID}
	var recovery string
	var enabled int64
	err := tx.QueryRowContext(ctx, `SELECT sealed, last_step, recovery, enabled_at FROM user_two_step WHERE user_id = ?`,
		userID).Scan(&ts.Sealed, &ts.LastStep, &recovery, &enabled)
	if err != nil {
		return nil, notFound(err, "two-step sign-in is off", "find two-step sign-in")
	}
	ts.Recovery, ts.EnabledAt = splitRecovery(recovery), fromMicros(enabled)
	return ts, nil
}

func splitRecovery(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

// EnableTwoStep stores ts. ECONFLICT when on already, ENOTFOUND when the
// user does not exist.
func (db *DB) EnableTwoStep(ctx context.Context, ts *directory.TwoStep) error {
	return db.inWrite(ctx, "enable two-step sign-in", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO user_two_step (user_id, sealed, last_step, recovery, enabled_at) VALUES (?, ?, ?, ?, ?)`,
			ts.UserID, ts.Sealed, ts.LastStep, strings.Join(ts.Recovery, "\n"), micros(ts.EnabledAt))
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "user not found")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "two-step sign-in is on already")
		case err != nil:
			return directory.Internal(err, "insert two-step sign-in")
		}
		return nil
	})
}

// UseTwoStepCode records that the code of step was used. ECONFLICT when
// that step or a later one was used, ENOTFOUND when off.
func (db *DB) UseTwoStepCode(ctx context.Context, userID, step int64) error {
	return db.inWrite(ctx, "use two-step code", func(tx *sql.Tx) error {
		ts, err := findTwoStep(ctx, tx, userID)
		if err != nil {
			return err
		}
		if ts.LastStep >= step {
			return directory.Errorf(directory.ECONFLICT, "the code was used already")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE user_two_step SET last_step = ? WHERE user_id = ?`, step, userID); err != nil {
			return directory.Internal(err, "update two-step step")
		}
		return nil
	})
}

// UseRecoveryCode removes the recovery code with this hash. ECONFLICT when
// used already, ENOTFOUND when off.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string) error {
	return db.inWrite(ctx, "use recovery code", func(tx *sql.Tx) error {
		ts, err := findTwoStep(ctx, tx, userID)
		if err != nil {
			return err
		}
		i := slices.Index(ts.Recovery, hash)
		if i < 0 {
			return directory.Errorf(directory.ECONFLICT, "the recovery code was used already")
		}
		left := strings.Join(slices.Delete(ts.Recovery, i, i+1), "\n")
		if _, err := tx.ExecContext(ctx, `UPDATE user_two_step SET recovery = ? WHERE user_id = ?`, left, userID); err != nil {
			return directory.Internal(err, "update recovery codes")
		}
		return nil
	})
}

// DisableTwoStep turns two-step sign-in off, and with endSessions ends the
// user's sessions. ENOTFOUND when off.
func (db *DB) DisableTwoStep(ctx context.Context, userID int64, endSessions bool) (int, error) {
	ended := 0
	err := db.inWrite(ctx, "disable two-step sign-in", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM user_two_step WHERE user_id = ?`, userID)
		if err != nil {
			return directory.Internal(err, "delete two-step sign-in")
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return directory.Errorf(directory.ENOTFOUND, "two-step sign-in is off")
		}
		if endSessions {
			ended, err = deleteUserSessions(ctx, tx, userID, nil)
		}
		return err
	})
	return ended, err
}

// TwoStepUsers returns the ids of the users with two-step sign-in on.
func (db *DB) TwoStepUsers(ctx context.Context) ([]int64, error) {
	ids := []int64{}
	err := db.inRead(ctx, "two-step users", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT user_id FROM user_two_step ORDER BY user_id`)
		if err != nil {
			return directory.Internal(err, "list two-step users")
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return directory.Internal(err, "scan two-step user")
			}
			ids = append(ids, id)
		}
		return rows.Err()
	})
	return ids, err
}
