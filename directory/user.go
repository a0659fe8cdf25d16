package directory

import (
	"context"
	"strings"
	"time"
)

// Role is what a user may do.
type Role string

// Roles.
const (
	RoleAdmin  Role = "admin"  // manages everything
	RoleEditor Role = "editor" // manages one enterprise
)

// User is a person with an account on this instance.
type User struct {
	ID               int64     `json:"id"`
	Email            string    `json:"email"`
	Name             string    `json:"name"`
	Role             Role      `json:"role"`
	EnterpriseID     *int64    `json:"-"`
	EnterpriseHandle string    `json:"enterprise,omitempty"` // filled by the store on read
	PasswordHash     string    `json:"-"`
	CreatedAt        time.Time `json:"created_at"`
}

// Token is an API token. Only the SHA-256 hash of its secret is stored.
type Token struct {
	ID         int64
	UserID     int64
	Name       string
	Hash       []byte
	CreatedAt  time.Time
	LastUsedAt *time.Time
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// Validate normalises u and checks its fields.
func (u *User) Validate() error {
	var fe fieldErrors
	u.Email = validateAccount(&fe, u.Email, u.Role, u.EnterpriseID)
	u.Name = cleanLine(u.Name)
	requireText(&fe, "name", u.Name, 100)
	return fe.err("user")
}

// validateAccount checks what users and invitations share: the email
// (returned normalised), the role and, for an editor, the enterprise.
func validateAccount(fe *fieldErrors, email string, role Role, enterpriseID *int64) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		fe.add("email", "required", "is required")
	} else {
		validateEmail(fe, "email", email)
	}
	switch role {
	case RoleAdmin:
	case RoleEditor:
		if enterpriseID == nil {
			fe.add("enterprise", "required", "an editor needs an enterprise")
		}
	default:
		fe.add("role", "enum", "must be admin or editor")
	}
	return email
}

type ctxKey int

const (
	userKey ctxKey = iota
	systemKey
)

// WithUser returns a context in which Service calls act as u.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// AsSystem returns a context in which Service calls act as the instance itself
// (CLI, demo loader, federation): allowed everything.
func AsSystem(ctx context.Context) context.Context {
	return context.WithValue(ctx, systemKey, true)
}

// UserFromContext returns the user the context acts as, or nil.
func UserFromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

func isSystem(ctx context.Context) bool {
	b, _ := ctx.Value(systemKey).(bool)
	return b
}
