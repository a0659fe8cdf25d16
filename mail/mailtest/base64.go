package mailtest

import (
	"encoding/base64"
	"strings"
)

// decodeBase64 decodes a base64 body broken into lines.
func decodeBase64(b []byte) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(b)), ""))
}
