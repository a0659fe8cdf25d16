package directory_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func png(data string) *directory.Image {
	return &directory.Image{ContentType: "image/png", Data: []byte(data), Width: 64, Height: 32}
}

func TestEnterpriseLogos(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	editor := asUser(t, svc, "ed@example.org", directory.RoleEditor, "flora")

	var first string
	t.Run("an editor sets a logo: stored, linked and announced", func(t *testing.T) {
		last := lastEvent(t, svc)
		e, err := svc.SetEnterpriseLogo(editor, "flora", png("first"))
		must(t, err)
		id, ok := directory.StoredImageID(e.Logo)
		if !ok || !strings.HasPrefix(e.Logo, "/media/") || strings.ContainsAny(id, "/+=") {
			t.Fatalf("logo = %q", e.Logo)
		}
		img, err := svc.Image(sys, id)
		must(t, err)
		if img.ContentType != "image/png" || !bytes.Equal(img.Data, []byte("first")) || img.Width != 64 || img.CreatedAt.IsZero() {
			t.Errorf("image = %+v", img)
		}
		stored, err := svc.Enterprise(sys, "flora")
		must(t, err)
		if stored.Logo != e.Logo {
			t.Errorf("stored logo = %q", stored.Logo)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventEnterpriseUpdated {
			t.Errorf("events = %v", evs)
		}
		first = id
	})
	t.Run("a new logo deletes the old stored one", func(t *testing.T) {
		e, err := svc.SetEnterpriseLogo(editor, "flora", png("second"))
		must(t, err)
		if _, err := svc.Image(sys, first); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("old image: %v", err)
		}
		id, _ := directory.StoredImageID(e.Logo)
		if _, err := svc.Image(sys, id); err != nil {
			t.Error(err)
		}
	})
	t.Run("removing the logo deletes the image", func(t *testing.T) {
		before, err := svc.Enterprise(sys, "flora")
		must(t, err)
		e, err := svc.RemoveEnterpriseLogo(editor, "flora")
		must(t, err)
		id, _ := directory.StoredImageID(before.Logo)
		if e.Logo != "" {
			t.Errorf("logo = %q", e.Logo)
		}
		if _, err := svc.Image(sys, id); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("image: %v", err)
		}
	})
	t.Run("refuses bad images and writes nothing", func(t *testing.T) {
		last := lastEvent(t, svc)
		_, err := svc.SetEnterpriseLogo(editor, "flora", &directory.Image{ContentType: "image/png", Data: make([]byte, directory.MaxImageBytes+1), Width: 1, Height: 1})
		wantCode(t, err, directory.ETOOLARGE)
		_, err = svc.SetEnterpriseLogo(editor, "flora", &directory.Image{ContentType: "image/svg+xml", Data: []byte("<svg/>"), Width: 1, Height: 1})
		wantFields(t, err, "logo")
		_, err = svc.SetEnterpriseLogo(editor, "flora", &directory.Image{ContentType: "image/png", Width: 1, Height: 1})
		wantFields(t, err, "logo")
		_, err = svc.SetEnterpriseLogo(editor, "flora", nil)
		wantFields(t, err, "logo")
		if evs := eventsSince(t, svc, last); len(evs) != 0 {
			t.Errorf("events = %v", evs)
		}
	})
	t.Run("only the enterprise's editors and admins", func(t *testing.T) {
		mustCreate(t, svc, "other")
		_, err := svc.SetEnterpriseLogo(editor, "other", png("x"))
		wantCode(t, err, directory.EFORBIDDEN)
		_, err = svc.RemoveEnterpriseLogo(editor, "other")
		wantCode(t, err, directory.EFORBIDDEN)
		_, err = svc.SetEnterpriseLogo(editor, "missing", png("x"))
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("a logo cannot be pointed at a stored image by hand", func(t *testing.T) {
		e, err := svc.SetEnterpriseLogo(sys, "other", png("theirs"))
		must(t, err)
		_, err = svc.UpdateEnterprise(editor, "flora", directory.EnterpriseUpdate{Logo: ptr(e.Logo)})
		wantFields(t, err, "logo")
	})
	t.Run("changing the logo to an address deletes the stored image", func(t *testing.T) {
		e, err := svc.SetEnterpriseLogo(editor, "flora", png("third"))
		must(t, err)
		id, _ := directory.StoredImageID(e.Logo)
		_, err = svc.UpdateEnterprise(editor, "flora", directory.EnterpriseUpdate{Logo: ptr("https://flora.example/logo.png")})
		must(t, err)
		if _, err := svc.Image(sys, id); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("image: %v", err)
		}
	})
	t.Run("deleting the enterprise deletes its logo", func(t *testing.T) {
		e, err := svc.SetEnterpriseLogo(editor, "flora", png("fourth"))
		must(t, err)
		id, _ := directory.StoredImageID(e.Logo)
		must(t, svc.DeleteEnterprise(sys, "flora"))
		if _, err := svc.Image(sys, id); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("image: %v", err)
		}
	})
	t.Run("an unknown image is not found", func(t *testing.T) {
		for _, id := range []string{"", "nope", strings.Repeat("x", 500)} {
			_, err := svc.Image(sys, id)
			wantCode(t, err, directory.ENOTFOUND)
		}
	})
}
