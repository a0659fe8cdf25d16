package directory

import (
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/jpeg" // logos: DecodeConfig
	_ "image/png"
	"regexp"
	"slices"
	"strings"
	"time"
)

// importPlan sorts the rows of one import into what the store writes and
// what is refused.
type importPlan struct {
	s     *Service
	now   time.Time
	opt   ImportOptions
	res   *ImportResult
	batch *ImportBatch
	done  int
	total int
	// fileLogos are the image ids of the file's logo rows.
	fileLogos map[string]bool
	// valid are the enterprises of the file that will be stored or are
	// already; invalid those refused (by trimmed handle).
	valid   map[string]*Enterprise
	invalid map[string]bool
}

func newImportPlan(s *Service, d *DirectoryRows, opt ImportOptions) *importPlan {
	now := s.now()
	p := &importPlan{s: s, now: now, opt: opt, res: &ImportResult{}, batch: &ImportBatch{At: now},
		total: d.count(), fileLogos: map[string]bool{}, valid: map[string]*Enterprise{}, invalid: map[string]bool{}}
	for _, l := range d.Logos {
		if l.Image != nil {
			p.fileLogos[l.Image.ID] = true
		}
	}
	return p
}

func (p *importPlan) tick() {
	p.done++
	if p.opt.Progress != nil {
		p.opt.Progress(p.done, p.total)
	}
}

func (p *importPlan) refuse(re RowError) { p.res.Invalid = append(p.res.Invalid, re) }

// enterprises plans the enterprise rows: create new handles, update
// changed ones.
func (p *importPlan) enterprises(ctx context.Context, d *DirectoryRows) error {
	seen := map[string]int{}
	for _, r := range d.Enterprises {
		p.tick()
		if len(r.Problems) > 0 || r.Enterprise == nil {
			re := p.s.parsedRowError(r)
			p.invalid[re.Handle] = true
			p.refuse(re)
			continue
		}
		e := r.Enterprise
		if err := e.Validate(p.now); err != nil {
			p.invalid[e.Handle] = true
			p.refuse(RowError{Line: r.Line, Handle: e.Handle, Message: ErrorMessage(err), Fields: ErrorFields(err)})
			continue
		}
		if first, dup := seen[e.Handle]; dup {
			p.refuse(RowError{Line: r.Line, Handle: e.Handle,
				Message: fmt.Sprintf("handle %q is already used on line %d", e.Handle, first)})
			continue
		}
		seen[e.Handle] = r.Line
		if fe, err := p.missingLogo(ctx, d, e); err != nil {
			return err
		} else if fe != nil {
			p.invalid[e.Handle] = true
			p.refuse(RowError{Line: r.Line, Handle: e.Handle, Message: "invalid enterprise", Fields: []FieldError{*fe}})
			continue
		}
		if err := p.enterprise(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

func (p *importPlan) enterprise(ctx context.Context, e *Enterprise) error {
	e.Origin, e.RemoteID, e.RemoteURL = "", "", ""
	e.SummaryHTML = p.s.render(e.Summary)
	p.s.renderTranslations(e.Translations)
	p.valid[e.Handle] = e
	old, err := p.s.store.FindEnterprise(ctx, "", e.Handle)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		e.CreatedAt, e.UpdatedAt = p.now, p.now
		p.batch.CreateEnterprises = append(p.batch.CreateEnterprises, e)
	case err != nil:
		return err
	case sameContent(old, e):
		p.res.Unchanged++
	default:
		e.ID, e.CreatedAt, e.UpdatedAt = old.ID, old.CreatedAt, p.now
		p.batch.UpdateEnterprises = append(p.batch.UpdateEnterprises, e)
	}
	return nil
}

// missingLogo says what is wrong when e's logo names a stored image that
// is neither in a file that carries logos nor stored here.
func (p *importPlan) missingLogo(ctx context.Context, d *DirectoryRows, e *Enterprise) (*FieldError, error) {
	id, ok := StoredImageID(e.Logo)
	if !ok || !d.CarriesLogos || p.fileLogos[id] {
		return nil, nil
	}
	_, err := p.s.store.FindImage(ctx, id)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return &FieldError{Field: "logo", Rule: "missing",
			Message: fmt.Sprintf("names the stored image %q, which is neither in the file's logos nor stored here", clipQuote(id, 40))}, nil
	case err != nil:
		return nil, err
	}
	return nil, nil
}

var imageIDRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)

