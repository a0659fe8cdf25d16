package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"

	"github.com/go-chi/chi/v5"
)

//go:embed static
var staticFS embed.FS

// Cache lifetimes of static files: a versioned URL never changes content,
// so browsers may keep it for a year; an outdated version (a page cached
// before a deploy) gets today's file for a minute only.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cacheStale     = "public, max-age=60"
)

// staticFile is one embedded file, ready to serve.
type staticFile struct {
	body        []byte
	gzipped     []byte // nil when compressing does not pay
	contentType string
	etag        string
}

// staticSet is the embedded folder web/static. Every file is served under
// /static/<version>/<path>, where version is a hash of all the files: any
// change gives every URL a new version, and relative references between
// files (Leaflet's CSS to its images) keep working.
type staticSet struct {
	version string
	files   map[string]*staticFile
}

// assets is built once from the embedded files, which never change while
// the program runs.
var assets = loadStatic(staticFS)

// loadStatic reads, types, hashes and compresses every file under static/.
func loadStatic(fsys fs.FS) *staticSet {
	set := &staticSet{files: map[string]*staticFile{}}
	var names []string
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		names = append(names, p)
		return nil
	})
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	all := sha256.New()
	for _, p := range names {
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		all.Write([]byte(name))
		all.Write(sum[:])
		f := &staticFile{body: body, contentType: staticType(name), etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		if compressible(f.contentType) {
			f.gzipped = gzipBytes(body)
		}
		set.files[name] = f
	}
	set.version = hex.EncodeToString(all.Sum(nil)[:6])
	return set
}

// url returns the versioned address of a file under web/static.
func (set *staticSet) url(name string) string {
	if _, ok := set.files[name]; !ok {
		panic("no static file " + name)
	}
	return "/static/" + set.version + "/" + name
}

// staticTypes maps file extensions to content types; files of other
// extensions are plain text.
var staticTypes = map[string]string{
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".json": "application/json",
	".png":  "image/png",
	".svg":  "image/svg+xml",
	".ico":  "image/x-icon",
	".txt":  "text/plain; charset=utf-8",
}

func staticType(name string) string {
	if t, ok := staticTypes[path.Ext(name)]; ok {
		return t
	}
	return "text/plain; charset=utf-8"
}

func compressible(contentType string) bool {
	return strings.HasPrefix(contentType, "text/") || strings.HasPrefix(contentType, "image/svg") || contentType == "application/json"
}

// gzipBytes compresses b, or returns nil when that saves under a tenth.
func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	if buf.Len() > len(b)*9/10 {
		return nil
	}
	return buf.Bytes()
}

// static answers GET /static/{version}/*: an embedded file, gzipped when the
// client takes it, cached for a year when the version is current.
func (s *server) static(w http.ResponseWriter, r *http.Request) {
	f, ok := assets.files[chi.URLParam(r, "*")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	body, etag := f.body, f.etag
	if f.gzipped != nil && acceptsGzip(r) {
		// Each representation has its own entity tag.
		body, etag = f.gzipped, strings.TrimSuffix(f.etag, `"`)+`-gz"`
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", f.contentType)
	h.Set("ETag", etag)
	h.Set("Vary", "Accept-Encoding")
	if chi.URLParam(r, "version") == assets.version {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheStale)
	}
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	_, _ = w.Write(body)
}

// acceptsGzip reports whether the request's Accept-Encoding allows gzip.
func acceptsGzip(r *http.Request) bool {
	for part := range strings.SplitSeq(r.Header.Get("Accept-Encoding"), ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			return strings.ReplaceAll(params, " ", "") != "q=0"
		}
	}
	return false
}
