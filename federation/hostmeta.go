package federation

import (
	"html"
	"net/http"
)

// webFingerTemplate is the WebFinger URL template host-meta announces.
func (u URLs) webFingerTemplate() string {
	return u.abs("/.well-known/webfinger") + "?resource={uri}"
}

// HostMeta answers /.well-known/host-meta (RFC 6415) with an XRD document
// whose lrdd link is the WebFinger template; some older servers look
// WebFinger up this way.
func (d *Discovery) HostMeta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="` + html.EscapeString(d.URLs.webFingerTemplate()) + `"/>
</XRD>
`))
}

// HostMetaJSON answers /.well-known/host-meta.json, the same in JSON.
func (d *Discovery) HostMetaJSON(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, "application/json", map[string]any{
		"links": []JRDLink{{Rel: "lrdd", Template: d.URLs.webFingerTemplate()}},
	})
}
