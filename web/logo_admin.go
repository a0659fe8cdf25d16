package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/imaging"
)

// logoUploadSlack is what a multipart body may hold besides the image:
// boundaries, part headers and the file name.
const logoUploadSlack = 64 << 10

// adminUploadLogo answers POST /admin/enterprises/{handle}/logo: a
// multipart upload in the field "logo". The image is checked and
// re-encoded (directory/imaging) before the Service stores it.
func (s *server) adminUploadLogo(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	img, err := readLogo(w, r)
	if err == nil {
		_, err = s.svc.SetEnterpriseLogo(r.Context(), e.Handle, &directory.Image{
			ContentType: img.ContentType, Data: img.Data, Width: img.Width, Height: img.Height})
	}
	if err != nil {
		f := logoForm()
		switch directory.ErrorCode(err) {
		case directory.EINVALID, directory.ETOOLARGE:
			f.fail(err)
		default:
			s.failPage(w, r, err)
			return
		}
		profile := enterpriseForm(false)
		profile.fill(enterpriseFormValues(e))
		s.renderManage(w, r, adminFormStatus(err), e, profile, f, f.Errors)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle)+"#logo", "logo-saved", "")
}

// readLogo reads the uploaded file and turns it into a logo. The body is
// read as a stream, not parsed into a form first: the file is read once,
// into one buffer the size of the body (at most MaxBytes and a little), and
// the other parts are skipped. Decoding may wait for a turn (see
// imaging.Logo) for as long as the request lasts.
func readLogo(w http.ResponseWriter, r *http.Request) (*imaging.Image, error) {
	r.Body = http.MaxBytesReader(w, r.Body, imaging.MaxBytes+logoUploadSlack)
	data, err := readLogoFile(r)
	if err != nil {
		return nil, err
	}
	return imaging.Logo(r.Context(), data)
}

// readLogoFile returns the contents of the multipart body's file in the
// field "logo", or its first MaxBytes+1 bytes.
func readLogoFile(r *http.Request) ([]byte, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, logoRequired()
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return nil, logoReadError(err)
		}
		if part.FormName() != "logo" || part.FileName() == "" {
			continue // NextPart skips the rest of it
		}
		// The body is larger than the file, so a buffer of its size (and
		// the room ReadFrom wants free before each read) is never grown.
		size := min(max(r.ContentLength, 0), imaging.MaxBytes+1)
		buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
		if _, err := buf.ReadFrom(io.LimitReader(part, imaging.MaxBytes+1)); err != nil {
			return nil, logoReadError(err)
		}
		return buf.Bytes(), nil
	}
}

// logoReadError is the error for a body that could not be read to its file:
// too large, or no file in it (also when the body is cut short).
func logoReadError(err error) error {
	if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
		return logoError(directory.ETOOLARGE, "max_bytes", "must be at most 1 MiB")
	}
	return logoRequired()
}

func logoRequired() error {
	return logoError(directory.EINVALID, "required", "choose an image file to upload")
}

func logoError(code, rule, message string) error {
	return &directory.Error{Code: code, Message: "invalid image",
		Fields: []directory.FieldError{{Field: "logo", Rule: rule, Message: message}}}
}

// adminRemoveLogo answers POST /admin/enterprises/{handle}/logo/delete.
func (s *server) adminRemoveLogo(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	if _, err := s.svc.RemoveEnterpriseLogo(r.Context(), e.Handle); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle)+"#logo", "logo-removed", "")
}

// logoForm returns the control of a logo upload.
func logoForm() *adminForm {
	return newAdminForm(&adminField{Name: "logo", Label: "Logo image", Type: "file",
		Accept: "image/png,image/jpeg,image/gif,image/webp",
		Hint:   "A PNG, JPEG, GIF or WebP image of at most 1 MiB. It is shown at most 512 pixels wide."})
}
