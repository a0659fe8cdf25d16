// Package imaging checks the images people upload (enterprise logos) and
// re-encodes them, so that what we store and serve is a plain, small image
// we produced ourselves: never the uploaded bytes, their metadata or
// anything a browser could take for a document.
package imaging

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/gif" // registers GIF for image.Decode
	"image/jpeg"
	"image/png"
	"math"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	xdraw "golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers WebP for image.Decode
)

// Limits on what Logo accepts and produces.
const (
	MaxBytes     = 1 << 20 // largest upload
	MaxDimension = 4096    // largest width or height decoded
	LogoSize     = 512     // largest width or height stored
	jpegQuality  = 85

	// MaxDecodeBytes is the most memory the decoding of one logo may take
	// (by decodeBytes): a 4096×4096 PNG of 8-bit RGBA, but only 8.3
	// megapixels of 16-bit RGBA, 8.3 of CMYK JPEG, 8.9 of progressive
	// 4:2:0 JPEG. It is also what the decodes under way may take together.
	MaxDecodeBytes = 64 << 20

	// MaxDecodes is how many logos are decoded at once. Each takes at
	// least MaxDecodeBytes/MaxDecodes of the budget: two small ones can
	// be decoded together, one larger than half the budget only alone.
	// The others wait their turn.
	MaxDecodes = 2
)

// decoding is the budget every Logo call shares, process-wide: memory is
// the process's.
var decoding = newGate(MaxDecodeBytes, MaxDecodes)

// Image is an image ready to store: its encoded bytes, their media type and
// its size in pixels.
type Image struct {
	Data          []byte
	ContentType   string
	Width, Height int
}

// field is the form field that errors about a logo point at.
const field = "logo"

// Logo checks an uploaded logo and re-encodes it. It accepts PNG, JPEG, GIF
// (first frame) and WebP, recognised by their content and never by a file
// name or declared type. Before decoding it reads the header and refuses
// images wider or taller than MaxDimension, or whose decoding would take
// more than MaxDecodeBytes, so that a small file cannot claim gigabytes of
// pixels. The decodes under way share MaxDecodeBytes, and there are at most
// MaxDecodes: a call waits for its turn until ctx ends, and then returns
// ctx's error. The result is at most LogoSize pixels on each side, turned
// upright when a JPEG says it was taken sideways, and encoded afresh: JPEG
// for opaque photos, PNG for everything else. No metadata of the upload
// survives. Other errors are EINVALID or ETOOLARGE, naming the field
// "logo".
func Logo(ctx context.Context, data []byte) (*Image, error) {
	return logo(ctx, decoding, data)
}

// logo is Logo taking its turn at g.
func logo(ctx context.Context, g *gate, data []byte) (*Image, error) {
	c, err := check(data)
	if err != nil {
		return nil, err
	}
	share, err := g.enter(ctx, c.bytes)
	if err != nil {
		return nil, err
	}
	img, err := decode(data, c.format)
	g.leave(share)
	if err != nil {
		return nil, err
	}
	return encode(img, c.format)
}

// decode decodes data and fits it in LogoSize, upright.
func decode(data []byte, format string) (*image.NRGBA, error) {
	src, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, invalid("corrupt", "the image file is damaged or incomplete")
	}
	img := fit(src, LogoSize)
	if format == "jpeg" {
		img = orient(img, jpegOrientation(data))
	}
	return img, nil
}

