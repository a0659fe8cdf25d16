package imaging_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/imaging"
)

// PNG colour types.
const (
	pngGray  = 0
	pngRGBA  = 6
	pngRGB   = 2
	pngAlpha = 4 // gray with alpha
)

// zeroPNG is a complete, valid PNG of w×h pixels that are all zero, with
// the given bit depth and colour type: its rows compress about a
// thousandfold, so a file of a few hundred KB decodes to a hundred MB.
func zeroPNG(t testing.TB, w, h int, depth, colorType byte) []byte {
	t.Helper()
	channels := map[byte]int{pngGray: 1, pngRGB: 3, pngAlpha: 2, pngRGBA: 4}[colorType]
	row := make([]byte, 1+w*channels*int(depth)/8) // filter byte "none", then the pixels
	var idat bytes.Buffer
	zw, err := zlib.NewWriterLevel(&idat, zlib.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < h; y++ {
		if _, err := zw.Write(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
	out = append(out, pngChunk("IDAT", idat.Bytes())...)
	return append(out, pngChunk("IEND", nil)...)
}

// jpegHeader is the start of a JPEG whose frame header (SOF0, or SOF2 when
// progressive) claims w×h pixels in components with the given sampling
// factors (0x22 is 2×2), and then ends after the start of its scan.
func jpegHeader(w, h int, progressive bool, sampling ...byte) []byte {
	sof := []byte{0xFF, 0xC0}
	if progressive {
		sof[1] = 0xC2
	}
	sof = binary.BigEndian.AppendUint16(sof, uint16(8+3*len(sampling)))
	sof = append(sof, 8)
	sof = binary.BigEndian.AppendUint16(sof, uint16(h))
	sof = binary.BigEndian.AppendUint16(sof, uint16(w))
	sof = append(sof, byte(len(sampling)))
	for i, s := range sampling {
		sof = append(sof, byte(i+1), s, 0)
	}
	adobe := []byte{0xFF, 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 2}
	// Without JFIF image/jpeg reads on to the start of scan for the
	// header's colour transform; this one ends the file.
	sos := []byte{0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0}
	out := append([]byte{0xFF, 0xD8}, adobe...)
	out = append(out, sof...)
	return append(out, sos...)
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestLogoRefusesBeforeDecoding(t *testing.T) {
	for _, tc := range []struct {
		name    string
		data    []byte
		rule    string
		message string
	}{
		{"a PNG header saying 50000×50000 pixels", pngHeader(50000, 50000), "dimensions",
			"The image is 50000×50000 pixels; a logo can be at most 4096 pixels wide and 4096 pixels high. Resize it and upload again."},
		{"a JPEG header saying 12000×12000 pixels", jpegHeader(12000, 12000, false, 0x22, 0x11, 0x11), "dimensions",
			"The image is 12000×12000 pixels"},
		{"a 16-bit 4096×4096 PNG of a few hundred KB (a decompression bomb)", zeroPNG(t, 4096, 4096, 16, pngRGBA), "megapixels",
			"The image is 4096×4096 pixels (16.7 megapixels); in this file format and colour depth a logo can be at most 8.3 megapixels. Resize it and upload again."},
		{"a 16-bit PNG one column over the cap", zeroPNG(t, 2897, 2896, 16, pngRGB), "megapixels", "at most 8.3 megapixels"},
		{"an interlaced 8-bit RGBA PNG of 4096×4096", interlaced(zeroPNG(t, 4096, 4096, 8, pngRGBA)), "megapixels", "(16.7 megapixels); in this file format and colour depth a logo can be at most 8.3 megapixels"},
		{"a CMYK JPEG of 4096×4096", jpegHeader(4096, 4096, false, 0x11, 0x11, 0x11, 0x11), "megapixels", "at most 8.3 megapixels"},
		{"a progressive 4:2:0 JPEG of 4096×4096", jpegHeader(4096, 4096, true, 0x22, 0x11, 0x11), "megapixels", "at most 8.9 megapixels"},
	} {
		t.Run("refuses "+tc.name, func(t *testing.T) {
			if len(tc.data) > imaging.MaxBytes {
				t.Fatalf("the file is %d bytes, over MaxBytes", len(tc.data))
			}
			var out *imaging.Image
			var err error
			n := allocated(func() { out, err = imaging.Logo(t.Context(), tc.data) })
			if err == nil {
				t.Fatalf("accepted: %dx%d", out.Width, out.Height)
			}
			fields := directory.ErrorFields(err)
			if directory.ErrorCode(err) != directory.EINVALID || len(fields) != 1 || fields[0].Field != "logo" || fields[0].Rule != tc.rule {
				t.Fatalf("got %v %+v, want logo/%s", directory.ErrorCode(err), fields, tc.rule)
			}
			if msg := capitalized(fields[0].Message); !strings.Contains(msg, tc.message) {
				t.Errorf("message %q, want %q", msg, tc.message)
			}
			if n > 1<<20 {
				t.Errorf("refusing allocated %d bytes: it decoded", n)
			}
		})
	}
}

// interlaced sets the interlace flag of a PNG's IHDR. Only the header is
// read before the refusal, so the image data need not match.
func interlaced(p []byte) []byte {
	p = append([]byte{}, p...)
	p[8+8+12] = 1
	ihdr := p[8+4 : 8+8+13]
	binary.BigEndian.PutUint32(p[8+8+13:], crc32.ChecksumIEEE(ihdr))
	return p
}

func capitalized(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func TestLogoAcceptsTheLargest(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		w, h int
	}{
		{"8-bit RGBA PNG of 4096×4096 (64 MiB decoded)", zeroPNG(t, 4096, 4096, 8, pngRGBA), 512, 512},
		{"16-bit RGB PNG of 2896×2896 (64 MiB decoded)", zeroPNG(t, 2896, 2896, 16, pngRGB), 512, 512},
		{"16-bit gray PNG of 4096×2048", zeroPNG(t, 4096, 2048, 16, pngGray), 512, 256},
	} {
		t.Run("accepts a "+tc.name, func(t *testing.T) {
			out, err := imaging.Logo(t.Context(), tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if out.Width != tc.w || out.Height != tc.h {
				t.Fatalf("got %dx%d, want %dx%d", out.Width, out.Height, tc.w, tc.h)
			}
		})
	}
}
