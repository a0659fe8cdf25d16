package imaging

import "encoding/binary"

// jpegOrientation returns the EXIF orientation (1 to 8) of a JPEG file, or 0
// when it has none. It reads only the Exif segment's first directory, and
// gives up quietly on anything malformed: the orientation is a nicety.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 0
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return 0
		}
		marker := data[i+1]
		if marker == 0xDA || marker == 0xD9 { // image data or end: no Exif before it
			return 0
		}
		size := int(binary.BigEndian.Uint16(data[i+2:]))
		end := i + 2 + size
		if size < 2 || end > len(data) {
			return 0
		}
		if marker == 0xE1 {
			if o := exifOrientation(data[i+4 : end]); o != 0 {
				return o
			}
		}
		i = end
	}
	return 0
}

// exifOrientation reads tag 0x0112 from an APP1 segment's payload.
func exifOrientation(seg []byte) int {
	const header = "Exif\x00\x00"
	if len(seg) < len(header)+8 || string(seg[:len(header)]) != header {
		return 0
	}
	tiff := seg[len(header):]
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 0
	}
	ifd := int(order.Uint32(tiff[4:]))
	if ifd < 8 || ifd+2 > len(tiff) {
		return 0
	}
	n := int(order.Uint16(tiff[ifd:]))
	for k := 0; k < n; k++ {
		e := ifd + 2 + 12*k
		if e+12 > len(tiff) {
			return 0
		}
		if order.Uint16(tiff[e:]) == 0x0112 && order.Uint16(tiff[e+2:]) == 3 { // SHORT
			if o := int(order.Uint16(tiff[e+8:])); o >= 1 && o <= 8 {
				return o
			}
			return 0
		}
	}
	return 0
}
