package imaging

import (
	"bytes"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// samples are images of each kind the decoders treat differently: made
// here with the standard encoders, or in testdata where Go has no encoder
// (testdata/README.md says how they were made).
func samples(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	enc := func(name string, img image.Image) {
		var buf bytes.Buffer
		var err error
		switch filepath.Ext(name) {
		case ".png":
			err = png.Encode(&buf, img)
		case ".jpg":
			err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80})
		case ".gif":
			err = gif.Encode(&buf, img, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
		out[name] = buf.Bytes()
	}
	src := sources(640, 480)
	for _, name := range []string{"NRGBA", "NRGBA64", "RGBA", "Gray", "Gray16", "Paletted"} {
		enc(name+".png", src[name])
	}
	opaque := image.NewRGBA64(image.Rect(0, 0, 640, 480))
	for i := range opaque.Pix {
		opaque.Pix[i] = 0xff
	}
	enc("RGB48.png", opaque)
	gray := image.NewGray(image.Rect(0, 0, 640, 480))
	enc("gray.jpg", gray)
	enc("YCbCr420.jpg", src["YCbCr420"])
	enc("NRGBA.gif", src["NRGBA"])
	files, err := filepath.Glob("testdata/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("testdata: %v %v", files, err)
	}
	for _, f := range files {
		if filepath.Ext(f) == ".md" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(f)] = data
	}
	return out
}

// allocated returns the bytes f allocates.
func allocated(f func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return int64(after.TotalAlloc - before.TotalAlloc)
}

func TestDecodeBytesIsAnUpperBound(t *testing.T) {
	// Decoders allocate some things whatever the size: buffers, tables,
	// parts of the file. decodeBytes leaves them out.
	const fixed = 96 << 10
	for name, data := range samples(t) {
		t.Run(name, func(t *testing.T) {
			cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			est := decodeBytes(data, format, cfg.Width, cfg.Height)
			var img image.Image
			got := allocated(func() { img, _, err = image.Decode(bytes.NewReader(data)) })
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%T: estimate %d, allocated %d (%.2f)", img, est, got, float64(got)/float64(est))
			if got > est+fixed+int64(len(data)) {
				t.Errorf("decoding %s allocated %d bytes, more than the estimate %d", name, got, est)
			}
			if worst := int64(worstBytesPerPixel * cfg.Width * cfg.Height); est >= worst {
				t.Errorf("estimate %d is the fallback %d: the header was not read", est, worst)
			}
		})
	}
}
