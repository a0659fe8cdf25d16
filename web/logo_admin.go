package web

import (
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

// readLogo reads the uploaded file and turns it into a logo.
func readLogo(w http.ResponseWriter, r *http.Request) (*imaging.Image, error) {
	r.Body = http.MaxBytesReader(w, r.Body, imaging.MaxBytes+logoUploadSlack)
	if err := r.ParseMultipartForm(imaging.MaxBytes + logoUploadSlack); err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, logoError(directory.ETOOLARGE, "max_bytes", "must be at most 1 MiB")
		}
		return nil, logoError(directory.EINVALID, "required", "choose an image file to upload")
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	file, _, err := r.FormFile("logo")
	if err != nil {
		return nil, logoError(directory.EINVALID, "required", "choose an image file to upload")
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, imaging.MaxBytes+1))
	if err != nil {
		return nil, directory.Internal(err, "read upload")
	}
	return imaging.Logo(r.Context(), data)
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
