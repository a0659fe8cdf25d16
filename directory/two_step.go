package directory

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"time"
)

// TwoStep is a user's two-step sign-in: a TOTP secret (RFC 6238, sealed
// with the instance secret), the last time step whose code was used (a code
// is good once) and the hashes of the single-use recovery codes left.
type TwoStep struct {
	UserID    int64
	Sealed    []byte
	LastStep  int64
	Recovery  []string // password hashes of the unused recovery codes
	EnabledAt time.Time
}

// OneTimeCodes makes and checks TOTP codes; directory/totp implements it
// with a maintained library.
type OneTimeCodes interface {
	// NewSecret returns a new base32 secret and its otpauth:// URI, which
	// names the issuer and the account.
	NewSecret(issuer, account string) (secret, uri string, err error)
	// Check returns the time step (of 30 s) whose code code is for secret,
	// allowing one step of clock skew either way, or false.
	Check(secret, code string, at time.Time) (step int64, ok bool)
}

// Bounds of two-step sign-in.
const (
	// RecoveryCodeCount is how many recovery codes turning it on makes.
	RecoveryCodeCount = 10
	// SecondStepTTL is how long a right password waits for its code.
	SecondStepTTL = 5 * time.Minute
	maxCodeInput  = 40
	sealTOTPInfo  = "coopdir TOTP secret v1"
	ticketInfo    = "coopdir second sign-in step v1"
)

// SecondStepError is what StartSession returns when the password was right
// but the user signs in in two steps: FinishSignIn takes Ticket, which
// proves the password for SecondStepTTL, with a code.
type SecondStepError struct {
	Email  string
	Ticket string
}

func (e *SecondStepError) Error() string { return "a sign-in code is needed" }

// NewTwoStepSecret returns a fresh TOTP secret and its otpauth:// URI for
// the signed-in user to add to an app; nothing is stored until
// EnableTwoStep. EUNAUTHORIZED, EINVALID (two-step sign-in not available).
func (s *Service) NewTwoStepSecret(ctx context.Context, issuer string) (secret, uri string, err error) {
	u := UserFromContext(ctx)
	if u == nil {
		return "", "", Errorf(EUNAUTHORIZED, "sign in first")
	}
	if err := s.twoStepAvailable(); err != nil {
		return "", "", err
	}
	secret, uri, err = s.Codes.NewSecret(issuer, u.Email)
	if err != nil {
		return "", "", Internal(err, "TOTP secret")
	}
	return secret, uri, nil
}

func (s *Service) twoStepAvailable() error {
	if s.Codes == nil || len(s.Secret) < MinSecretSize {
		return Errorf(EINVALID, "two-step sign-in is not available on this instance")
	}
	return nil
}

// TwoStepOn tells whether the signed-in user signs in in two steps, and
// how many recovery codes they have left. EUNAUTHORIZED.
func (s *Service) TwoStepOn(ctx context.Context) (bool, int, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return false, 0, Errorf(EUNAUTHORIZED, "sign in first")
	}
	ts, err := s.store.TwoStep(ctx, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return false, 0, nil
	}
	if err != nil {
		return false, 0, err
	}
	return true, len(ts.Recovery), nil
}

// EnableTwoStep turns on two-step sign-in for the signed-in user with the
// secret NewTwoStepSecret gave, once code shows an app has it. It returns
// the recovery codes, shown once: only their hashes are kept.
// EUNAUTHORIZED, EINVALID (field code or secret), ECONFLICT (already on).
func (s *Service) EnableTwoStep(ctx context.Context, secret, code string) ([]string, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "sign in first")
	}
	if err := s.twoStepAvailable(); err != nil {
		return nil, err
	}
	secret = strings.ToUpper(strings.TrimSpace(secret))
	if len(secret) < 16 || len(secret) > 128 || strings.Trim(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=") != "" {
		return nil, fieldError("secret", "format", "is not a secret this page made: reload the page")
	}
	if err := checkCodeShape(code); err != nil {
		return nil, err
	}
	step, ok := s.Codes.Check(secret, codeDigits(code), s.now())
	if !ok {
		return nil, fieldError("code", "wrong", "is not the current code of this secret: check the app and the phone's clock")
	}
	codes, hashes, err := s.recoveryCodes()
	if err != nil {
		return nil, err
	}
	sealed, err := Seal([]byte(secret), s.Secret, sealTOTPInfo, s.Random)
	if err != nil {
		return nil, err
	}
	ts := &TwoStep{UserID: u.ID, Sealed: sealed, LastStep: step, Recovery: hashes, EnabledAt: s.now()}
	if err := s.store.EnableTwoStep(ctx, ts); err != nil {
		return nil, err
	}
	return codes, nil
}

