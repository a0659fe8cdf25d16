package imaging

import (
	"image"
	"image/color"
	"math"

	xdraw "golang.org/x/image/draw"
)

// shrink scales src to w×h pixels with the Catmull-Rom kernel, computing
// exactly what golang.org/x/image/draw's CatmullRom.Scale computes (the same
// weights, the same premultiplied 16-bit values, the same sums and rounding)
// but without its buffer of w×(source height) float64 colours: 64 MiB for a
// 4096-pixel-high source shrunk to 512 pixels wide. Each source row is
// scaled across as it is read, and only the rows the kernel still needs for
// the destination rows to come are kept, a few dozen rows of w colours.
func shrink(src image.Image, w, h int) *image.NRGBA {
	b := src.Bounds()
	across, down := newDistrib(w, b.Dx()), newDistrib(h, b.Dy())
	rows := newRowCache(src, across, down.maxSpan()+1)
	dst := image.NewNRGBA(image.Rect(0, 0, w, h))
	lines := make([][][4]float64, down.maxSpan())
	for dy, s := range down.sources {
		contribs := down.contribs[s.i:s.j]
		for k, c := range contribs {
			lines[k] = rows.row(c.coord)
		}
		for dx := 0; dx < w; dx++ {
			var pr, pg, pb, pa float64
			for k, c := range contribs {
				p := &lines[k][dx]
				pr += float64(p[0] * c.weight)
				pg += float64(p[1] * c.weight)
				pb += float64(p[2] * c.weight)
				pa += float64(p[3] * c.weight)
			}
			pr, pg, pb = min(pr, pa), min(pg, pa), min(pb, pa)
			dst.SetRGBA64(dx, dy, color.RGBA64{
				R: ftou(pr * s.invTotalWeight),
				G: ftou(pg * s.invTotalWeight),
				B: ftou(pb * s.invTotalWeight),
				A: ftou(pa * s.invTotalWeight),
			})
		}
	}
	return dst
}

// kernel is the Catmull-Rom kernel, as x/image/draw defines it.
var kernel = xdraw.CatmullRom

// contrib is the weight of one source column or row.
type contrib struct {
	coord  int
	weight float64
}

// source is the range of contribs of one destination column or row, and
// the inverse of their total weight (also divided by 0xffff).
type source struct {
	i, j               int
	invTotalWeight     float64
	invTotalWeightFFFF float64
}

// distrib spreads sw source columns (or rows) over dw destination ones.
type distrib struct {
	sources  []source
	contribs []contrib
}

// newDistrib computes the weights as x/image/draw's newDistrib does.
func newDistrib(dw, sw int) distrib {
	scale := float64(sw) / float64(dw)
	halfWidth, kernelArgScale := kernel.Support, 1.0
	if scale > 1 { // shrinking: widen the kernel so that every source pixel counts
		halfWidth *= scale
		kernelArgScale = 1 / scale
	}
	d := distrib{sources: make([]source, dw)}
	for x := range d.sources {
		center := float64((float64(x)+0.5)*scale) - 0.5
		lo := max(int(math.Floor(center-halfWidth)), 0)
		hi := max(min(int(math.Ceil(center+halfWidth)), sw), lo)
		totalWeight, first := 0.0, len(d.contribs)
		for coord := lo; coord < hi; coord++ {
			t := math.Abs((center - float64(coord)) * kernelArgScale)
			if t >= kernel.Support {
				continue
			}
			weight := kernel.At(t)
			if weight == 0 {
				continue
			}
			totalWeight += weight
			d.contribs = append(d.contribs, contrib{coord, weight})
		}
		totalWeight = 1 / totalWeight
		d.sources[x] = source{i: first, j: len(d.contribs),
			invTotalWeight: totalWeight, invTotalWeightFFFF: totalWeight / 0xffff}
	}
	return d
}

// maxSpan is the most source rows one destination row reads.
func (d distrib) maxSpan() int {
	n := 1
	for _, s := range d.sources {
		if s.j > s.i {
			n = max(n, d.contribs[s.j-1].coord-d.contribs[s.i].coord+1)
		}
	}
	return n
}

// ftou converts [0, 1] to [0, 0xffff], rounding, as x/image/draw does.
func ftou(f float64) uint16 {
	i := int32(float64(0xffff*f) + 0.5)
	if i > 0xffff {
		return 0xffff
	}
	if i > 0 {
		return uint16(i)
	}
	return 0
}

