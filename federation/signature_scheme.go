package federation

import (
	"net/http"
	"strings"
	"sync"
)

// SignatureScheme is a way of signing HTTP requests.
type SignatureScheme int

// The schemes we sign with.
const (
	// SchemeCavage is draft-cavage-http-signatures-12 (rsa-sha256), which
	// every ActivityPub server reads. It is the default.
	SchemeCavage SignatureScheme = iota
	// SchemeRFC9421 is RFC 9421 HTTP Message Signatures (rsa-v1_5-sha256).
	SchemeRFC9421
)

// String names the scheme.
func (s SignatureScheme) String() string {
	if s == SchemeRFC9421 {
		return "rfc9421"
	}
	return "draft-cavage"
}

func (s SignatureScheme) other() SignatureScheme {
	if s == SchemeRFC9421 {
		return SchemeCavage
	}
	return SchemeRFC9421
}

// knockAgain reports whether a signed request answered with status is sent
// once more with the other scheme ("double-knocking", as Fedify does): 400
// and 401 are what servers answer to a signature they do not read.
func knockAgain(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusUnauthorized
}

// maxRememberedHosts bounds the memory of hostSchemes.
const maxRememberedHosts = 10000

// hostSchemes remembers, per host and for the life of the process, the
// scheme a host accepted after it refused the other. It is safe for
// concurrent use.
type hostSchemes struct {
	preferred SignatureScheme // for hosts not remembered
	mu        sync.Mutex
	m         map[string]SignatureScheme
}

// first is the scheme to sign a request to host with.
func (h *hostSchemes) first(host string) SignatureScheme {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.m[strings.ToLower(host)]; ok {
		return s
	}
	return h.preferred
}

// remember records that host accepted scheme.
func (h *hostSchemes) remember(host string, scheme SignatureScheme) {
	host = strings.ToLower(host)
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.m == nil {
		h.m = map[string]SignatureScheme{}
	}
	if _, known := h.m[host]; !known && len(h.m) >= maxRememberedHosts {
		for forget := range h.m {
			delete(h.m, forget)
			break
		}
	}
	h.m[host] = scheme
}