// check reads the header of data and weighs it, after checking size,
// format, dimensions and what decoding would take.
func check(data []byte) (cost, error) {
	switch {
	case len(data) == 0:
		return cost{}, invalid("required", "choose an image file to upload")
	case len(data) > MaxBytes:
		return cost{}, &directory.Error{Code: directory.ETOOLARGE, Message: "image too large",
			Fields: []directory.FieldError{{Field: field, Rule: "max_bytes", Message: "must be at most 1 MiB"}}}
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return cost{}, invalid("format", "must be a PNG, JPEG, GIF or WebP image")
	}
	w, h := cfg.Width, cfg.Height
	if w < 1 || h < 1 {
		return cost{}, invalid("format", "must be a PNG, JPEG, GIF or WebP image")
	}
	if w > MaxDimension || h > MaxDimension {
		return cost{}, invalid("dimensions", fmt.Sprintf(
			"the image is %d×%d pixels; a logo can be at most %d pixels wide and %d pixels high. Resize it and upload again.",
			w, h, MaxDimension, MaxDimension))
	}
	c := cost{format: format, width: w, height: h, bytes: decodeBytes(data, format, w, h)}
	if c.bytes > MaxDecodeBytes {
		return cost{}, invalid("megapixels", fmt.Sprintf(
			"the image is %d×%d pixels (%s megapixels); in this file format and colour depth a logo can be at most %s megapixels. Resize it and upload again.",
			w, h, oneDecimal(float64(w)*float64(h)/1e6), oneDecimal(c.megapixels())))
	}
	return c, nil
}

// oneDecimal formats x with one decimal at most, rounded down.
func oneDecimal(x float64) string {
	return strconv.FormatFloat(math.Floor(x*10)/10, 'f', -1, 64)
}

func invalid(rule, message string) error {
	return &directory.Error{Code: directory.EINVALID, Message: "invalid image",
		Fields: []directory.FieldError{{Field: field, Rule: rule, Message: message}}}
}

// fit returns src as a new NRGBA image, scaled down (Catmull-Rom, a few
// rows at a time: see shrink) so that neither side exceeds max pixels.
func fit(src image.Image, max int) *image.NRGBA {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > max || h > max {
		if w >= h {
			w, h = max, scaled(h, max, b.Dx())
		} else {
			w, h = scaled(w, max, b.Dy()), max
		}
	}
	if w == b.Dx() && h == b.Dy() {
		dst := image.NewNRGBA(image.Rect(0, 0, w, h))
		xdraw.Draw(dst, dst.Bounds(), src, b.Min, xdraw.Src)
		return dst
	}
	return shrink(src, w, h)
}

// scaled returns side*max/long rounded, and at least 1.
func scaled(side, max, long int) int {
	n := (side*max + long/2) / long
	if n < 1 {
		return 1
	}
	return n
}

// encode writes img as JPEG when it came from a photo format and has no
// transparency, as PNG otherwise.
func encode(img *image.NRGBA, format string) (*Image, error) {
	var buf bytes.Buffer
	out := &Image{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if (format == "jpeg" || format == "webp") && img.Opaque() {
		out.ContentType = "image/jpeg"
		if err := jpeg.Encode(&buf, opaqueRGBA(img), &jpeg.Options{Quality: jpegQuality}); err != nil {
			return nil, directory.Internal(err, "encode jpeg")
		}
	} else {
		out.ContentType = "image/png"
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, directory.Internal(err, "encode png")
		}
	}
	out.Data = buf.Bytes()
	return out, nil
}

// opaqueRGBA copies an opaque NRGBA image to RGBA, which the JPEG encoder
// reads faster.
func opaqueRGBA(img *image.NRGBA) *image.RGBA {
	dst := image.NewRGBA(img.Bounds())
	for i := 0; i < len(img.Pix); i += 4 {
		copy(dst.Pix[i:i+4], img.Pix[i:i+4])
	}
	return dst
}

// orient turns img upright according to an EXIF orientation (1 to 8).
func orient(img *image.NRGBA, o int) *image.NRGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			dx, dy := orientPoint(o, x, y, w, h)
			dst.SetNRGBA(dx, dy, img.NRGBAAt(x, y))
		}
	}
	return dst
}

// orientPoint maps pixel (x, y) of a w×h image stored with EXIF
// orientation o to its place in the upright image.
func orientPoint(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored
		return w - 1 - x, y
	case 3: // upside down
		return w - 1 - x, h - 1 - y
	case 4: // mirrored upside down
		return x, h - 1 - y
	case 5: // mirrored, turned left
		return y, x
	case 6: // turned left: rotate clockwise
		return h - 1 - y, x
	case 7: // mirrored, turned right
		return h - 1 - y, w - 1 - x
	case 8: // turned right: rotate counter-clockwise
		return y, w - 1 - x
	}
	return x, y
}
