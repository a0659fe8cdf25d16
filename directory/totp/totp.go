// Package totp makes and checks the time-based one-time codes (RFC 6238:
// six digits, 30-second steps, HMAC-SHA1, as authenticator apps expect) of
// two-step sign-in, with github.com/pquerna/otp.
package totp

import (
	"bytes"
	"crypto/subtle"
	"image/png"
	"io"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/coopdir/coopdir/directory"
)

// Period is the length of a time step.
const Period = 30

// Codes implements directory.OneTimeCodes. Random, when set, supplies the
// secrets (the system's source otherwise).
type Codes struct {
	Random io.Reader
}

var _ directory.OneTimeCodes = Codes{}

var opts = totp.ValidateOpts{Period: Period, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewSecret returns a new 160-bit base32 secret and its otpauth:// URI.
func (c Codes) NewSecret(issuer, account string) (string, string, error) {
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: Period,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1, Rand: c.Random})
	if err != nil {
		return "", "", err
	}
	return key.Secret(), key.URL(), nil
}

// Check returns the step whose code code is, trying the step of at and
// the one either side of it (clock skew), the latest first.
func (c Codes) Check(secret, code string, at time.Time) (int64, bool) {
	step := at.Unix() / Period
	for _, s := range []int64{step + 1, step, step - 1} {
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*Period, 0), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return s, true
		}
	}
	return 0, false
}

// Code returns the code of secret at t, for tests and tools.
func Code(secret string, t time.Time) (string, error) {
	return totp.GenerateCodeCustom(secret, t, opts)
}

// QR returns a PNG of the QR code of an otpauth:// URI, size pixels
// square, for the app's camera.
func QR(uri string, size int) ([]byte, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return nil, err
	}
	img, err := key.Image(size, size)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
