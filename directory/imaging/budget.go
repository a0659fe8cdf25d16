package imaging

import (
	"bytes"
	"encoding/binary"
)

// worstBytesPerPixel is what decodeBytes assumes of a file whose header it
// cannot read although image.DecodeConfig could: as much as the costliest
// image the decoders know, a progressive CMYK JPEG (four planes, their
// coefficients and the CMYK image).
const worstBytesPerPixel = 24

// decodeBytes estimates from the header of data what the decoder of format
// allocates for a w×h image: the decoded pixels, and the buffers as large
// as the image it keeps meanwhile (the coefficients of a progressive JPEG,
// the passes of an interlaced PNG, the planes a JPEG is converted from).
// Rows, tables and the file itself are left out. It errs on the high side.
func decodeBytes(data []byte, format string, w, h int) int64 {
	switch format {
	case "png":
		if n, ok := pngBytes(data, w, h); ok {
			return n
		}
	case "jpeg":
		if n, ok := jpegBytes(data, w, h); ok {
			return n
		}
	case "gif":
		return int64(w) * int64(h) // the first frame, paletted, within the screen
	case "webp":
		if n, ok := webpBytes(data, w, h); ok {
			return n
		}
	}
	return worstBytesPerPixel * int64(w) * int64(h)
}

// pngBytes reads the IHDR chunk and looks for tRNS before the image data.
// Image/png decodes into Paletted (1 byte a pixel), Gray (1), Gray16 (2),
// RGBA or NRGBA (4) or RGBA64 or NRGBA64 (8); a gray image with tRNS
// becomes NRGBA or NRGBA64. An interlaced one is read pass by pass, each
// pass an image of its own, as large together as the whole.
func pngBytes(data []byte, w, h int) (int64, bool) {
	const ihdr = 8 + 8 // signature, then the chunk's length and type
	if len(data) < ihdr+13 || string(data[12:16]) != "IHDR" {
		return 0, false
	}
	depth, colorType, interlaced := data[ihdr+8], data[ihdr+9], data[ihdr+12] != 0
	wide := depth == 16
	var per int64
	switch colorType {
	case 3: // paletted, whatever its depth
		per = 1
	case 0: // gray
		switch trns := pngHasTRNS(data); {
		case trns && wide:
			per = 8
		case trns:
			per = 4
		case wide:
			per = 2
		default:
			per = 1
		}
	default: // RGB, gray with alpha, RGBA
		per = 4
		if wide {
			per = 8
		}
	}
	n := per * int64(w) * int64(h)
	if interlaced {
		n *= 2
	}
	return n, true
}

// pngHasTRNS reports whether a tRNS chunk comes before the first IDAT.
func pngHasTRNS(data []byte) bool {
	for i := 8; i+8 <= len(data); {
		size := int(binary.BigEndian.Uint32(data[i:]))
		switch string(data[i+4 : i+8]) {
		case "tRNS":
			return true
		case "IDAT":
			return false
		}
		if size < 0 || size > len(data) {
			return true // unreadable: assume the costlier
		}
		i += 12 + size
	}
	return true
}

// jpegComponent is one component of a JPEG frame: its id and sampling
// factors.
type jpegComponent struct{ id, h, v int }

// jpegBytes reads the frame header (SOF0, 1 or 2) and the APP0 and APP14
// markers, and counts what image/jpeg allocates: the planes of its Gray or
// YCbCr image (padded to whole MCUs) and the black plane of a 4-component
// image; for a progressive image the coefficients of every block (64 int32,
// 4 bytes a pixel a plane), kept until the last scan; and the RGBA or CMYK
// image a 4-component or RGB image is converted to (4 bytes a pixel).
func jpegBytes(data []byte, w, h int) (int64, bool) {
	f, ok := readJPEG(data)
	if !ok {
		return 0, false
	}
	comps := f.components
	for _, c := range comps {
		if c.h < 1 || c.v < 1 || c.h > 4 || c.v > 4 {
			return 0, false
		}
	}
	if len(comps) == 1 {
		comps = []jpegComponent{{id: comps[0].id, h: 1, v: 1}} // as image/jpeg reads it
	}
	h0, v0 := comps[0].h, comps[0].v
	mcus := int64((w+8*h0-1)/(8*h0)) * int64((h+8*v0-1)/(8*v0))
	blocks := int64(0) // 8×8 blocks of all planes, as allocated
	for i, c := range comps {
		switch {
		case i == 0 || i == 3:
			blocks += int64(c.h * c.v)
		case i <= 2: // Cb and Cr are both as large as the second component
			blocks += int64(comps[1].h * comps[1].v)
		}
	}
	n := 64 * mcus * blocks
	if f.progressive {
		coeffs := int64(0)
		for _, c := range comps {
			coeffs += int64(c.h * c.v)
		}
		n += 4 * 64 * mcus * coeffs
	}
	switch {
	case len(comps) == 4:
		n += 4 * int64(w) * int64(h)
	case len(comps) == 3 && f.rgb():
		n += 4 * int64(w) * int64(h)
	case len(comps) != 1 && len(comps) != 3:
		return 0, false
	}
	return n, true
}

