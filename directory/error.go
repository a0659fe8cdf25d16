package directory

import (
	"errors"
	"fmt"
	"strings"
)

// Error codes. Every error that leaves the directory package or a storage engine
// carries one of these; web maps them to HTTP statuses in one place.
const (
	ECONFLICT     = "conflict"     // the change collides with existing data (e.g. handle taken)
	EINTERNAL     = "internal"     // unexpected: logged with its cause, shown as "internal error"
	EINVALID      = "invalid"      // input failed validation; Fields says which rule
	ENOTFOUND     = "not_found"    // the entity does not exist
	EUNAUTHORIZED = "unauthorized" // no or bad credentials
	EFORBIDDEN    = "forbidden"    // credentials fine, but not allowed to do this
	ETOOLARGE     = "too_large"    // input exceeds a size limit
)

// Error is the one error type of coopdir. Message is safe to show to the person
// who caused it; the wrapped cause (if any) is for logs only.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error
}

// FieldError names one field that broke one rule.
type FieldError struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
	}
	if e.Err != nil {
		b.WriteString(" (" + e.Err.Error() + ")")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted safe message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected cause as EINTERNAL. The cause is kept for logs.
func Internal(err error, what string) *Error {
	return &Error{Code: EINTERNAL, Message: "internal error", Err: fmt.Errorf("%s: %w", what, err)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the safe message of err: the message of its *Error, or
// "internal error" for anything else.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ErrorFields returns the field errors carried by err, if any.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// fieldErrors collects validation failures; err returns nil when there are none.
type fieldErrors []FieldError

func (fe *fieldErrors) add(field, rule, format string, args ...any) {
	*fe = append(*fe, FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

func (fe fieldErrors) err(what string) error {
	if len(fe) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid " + what, Fields: fe}
}

// has reports whether a field has an error.
func (fe fieldErrors) has(field string) bool {
	for _, f := range fe {
		if f.Field == field {
			return true
		}
	}
	return false
}

// dropRule removes the errors of one field and rule.
func dropRule(fe fieldErrors, field, rule string) fieldErrors {
	out := fe[:0]
	for _, f := range fe {
		if f.Field != field || f.Rule != rule {
			out = append(out, f)
		}
	}
	return out
}