// logos plans the logo rows: each is stored unless an image with its id
// and bytes is.
func (p *importPlan) logos(ctx context.Context, d *DirectoryRows) error {
	owners := map[string]string{} // image id -> handle of a file enterprise whose logo it is
	for _, r := range d.Enterprises {
		if e := r.Enterprise; e != nil {
			if id, ok := StoredImageID(strings.TrimSpace(e.Logo)); ok {
				owners[id] = strings.TrimSpace(e.Handle)
			}
		}
	}
	seen := map[string]int{}
	for _, r := range d.Logos {
		p.tick()
		re := RowError{Line: r.Line, Kind: RowLogo, Message: "invalid logo", Fields: slices.Clone(r.Problems)}
		img := r.Image
		if img == nil {
			p.refuse(re)
			continue
		}
		re.Key = img.ID
		owner := owners[img.ID]
		re.Handle = owner
		re.Fields = addUncovered(re.Fields, checkLogo(img))
		switch first, dup := seen[img.ID]; {
		case img.ID == "":
		case dup:
			re.Fields = append(re.Fields, FieldError{Field: "id", Rule: "unique", Message: fmt.Sprintf("is already used on line %d", first)})
		case owner == "":
			re.Fields = append(re.Fields, FieldError{Field: "id", Rule: "unused", Message: "is the logo of no enterprise in the file"})
		case p.valid[owner] == nil:
			re.Fields = append(re.Fields, FieldError{Field: "id", Rule: "enterprise", Message: fmt.Sprintf("is the logo of %q, which is invalid", owner)})
		}
		seen[img.ID] = r.Line
		if len(re.Fields) > 0 {
			p.refuse(re)
			continue
		}
		old, err := p.s.store.FindImage(ctx, img.ID)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			img.CreatedAt = p.now
			p.batch.Images = append(p.batch.Images, OwnedImage{Owner: owner, Image: img})
		case err != nil:
			return err
		case old.ContentType == img.ContentType && bytes.Equal(old.Data, img.Data):
			p.res.Logos.Unchanged++
		default:
			re.Fields = append(re.Fields, FieldError{Field: "id", Rule: "unique", Message: "is the id of another image stored here"})
			p.refuse(re)
		}
	}
	return nil
}

// checkLogo checks an imported image: a PNG or JPEG of at most
// MaxImageBytes whose bytes are of its type and its size.
func checkLogo(img *Image) []FieldError {
	var fe fieldErrors
	if !imageIDRE.MatchString(img.ID) {
		fe.add("id", "format", "must be 1 to 100 letters, digits, - or _")
	}
	if img.ContentType != "image/png" && img.ContentType != "image/jpeg" {
		fe.add("content_type", "enum", "must be image/png or image/jpeg")
	}
	switch {
	case len(img.Data) == 0:
		fe.add("data", "required", "is empty")
	case len(img.Data) > MaxImageBytes:
		fe.add("data", "max_size", "must be at most 1 MB")
	default:
		cfg, format, err := image.DecodeConfig(bytes.NewReader(img.Data))
		switch {
		case err != nil:
			fe.add("data", "image", "is not a PNG or JPEG image")
		case "image/"+format != img.ContentType:
			fe.add("data", "image", "is a %s image, not %s", format, img.ContentType)
		case cfg.Width != img.Width || cfg.Height != img.Height:
			fe.add("width", "size", "the image is %d×%d, not %d×%d", cfg.Width, cfg.Height, img.Width, img.Height)
		}
	}
	return fe
}

// owner checks the enterprise a listing or announcement names: one of the
// file's that is valid, or a local one.
func (p *importPlan) owner(ctx context.Context, handle string) (*FieldError, error) {
	bad := func(rule, format string, args ...any) (*FieldError, error) {
		return &FieldError{Field: "enterprise", Rule: rule, Message: fmt.Sprintf(format, args...)}, nil
	}
	switch {
	case handle == "":
		return bad("required", "is required: the handle of an enterprise")
	case p.valid[handle] != nil:
		return nil, nil
	case p.invalid[handle]:
		return bad("enterprise", "%q is invalid in this file", clipQuote(handle, 40))
	}
	_, err := p.s.store.FindEnterprise(ctx, "", handle)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		return bad("enterprise", "no enterprise %q in the file or in the directory", clipQuote(handle, 40))
	case err != nil:
		return nil, err
	}
	return nil, nil
}

// keyed checks what listings and announcements have in common: the
// enterprise, the key and that the pair is not used twice.
func (p *importPlan) keyed(ctx context.Context, re *RowError, handle, key *string, seen map[[2]string]int) error {
	*handle, *key = strings.TrimSpace(*handle), strings.TrimSpace(*key)
	re.Handle, re.Key = *handle, *key
	fe, err := p.owner(ctx, *handle)
	if err != nil {
		return err
	}
	if fe != nil && !covered("enterprise", re.Fields) {
		re.Fields = append(re.Fields, *fe)
	}
	if fe := checkKey(*key); fe != nil && !covered("key", re.Fields) {
		re.Fields = append(re.Fields, *fe)
	}
	pair := [2]string{*handle, *key}
	if first, dup := seen[pair]; dup && *key != "" {
		re.Fields = append(re.Fields, FieldError{Field: "key", Rule: "unique",
			Message: fmt.Sprintf("is already used for this enterprise on line %d", first)})
	} else if !dup {
		seen[pair] = re.Line
	}
	return nil
}
