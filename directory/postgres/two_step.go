package postgres

import (
	"context"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// TwoStep returns the two-step sign-in of user userID. ENOTFOUND when off.
func (db *DB) TwoStep(ctx context.Context, userID int64) (*directory.TwoStep, error) {
	var ts *directory.TwoStep
	err := db.read(ctx, "two-step sign-in", func(tx pgx.Tx) (err error) {
		ts, err = findTwoStep(ctx, tx, userID, "")
		return err
	})
	return ts, err
}

// findTwoStep reads the two-step sign-in of userID; lock is "" or
// " FOR UPDATE".
func findTwoStep(ctx context.Context, tx pgx.Tx, userID int64, lock string) (*directory.TwoStep, error) {
	ts := &directory.TwoStep{UserID: userID}
	var recovery string
	err := tx.QueryRow(ctx, `SELECT sealed, last_step, recovery, enabled_at FROM user_two_step WHERE user_id = $1`+lock,
		userID).Scan(&ts.Sealed, &ts.LastStep, &recovery, &ts.EnabledAt)
	if err != nil {
		return nil, translate(err, "two-step sign-in")
	}
	ts.EnabledAt = ts.EnabledAt.UTC()
	ts.Recovery = []string{}
	if recovery != "" {
		ts.Recovery = strings.Split(recovery, "\n")
	}
	return ts, nil
}

// EnableTwoStep stores ts. ECONFLICT when on already, ENOTFOUND when the
// user does not exist.
func (db *DB) EnableTwoStep(ctx context.Context, t *directory.TwoStep) error {
	err := db.write(ctx, "two-step sign-in", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			INSERT INTO user_two_step (user_id, sealed, last_step, recovery, enabled_at) VALUES ($1, $2, $3, $4, $5)`,
			t.UserID, t.Sealed, t.LastStep, strings.Join(t.Recovery, "\n"), ts(t.EnabledAt))
		return err
	})
	switch directory.ErrorCode(err) {
	case directory.ECONFLICT:
		return directory.Errorf(directory.ECONFLICT, "two-step sign-in is on already")
	case directory.ENOTFOUND:
		return directory.Errorf(directory.ENOTFOUND, "user not found")
	}
	return err
}

// UseTwoStepCode records that the code of step was used. ECONFLICT when
// that step or a later one was used, ENOTFOUND when off.
func (db *DB) UseTwoStepCode(ctx context.Context, userID, step int64) error {
	return db.write(ctx, "two-step sign-in", func(tx pgx.Tx) error {
		t, err := findTwoStep(ctx, tx, userID, " FOR UPDATE")
		if err != nil {
			return err
		}
		if t.LastStep >= step {
			return directory.Errorf(directory.ECONFLICT, "the code was used already")
		}
		_, err = tx.Exec(ctx, `UPDATE user_two_step SET last_step = $2 WHERE user_id = $1`, userID, step)
		return err
	})
}

// UseRecoveryCode removes the recovery code with this hash. ECONFLICT when
// used already, ENOTFOUND when off.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, hash string) error {
	return db.write(ctx, "two-step sign-in", func(tx pgx.Tx) error {
		t, err := findTwoStep(ctx, tx, userID, " FOR UPDATE")
		if err != nil {
			return err
		}
		i := slices.Index(t.Recovery, hash)
		if i < 0 {
			return directory.Errorf(directory.ECONFLICT, "the recovery code was used already")
		}
		left := strings.Join(slices.Delete(t.Recovery, i, i+1), "\n")
		_, err = tx.Exec(ctx, `UPDATE user_two_step SET recovery = $2 WHERE user_id = $1`, userID, left)
		return err
	})
}

// DisableTwoStep turns two-step sign-in off, and with endSessions ends the
// user's sessions. ENOTFOUND when off.
func (db *DB) DisableTwoStep(ctx context.Context, userID int64, endSessions bool) (int, error) {
	ended := 0
	err := db.write(ctx, "two-step sign-in", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `DELETE FROM user_two_step WHERE user_id = $1 RETURNING user_id`, userID).Scan(new(int64))
		if err == nil && endSessions {
			ended, err = deleteUserSessions(ctx, tx, userID, nil)
		}
		return err
	})
	return ended, err
}

// TwoStepUsers returns the ids of the users with two-step sign-in on.
func (db *DB) TwoStepUsers(ctx context.Context) ([]int64, error) {
	ids := []int64{}
	err := db.read(ctx, "two-step users", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT user_id FROM user_two_step ORDER BY user_id`)
		if err != nil {
			return err
		}
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	return ids, err
}