func fieldError(field, rule, msg string) error {
	return &Error{Code: EINVALID, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Rule: rule, Message: msg}}}
}

// codeDigits returns the digits of a code as typed (spaces allowed).
func codeDigits(code string) string { return strings.ReplaceAll(strings.TrimSpace(code), " ", "") }

// checkCodeShape refuses what cannot be a six-digit code.
func checkCodeShape(code string) error {
	c := codeDigits(code)
	if len(c) != 6 || strings.Trim(c, "0123456789") != "" {
		return fieldError("code", "format", "must be the 6 digits the app shows")
	}
	return nil
}

// recoveryCodes makes RecoveryCodeCount codes such as 7KQ2M-XW4PD and
// their password hashes.
func (s *Service) recoveryCodes() (codes, hashes []string, err error) {
	const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	raw := make([]byte, 10)
	for range RecoveryCodeCount {
		if _, err := io.ReadFull(s.Random, raw); err != nil {
			return nil, nil, Internal(err, "recovery code randomness")
		}
		var b strings.Builder
		for i, c := range raw {
			if i == 5 {
				b.WriteByte('-')
			}
			b.WriteByte(alphabet[int(c)%len(alphabet)])
		}
		h, err := s.Passwords.Hash(b.String())
		if err != nil {
			return nil, nil, Internal(err, "hash recovery code")
		}
		codes, hashes = append(codes, b.String()), append(hashes, h)
	}
	return codes, hashes, nil
}

// normalRecovery returns a recovery code as made, from what was typed, or
// "" when it cannot be one.
func normalRecovery(code string) string {
	c := strings.ToUpper(strings.ReplaceAll(strings.ReplaceAll(strings.TrimSpace(code), " ", ""), "-", ""))
	if len(c) != 10 || strings.Trim(c, "23456789ABCDEFGHJKLMNPQRSTUVWXYZ") != "" {
		return ""
	}
	return c[:5] + "-" + c[5:]
}

// useCode checks code, a current TOTP code or an unused recovery code, for
// ts and marks it used. EUNAUTHORIZED when it is wrong or used, EINVALID
// when it has no code's shape.
func (s *Service) useCode(ctx context.Context, ts *TwoStep, code string) error {
	if len(code) > maxCodeInput {
		return fieldError("code", "too_long", "is too long for a code")
	}
	if rc := normalRecovery(code); rc != "" {
		return s.useRecovery(ctx, ts, rc)
	}
	if err := checkCodeShape(code); err != nil {
		return fieldError("code", "format", "must be the 6 digits the app shows, or a recovery code")
	}
	plain, err := Unseal(ts.Sealed, s.Secret, sealTOTPInfo, "two-step secret")
	if err != nil {
		return Internal(err, "open two-step secret")
	}
	step, ok := s.Codes.Check(string(plain), codeDigits(code), s.now())
	if !ok {
		return Errorf(EUNAUTHORIZED, "wrong code")
	}
	err = s.store.UseTwoStepCode(ctx, ts.UserID, step)
	if ErrorCode(err) == ECONFLICT {
		return Errorf(EUNAUTHORIZED, "that code was used already: wait for the next one")
	}
	return err
}

func (s *Service) useRecovery(ctx context.Context, ts *TwoStep, code string) error {
	for _, h := range ts.Recovery {
		ok, err := s.Passwords.Verify(h, code)
		if err != nil {
			return Internal(err, "verify recovery code")
		}
		if ok {
			err := s.store.UseRecoveryCode(ctx, ts.UserID, h)
			if ErrorCode(err) == ECONFLICT {
				break // used meanwhile
			}
			return err
		}
	}
	return Errorf(EUNAUTHORIZED, "wrong code")
}

