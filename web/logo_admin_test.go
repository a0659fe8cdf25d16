package web_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

func testPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.SetNRGBA(0, 0, color.NRGBA{})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngHeader is the start of a PNG whose header says w×h pixels of the
// given bit depth and colour type (6 is RGBA), and then ends: enough for
// the header checks.
func pngHeader(w, h uint32, depth, colorType byte) []byte {
	chunk := []byte("IHDR")
	chunk = binary.BigEndian.AppendUint32(chunk, w)
	chunk = binary.BigEndian.AppendUint32(chunk, h)
	chunk = append(chunk, depth, colorType, 0, 0, 0)
	out := binary.BigEndian.AppendUint32([]byte("\x89PNG\r\n\x1a\n"), 13)
	out = append(out, chunk...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(chunk))
}

func TestAdminLogo(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	ctx := context.Background()
	logo := func() string {
		got, err := e.svc.Enterprise(ctx, "shakyhands")
		if err != nil {
			t.Fatal(err)
		}
		return got.Logo
	}
	for _, tc := range []struct {
		name, file, message string
		data                []byte
		code                int
	}{
		{"an SVG renamed .png", "logo.png", "Must be a PNG, JPEG, GIF or WebP image",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), http.StatusUnprocessableEntity},
		{"an HTML page", "logo.jpg", "Must be a PNG, JPEG, GIF or WebP image",
			[]byte("<!doctype html><script>alert(1)</script>"), http.StatusUnprocessableEntity},
		{"a truncated PNG", "logo.png", "damaged or incomplete", testPNG(t, 64, 64)[:100], http.StatusUnprocessableEntity},
		{"a file over 1 MiB", "big.png", "Must be at most 1 MiB", make([]byte, 1<<20+10), http.StatusRequestEntityTooLarge},
		{"an image of 12000×12000 pixels", "huge.png",
			"The image is 12000×12000 pixels; a logo can be at most 4096 pixels wide and 4096 pixels high. Resize it and upload again.",
			pngHeader(12000, 12000, 8, 6), http.StatusUnprocessableEntity},
		{"a 16-bit image of 4096×4096 pixels", "deep.png",
			"The image is 4096×4096 pixels (16.7 megapixels); in this file format and colour depth a logo can be at most 8.3 megapixels. Resize it and upload again.",
			pngHeader(4096, 4096, 16, 6), http.StatusUnprocessableEntity},
	} {
		t.Run("refuses "+tc.name+" with a message, storing nothing", func(t *testing.T) {
			r := ed.upload("/admin/enterprises/shakyhands/logo", tc.file, tc.data).want(t, tc.code)
			r.has(t, tc.message, `id="f-logo-error"`, `href="#f-logo"`, `value="Shaky Hands Carpentry"`)
			if l := logo(); l != "" {
				t.Fatalf("logo set to %q", l)
			}
		})
	}
	t.Run("refuses a form without a file", func(t *testing.T) {
		ed.upload("/admin/enterprises/shakyhands/logo", "", nil).want(t, http.StatusUnprocessableEntity).has(t, "Choose an image file")
	})
	t.Run("refuses a body far over the limit", func(t *testing.T) {
		ed.upload("/admin/enterprises/shakyhands/logo", "huge.png", make([]byte, 3<<20)).
			want(t, http.StatusRequestEntityTooLarge).has(t, "Must be at most 1 MiB")
	})
	t.Run("finds the file after other fields, and skips a field named logo that is no file", func(t *testing.T) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for _, f := range [][2]string{{"note", strings.Repeat("x", 100<<10)}, {"logo", "not a file"}} {
			if err := mw.WriteField(f[0], f[1]); err != nil {
				t.Fatal(err)
			}
		}
		fw, err := mw.CreateFormFile("logo", "logo.png")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(testPNG(t, 30, 20))
		if err := mw.Close(); err != nil {
			t.Fatal(err)
		}
		ed.do(http.MethodPost, "/admin/enterprises/shakyhands/logo", mw.FormDataContentType(), &buf,
			"Sec-Fetch-Site", "same-origin").want(t, http.StatusSeeOther)
		if logo() == "" {
			t.Fatal("no logo stored")
		}
		ed.post("/admin/enterprises/shakyhands/logo/delete", nil).want(t, http.StatusSeeOther)
	})
	var first string
	t.Run("re-encodes a PNG and serves it from /media", func(t *testing.T) {
		page := ed.follow(ed.upload("/admin/enterprises/shakyhands/logo", "logo.png", testPNG(t, 800, 400)),
			"/admin/enterprises/shakyhands#logo")
		first = logo()
		page.has(t, "The logo was saved.", `src="`+first+`"`)
		r := e.get(first).want(t, http.StatusOK)
		for h, want := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
			"Content-Security-Policy": "default-src 'none'", "Cache-Control": "public, max-age=31536000, immutable"} {
			if got := r.Header.Get(h); got != want {
				t.Errorf("%s %q, want %q", h, got, want)
			}
		}
		cfg, format, err := image.DecodeConfig(bytes.NewReader(r.Body))
		if err != nil || format != "png" || cfg.Width != 512 || cfg.Height != 256 {
			t.Fatalf("served %s %dx%d (%v)", format, cfg.Width, cfg.Height, err)
		}
	})
	t.Run("replaces it with a JPEG, which stays JPEG", func(t *testing.T) {
		ed.upload("/admin/enterprises/shakyhands/logo", "photo.jpeg", testJPEG(t, 100, 80)).want(t, http.StatusSeeOther)
		r := e.get(logo()).want(t, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "image/jpeg" {
			t.Fatalf("Content-Type %q", ct)
		}
		e.get(first).want(t, http.StatusNotFound)
	})
	t.Run("removes it", func(t *testing.T) {
		old := logo()
		ed.follow(ed.post("/admin/enterprises/shakyhands/logo/delete", nil), "/admin/enterprises/shakyhands#logo").
			has(t, "The logo was removed.", "No logo yet.")
		if logo() != "" {
			t.Fatal("logo kept")
		}
		e.get(old).want(t, http.StatusNotFound)
	})
	t.Run("another enterprise's editor cannot upload", func(t *testing.T) {
		ed.upload("/admin/enterprises/riverside/logo", "logo.png", testPNG(t, 10, 10)).want(t, http.StatusForbidden)
	})
}