// rowCache holds the last source rows scaled across, in a ring: row y is
// in slot y%len(slots). The destination rows read source rows in rising
// order, so a row once dropped is not needed again (were it, it would be
// computed again).
type rowCache struct {
	src    image.Image
	across distrib
	pixels []float64 // one source row's premultiplied colours, 4 a pixel
	opaque bool      // the source has no alpha: alpha is exactly 1
	slots  [][][4]float64
	held   []int // the source row each slot holds, or -1
}

func newRowCache(src image.Image, across distrib, span int) *rowCache {
	c := &rowCache{src: src, across: across, pixels: make([]float64, 4*src.Bounds().Dx()),
		slots: make([][][4]float64, span), held: make([]int, span)}
	for i := range c.slots {
		c.slots[i] = make([][4]float64, len(across.sources))
		c.held[i] = -1
	}
	return c
}

// row returns source row y (counted from the top of the bounds), scaled
// across.
func (c *rowCache) row(y int) [][4]float64 {
	k := y % len(c.slots)
	if c.held[k] != y {
		c.opaque = readRow(c.pixels, c.src, y)
		c.scaleAcross(c.slots[k])
		c.held[k] = y
	}
	return c.slots[k]
}

// scaleAcross distributes the source row in c.pixels over out.
func (c *rowCache) scaleAcross(out [][4]float64) {
	for x, s := range c.across.sources {
		var pr, pg, pb, pa float64
		for _, k := range c.across.contribs[s.i:s.j] {
			p := c.pixels[4*k.coord : 4*k.coord+4 : 4*k.coord+4]
			pr += float64(p[0] * k.weight)
			pg += float64(p[1] * k.weight)
			pb += float64(p[2] * k.weight)
			pa += float64(p[3] * k.weight)
		}
		a := pa * s.invTotalWeightFFFF
		if c.opaque {
			a = 1
		}
		out[x] = [4]float64{pr * s.invTotalWeightFFFF, pg * s.invTotalWeightFFFF, pb * s.invTotalWeightFFFF, a}
	}
}

// readRow fills pixels with row y of src as premultiplied 16-bit colours,
// the values x/image/draw reads, and reports whether the row is opaque by
// the image's type, where x/image/draw takes alpha as exactly 1.
func readRow(pixels []float64, src image.Image, y int) bool {
	b := src.Bounds()
	y += b.Min.Y
	put := func(x int, r, g, b, a uint32) {
		p := pixels[4*x : 4*x+4 : 4*x+4]
		p[0], p[1], p[2], p[3] = float64(r), float64(g), float64(b), float64(a)
	}
	switch m := src.(type) {
	case *image.NRGBA:
		for x := 0; x < b.Dx(); x++ {
			i := m.PixOffset(b.Min.X+x, y)
			s := m.Pix[i : i+4 : i+4]
			a := uint32(s[3]) * 0x101
			put(x, uint32(s[0])*a/0xff, uint32(s[1])*a/0xff, uint32(s[2])*a/0xff, a)
		}
		return false
	case *image.Gray:
		for x := 0; x < b.Dx(); x++ {
			v := uint32(m.Pix[m.PixOffset(b.Min.X+x, y)]) * 0x101
			put(x, v, v, v, 0xffff)
		}
		return true
	case *image.YCbCr:
		// x/image/draw reads these ratios as opaque, the others through At.
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422,
			image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio440:
			for x := 0; x < b.Dx(); x++ {
				yi, ci := m.YOffset(b.Min.X+x, y), m.COffset(b.Min.X+x, y)
				r, g, bl, _ := color.YCbCr{Y: m.Y[yi], Cb: m.Cb[ci], Cr: m.Cr[ci]}.RGBA()
				put(x, r, g, bl, 0xffff)
			}
			return true
		}
	}
	if m, ok := src.(image.RGBA64Image); ok {
		for x := 0; x < b.Dx(); x++ {
			c := m.RGBA64At(b.Min.X+x, y)
			put(x, uint32(c.R), uint32(c.G), uint32(c.B), uint32(c.A))
		}
		return false
	}
	for x := 0; x < b.Dx(); x++ {
		r, g, bl, a := src.At(b.Min.X+x, y).RGBA()
		put(x, r, g, bl, a)
	}
	return false
}
