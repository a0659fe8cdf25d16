package imaging

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// sources returns a w×h image of each type the decoders produce, filled with
// a pattern that has edges, gradients and (where the type has alpha) varying
// transparency.
func sources(w, h int) map[string]image.Image {
	r := image.Rect(0, 0, w, h)
	nrgba, nrgba64, rgba := image.NewNRGBA(r), image.NewNRGBA64(r), image.NewRGBA(r)
	gray, gray16, cmyk := image.NewGray(r), image.NewGray16(r), image.NewCMYK(r)
	pal := image.NewPaletted(r, color.Palette{color.NRGBA{0, 0, 0, 0}, color.NRGBA{200, 30, 30, 255},
		color.NRGBA{30, 200, 30, 128}, color.NRGBA{255, 255, 255, 255}})
	ycc := map[string]*image.YCbCr{}
	for name, ratio := range map[string]image.YCbCrSubsampleRatio{
		"YCbCr444": image.YCbCrSubsampleRatio444, "YCbCr420": image.YCbCrSubsampleRatio420,
		"YCbCr422": image.YCbCrSubsampleRatio422, "YCbCr411": image.YCbCrSubsampleRatio411,
	} {
		ycc[name] = image.NewYCbCr(r, ratio)
	}
	nycca := image.NewNYCbCrA(r, image.YCbCrSubsampleRatio420)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			v := uint8((x*7 + y*3) % 256)
			if (x/5+y/3)%2 == 0 {
				v = 255 - v
			}
			a := uint8(255)
			if x%9 < 3 {
				a = uint8(y * 255 / h)
			}
			c := color.NRGBA{v, uint8(x * 255 / w), uint8(y * 255 / h), a}
			nrgba.SetNRGBA(x, y, c)
			nrgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(v)<<8 | uint16(x), uint16(x * 65535 / w), uint16(y * 65535 / h), uint16(a)<<8 | uint16(y)})
			rgba.Set(x, y, c)
			gray.SetGray(x, y, color.Gray{v})
			gray16.SetGray16(x, y, color.Gray16{uint16(v)<<8 | uint16(y)})
			cmyk.SetCMYK(x, y, color.CMYK{v, uint8(x), uint8(y), uint8(x + y)})
			pal.SetColorIndex(x, y, uint8((x/3+y/2)%4))
			for _, m := range ycc {
				m.Y[m.YOffset(x, y)] = v
				m.Cb[m.COffset(x, y)] = uint8(x)
				m.Cr[m.COffset(x, y)] = uint8(y)
			}
			nycca.Y[nycca.YOffset(x, y)] = v
			nycca.Cb[nycca.COffset(x, y)] = uint8(x)
			nycca.Cr[nycca.COffset(x, y)] = uint8(y)
			nycca.A[nycca.AOffset(x, y)] = a
		}
	}
	out := map[string]image.Image{"NRGBA": nrgba, "NRGBA64": nrgba64, "RGBA": rgba, "Gray": gray,
		"Gray16": gray16, "CMYK": cmyk, "Paletted": pal, "NYCbCrA": nycca,
		"NRGBA sub-image": nrgba.SubImage(image.Rect(3, 5, w, h))}
	for name, m := range ycc {
		out[name] = m
	}
	return out
}

func TestShrinkMatchesXDraw(t *testing.T) {
	for _, size := range []struct{ sw, sh, dw, dh int }{
		{300, 200, 97, 64}, {200, 300, 64, 97}, {64, 64, 64, 13}, {512, 40, 100, 7}, {31, 1, 9, 1},
	} {
		for name, src := range sources(size.sw, size.sh) {
			b := src.Bounds()
			dw, dh := min(size.dw, b.Dx()), min(size.dh, b.Dy())
			want := image.NewNRGBA(image.Rect(0, 0, dw, dh))
			xdraw.CatmullRom.Scale(want, want.Bounds(), src, b, xdraw.Src, nil)
			got := shrink(src, dw, dh)
			if !bytes.Equal(got.Pix, want.Pix) {
				diff := 0
				for i := range got.Pix {
					if got.Pix[i] != want.Pix[i] {
						diff++
					}
				}
				t.Errorf("%s %v to %dx%d: %d of %d bytes differ from x/image/draw", name, b, dw, dh, diff, len(got.Pix))
			}
		}
	}
}
