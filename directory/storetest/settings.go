package storetest

import (
	"bytes"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func testSettings(t *testing.T, open opener) {
	t.Run("are not found until saved, then overwritten", func(t *testing.T) {
		s := open(t)
		_, err := s.Settings(ctx)
		wantCode(t, err, directory.ENOTFOUND)
		first := &directory.Settings{NetworkName: "Cooperation Test", NetworkDescription: "A network", About: "**Hi**",
			AboutHTML: "<p><strong>Hi</strong></p>", TileURL: "https://tile.example/{z}/{x}/{y}.png",
			TileAttribution: "© OpenStreetMap", MurmurationsIndex: "https://index.example", DefaultLanguage: "es", EditorsSaveSearches: true, UpdatedAt: at(1)}
		mustNot(t, s.SaveSettings(ctx, first), "save")
		got, err := s.Settings(ctx)
		mustNot(t, err, "read")
		assertSame(t, "settings", got, first)
		second := &directory.Settings{NetworkName: "Renamed", UpdatedAt: at(2)}
		mustNot(t, s.SaveSettings(ctx, second), "save again")
		got, err = s.Settings(ctx)
		mustNot(t, err, "read")
		assertSame(t, "settings", got, second)
	})
}

func testImages(t *testing.T, open opener) {
	logo := func(id string) *directory.Image {
		return &directory.Image{ID: id, ContentType: "image/png", Data: []byte{0x89, 'P', 'N', 'G', 0, 1, 2}, Width: 10, Height: 20, CreatedAt: at(1)}
	}
	setLogo := func(t *testing.T, s directory.Store, e *directory.Enterprise, img *directory.Image) error {
		t.Helper()
		e.Logo = ""
		if img != nil {
			e.Logo = directory.MediaPrefix + img.ID
		}
		return s.SetEnterpriseLogo(ctx, e, img, directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: at(1)})
	}
	t.Run("stores a logo with the enterprise change and its event", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		last := lastEventID(t, s)
		mustNot(t, setLogo(t, s, e, logo("img1")), "set logo")
		got, err := s.FindImage(ctx, "img1")
		mustNot(t, err, "find image")
		assertSame(t, "image", got, logo("img1"))
		stored, err := s.FindEnterprise(ctx, "", "bakery")
		mustNot(t, err, "find enterprise")
		if stored.Logo != "/media/img1" {
			t.Errorf("logo = %q", stored.Logo)
		}
		if evs := eventsSince(t, s, last); len(evs) != 1 || evs[0].Type != directory.EventEnterpriseUpdated {
			t.Errorf("events = %+v", evs)
		}
	})
	t.Run("replacing or removing a logo deletes the old image", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("other", "Other"))
		mustNot(t, setLogo(t, s, other, logo("theirs")), "other's logo")
		mustNot(t, setLogo(t, s, e, logo("img1")), "first logo")
		mustNot(t, setLogo(t, s, e, logo("img2")), "second logo")
		_, err := s.FindImage(ctx, "img1")
		wantCode(t, err, directory.ENOTFOUND)
		mustNot(t, setLogo(t, s, e, nil), "remove")
		_, err = s.FindImage(ctx, "img2")
		wantCode(t, err, directory.ENOTFOUND)
		if _, err := s.FindImage(ctx, "theirs"); err != nil {
			t.Errorf("another enterprise's logo went too: %v", err)
		}
	})
	t.Run("an update that changes the logo deletes the stored image", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, setLogo(t, s, e, logo("img1")), "set logo")
		e.Name = "Renamed"
		mustNot(t, s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, At: at(2)}), "rename")
		if _, err := s.FindImage(ctx, "img1"); err != nil {
			t.Errorf("logo lost by an update that kept it: %v", err)
		}
		e.Logo = "https://bakery.example/logo.png"
		mustNot(t, s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, At: at(3)}), "new logo")
		_, err := s.FindImage(ctx, "img1")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("deleting an enterprise deletes its logo", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, setLogo(t, s, e, logo("img1")), "set logo")
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, directory.Event{Type: directory.EventEnterpriseDeleted, At: at(2)}), "delete")
		_, err := s.FindImage(ctx, "img1")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("a missing enterprise or a taken id changes nothing", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, setLogo(t, s, e, logo("img1")), "set logo")
		last := lastEventID(t, s)
		ghost := newEnterprise("ghost", "Ghost")
		ghost.ID = e.ID + 100
		wantCode(t, setLogo(t, s, ghost, logo("img2")), directory.ENOTFOUND)
		_, err := s.FindImage(ctx, "img2")
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, setLogo(t, s, e, logo("img1")), directory.ECONFLICT)
		wantNoEventsSince(t, s, last)
		got, err := s.FindImage(ctx, "img1")
		mustNot(t, err, "find")
		if !bytes.Equal(got.Data, logo("img1").Data) {
			t.Errorf("image changed: %s", show(got))
		}
	})
}