// DisableTwoStep turns off two-step sign-in for the signed-in user, who
// proves it is them with a current code (or a recovery code) or with
// their password. EUNAUTHORIZED (wrong proof), EINVALID, ENOTFOUND (off).
func (s *Service) DisableTwoStep(ctx context.Context, code, password string) error {
	u := UserFromContext(ctx)
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	ts, err := s.store.TwoStep(ctx, u.ID)
	if err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(code) != "":
		err = s.useCode(ctx, ts, code)
	case password != "":
		_, err = s.Login(ctx, u.Email, password)
	default:
		err = fieldError("code", "required", "give a current code or your password")
	}
	if ErrorCode(err) == EUNAUTHORIZED {
		return fieldError("code", "wrong", "the code or the password is wrong")
	}
	if err != nil {
		return err
	}
	_, err = s.store.DisableTwoStep(ctx, u.ID, false)
	return err
}

// ResetTwoStep turns off the two-step sign-in of user id, who lost their
// phone (admins and the command line), and signs out every browser of that
// account: whoever holds the lost phone may hold a session too. It returns
// how many sessions it ended. ENOTFOUND (off or no such user),
// EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) ResetTwoStep(ctx context.Context, id int64) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	return s.store.DisableTwoStep(ctx, id, true)
}

// ResetTwoStepByEmail is ResetTwoStep for the account with this email.
// ENOTFOUND (no such account, or two-step sign-in is off), EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) ResetTwoStepByEmail(ctx context.Context, email string) (int, error) {
	if err := requireAdmin(ctx); err != nil {
		return 0, err
	}
	u, err := s.store.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return 0, err
	}
	return s.ResetTwoStep(ctx, u.ID)
}

// TwoStepUsers returns the ids of the users who sign in in two steps
// (admins only). EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) TwoStepUsers(ctx context.Context) ([]int64, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.TwoStepUsers(ctx)
}

// secondStep returns the error that sends u to the second step.
func (s *Service) secondStep(u *User) error {
	exp := make([]byte, 16)
	binary.BigEndian.PutUint64(exp, uint64(u.ID))
	binary.BigEndian.PutUint64(exp[8:], uint64(s.now().Add(SecondStepTTL).Unix()))
	return &SecondStepError{Email: u.Email, Ticket: base64.RawURLEncoding.EncodeToString(append(exp, s.ticketMAC(exp, u)...))}
}

// ticketMAC binds a ticket to the user's email and password hash, so that
// a password change voids it.
func (s *Service) ticketMAC(body []byte, u *User) []byte {
	m := hmac.New(sha256.New, s.Secret)
	m.Write([]byte(ticketInfo + "\x00" + u.Email + "\x00" + u.PasswordHash + "\x00"))
	m.Write(body)
	return m.Sum(nil)
}

// FinishSignIn is the second step of signing in: ticket (from a
// SecondStepError for email) and a current code or a recovery code start
// the session. EUNAUTHORIZED when the ticket expired or the code is wrong
// or used, EINVALID when the code has no code's shape.
func (s *Service) FinishSignIn(ctx context.Context, ticket, email, code string, client SessionClient) (string, *User, error) {
	expired := Errorf(EUNAUTHORIZED, "the sign-in took too long: give your password again")
	raw, err := base64.RawURLEncoding.DecodeString(ticket)
	if err != nil || len(raw) != 16+sha256.Size {
		return "", nil, expired
	}
	u, err := s.store.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if ErrorCode(err) == ENOTFOUND {
		return "", nil, expired
	}
	if err != nil {
		return "", nil, err
	}
	if int64(binary.BigEndian.Uint64(raw)) != u.ID || !hmac.Equal(raw[16:], s.ticketMAC(raw[:16], u)) ||
		s.now().Unix() > int64(binary.BigEndian.Uint64(raw[8:16])) {
		return "", nil, expired
	}
	ts, err := s.store.TwoStep(ctx, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		return s.startSession(ctx, u, client) // turned off meanwhile
	}
	if err != nil {
		return "", nil, err
	}
	if err := s.useCode(ctx, ts, code); err != nil {
		return "", nil, err
	}
	return s.startSession(ctx, u, client)
}

// needsSecondStep returns a SecondStepError when u signs in in two steps.
func (s *Service) needsSecondStep(ctx context.Context, u *User) error {
	_, err := s.store.TwoStep(ctx, u.ID)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return nil
	case err != nil:
		return err
	case len(s.Secret) < MinSecretSize:
		return Internal(errors.New("no instance secret"), "two-step sign-in is on but the instance secret is missing")
	}
	return s.secondStep(u)
}

// IsSecondStep returns the SecondStepError in err, or nil.
func IsSecondStep(err error) *SecondStepError {
	var e *SecondStepError
	if errors.As(err, &e) {
		return e
	}
	return nil
}
