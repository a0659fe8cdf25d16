package imaging_test

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/imaging"
)

// picture is a w×h image with a gradient and, when alpha, a transparent corner.
func picture(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.NRGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: 128, A: 255}
			if alpha && x < w/4 && y < h/4 {
				c.A = 0
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func encodePNG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngChunk encodes one PNG chunk with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// withTextChunk inserts a tEXt chunk after the IHDR chunk of a PNG file.
func withTextChunk(p []byte, text string) []byte {
	const ihdrEnd = 8 + 8 + 13 + 4
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("tEXt", []byte("Comment\x00"+text))...)
	return append(out, p[ihdrEnd:]...)
}

// pngHeader is the start of a PNG that claims w×h pixels and then ends.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// withExif inserts an APP1 Exif segment (orientation o, plus a comment
// string) after the SOI marker of a JPEG file.
func withExif(j []byte, o uint16, comment string) []byte {
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = binary.BigEndian.AppendUint16(tiff, 1) // one entry
	tiff = binary.BigEndian.AppendUint16(tiff, 0x0112)
	tiff = binary.BigEndian.AppendUint16(tiff, 3)
	tiff = binary.BigEndian.AppendUint32(tiff, 1)
	tiff = binary.BigEndian.AppendUint16(tiff, o)
	tiff = append(tiff, 0, 0, 0, 0, 0, 0)
	tiff = append(tiff, comment...)
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// decoded checks that out holds an image of the given type and size.
func decoded(t *testing.T, out *imaging.Image, contentType string, w, h int) image.Image {
	t.Helper()
	if out.ContentType != contentType || out.Width != w || out.Height != h {
		t.Fatalf("got %s %dx%d, want %s %dx%d", out.ContentType, out.Width, out.Height, contentType, w, h)
	}
	img, format, err := image.Decode(bytes.NewReader(out.Data))
	if err != nil {
		t.Fatalf("output does not decode: %v", err)
	}
	if "image/"+format != contentType || img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Fatalf("output is %s %v", format, img.Bounds())
	}
	return img
}

func TestLogoAccepts(t *testing.T) {
	t.Run("re-encodes a PNG with transparency as PNG without its metadata", func(t *testing.T) {
		in := withTextChunk(encodePNG(t, picture(40, 30, true)), "secret-metadata")
		out, err := imaging.Logo(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		img := decoded(t, out, "image/png", 40, 30)
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("transparent corner lost: alpha %d", a)
		}
		if bytes.Contains(out.Data, []byte("secret-metadata")) {
			t.Error("metadata survived")
		}
	})
	t.Run("scales a large JPEG photo down to 512 pixels and keeps it JPEG", func(t *testing.T) {
		in := withExif(encodeJPEG(t, picture(1200, 800, false)), 1, "camera-serial-1234")
		out, err := imaging.Logo(t.Context(), in)
		if err != nil {
			t.Fatal(err)
		}
		decoded(t, out, "image/jpeg", 512, 341)
		if bytes.Contains(out.Data, []byte("camera-serial-1234")) || bytes.Contains(out.Data, []byte("Exif")) {
			t.Error("EXIF survived")
		}
	})
	t.Run("turns a sideways JPEG upright", func(t *testing.T) {
		out, err := imaging.Logo(t.Context(), withExif(encodeJPEG(t, picture(80, 40, false)), 6, ""))
		if err != nil {
			t.Fatal(err)
		}
		decoded(t, out, "image/jpeg", 40, 80)
	})
	t.Run("scales a tall PNG by its height", func(t *testing.T) {
		out, err := imaging.Logo(t.Context(), encodePNG(t, picture(300, 1024, false)))
		if err != nil {
			t.Fatal(err)
		}
		decoded(t, out, "image/png", 150, 512)
	})
	t.Run("re-encodes a transparent WebP as PNG", func(t *testing.T) {
		// The smallest lossless WebP: one transparent pixel.
		webp := []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
		out, err := imaging.Logo(t.Context(), webp)
		if err != nil {
			t.Fatal(err)
		}
		decoded(t, out, "image/png", 1, 1)
	})
	t.Run("takes the first frame of a GIF as PNG", func(t *testing.T) {
		var buf bytes.Buffer
		if err := gif.Encode(&buf, picture(64, 64, false), nil); err != nil {
			t.Fatal(err)
		}
		out, err := imaging.Logo(t.Context(), buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		decoded(t, out, "image/png", 64, 64)
	})
}

func TestLogoRefuses(t *testing.T) {
	good := encodePNG(t, picture(64, 64, false))
	for _, tc := range []struct {
		name string
		data []byte
		code string
		rule string
	}{
		{"an empty file", nil, directory.EINVALID, "required"},
		{"a text file posing as an image", []byte("this is not an image at all, honest"), directory.EINVALID, "format"},
		{"an SVG renamed .png", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), directory.EINVALID, "format"},
		{"an HTML page renamed .png", []byte("<!doctype html><html><script>alert(1)</script></html>"), directory.EINVALID, "format"},
		{"a truncated PNG", good[:len(good)/2], directory.EINVALID, "corrupt"},
		{"a GIF header followed by HTML", append([]byte("GIF89a\x10\x00\x10\x00\x00\x00\x00"), "<script>alert(1)</script>"...), directory.EINVALID, "corrupt"},
		{"a header claiming 100000 by 100000 pixels", pngHeader(100000, 100000), directory.EINVALID, "dimensions"},
		{"a header claiming 5000 pixels of width", pngHeader(5000, 10), directory.EINVALID, "dimensions"},
		{"a header claiming no pixels", pngHeader(0, 10), directory.EINVALID, "format"},
		{"a file over 1 MiB", append(append([]byte{}, good...), make([]byte, imaging.MaxBytes)...), directory.ETOOLARGE, "max_bytes"},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			out, err := imaging.Logo(t.Context(), tc.data)
			if err == nil {
				t.Fatalf("accepted: %+v", out)
			}
			if code := directory.ErrorCode(err); code != tc.code {
				t.Fatalf("code %s, want %s (%v)", code, tc.code, err)
			}
			fields := directory.ErrorFields(err)
			if len(fields) != 1 || fields[0].Field != "logo" || fields[0].Rule != tc.rule || fields[0].Message == "" {
				t.Fatalf("fields %+v, want logo/%s", fields, tc.rule)
			}
		})
	}
}