// jpegFrame is what jpegBytes needs of a JPEG file's markers.
type jpegFrame struct {
	progressive bool
	components  []jpegComponent
	jfif        bool // the last APP0 says JFIF
	adobe       bool // an APP14 Adobe marker was seen
	transform   byte // the last Adobe marker's colour transform
}

// rgb reports whether image/jpeg would take a 3-component image for RGB
// (and convert it to an RGBA image) rather than YCbCr.
func (f *jpegFrame) rgb() bool {
	if f.jfif {
		return false
	}
	if f.adobe && f.transform == 0 {
		return true
	}
	c := f.components
	return c[0].id == 'R' && c[1].id == 'G' && c[2].id == 'B'
}

// readJPEG walks every marker of data, the entropy-coded data between them
// included, and keeps the first frame header and the last APP0 and APP14,
// as image/jpeg does.
func readJPEG(data []byte) (*jpegFrame, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return nil, false
	}
	f := &jpegFrame{}
	for i := 2; i+1 < len(data); {
		if data[i] != 0xFF { // entropy-coded data
			k := bytes.IndexByte(data[i:], 0xFF)
			if k < 0 {
				break
			}
			i += k
			continue
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x00 || m == 0x01 || (m >= 0xD0 && m <= 0xD7): // stuffed zero, TEM, RST
			i += 2
			continue
		case m == 0xD9: // end of image
			i = len(data)
			continue
		}
		if i+4 > len(data) {
			break
		}
		end := i + 2 + int(binary.BigEndian.Uint16(data[i+2:]))
		if end < i+4 || end > len(data) {
			break
		}
		seg := data[i+4 : end]
		switch m {
		case 0xC0, 0xC1, 0xC2:
			if f.components == nil && !f.readFrame(seg, m == 0xC2) {
				return nil, false
			}
		case 0xE0:
			f.jfif = len(seg) >= 5 && string(seg[:5]) == "JFIF\x00"
		case 0xEE:
			if len(seg) >= 12 && string(seg[:5]) == "Adobe" {
				f.adobe, f.transform = true, seg[11]
			}
		}
		i = end
	}
	return f, f.components != nil
}

// readFrame reads a SOF segment: precision, height, width, then each
// component's id, sampling factors and table.
func (f *jpegFrame) readFrame(seg []byte, progressive bool) bool {
	if len(seg) < 6 {
		return false
	}
	n := int(seg[5])
	if n < 1 || len(seg) < 6+3*n {
		return false
	}
	f.progressive = progressive
	f.components = make([]jpegComponent, n)
	for k := range f.components {
		c := seg[6+3*k:]
		f.components[k] = jpegComponent{id: int(c[0]), h: int(c[1] >> 4), v: int(c[1] & 0x0F)}
	}
	return true
}

// webpBytes walks the RIFF chunks. A lossy (VP8) image decodes into a
// 4:2:0 YCbCr image padded to whole macroblocks (1.5 bytes a pixel); its
// alpha (ALPH) is a byte a pixel, and when compressed it is first decoded
// as a lossless image. A lossless (VP8L) image is decoded as 4 bytes a
// pixel, a colour-indexed one expanded into 4 more, and its transforms'
// sub-images take at most 1 more.
func webpBytes(data []byte, w, h int) (int64, bool) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return 0, false
	}
	px := int64(w) * int64(h)
	const lossless = 9
	var n int64
	for i := 12; i+8 <= len(data); {
		size := int(binary.LittleEndian.Uint32(data[i+4:]))
		if size < 0 || size > len(data) {
			return 0, false
		}
		switch string(data[i : i+4]) {
		case "ALPH":
			n += px
			if size > 0 && i+8 < len(data) && data[i+8]&0x03 == 1 {
				n += lossless * px
			}
		case "VP8 ":
			mbs := int64((w+15)/16) * int64((h+15)/16)
			return n + 384*mbs, true
		case "VP8L":
			return n + lossless*px, true
		}
		i += 8 + size + size&1
	}
	return 0, false
}

// cost is an image header as Logo weighs it.
type cost struct {
	format        string
	width, height int
	bytes         int64 // what decoding allocates, by decodeBytes
}

// megapixels is how many megapixels of this format and depth fit in
// MaxDecodeBytes.
func (c cost) megapixels() float64 {
	px := float64(c.width) * float64(c.height)
	return float64(MaxDecodeBytes) / (float64(c.bytes) / px) / 1e6
}
