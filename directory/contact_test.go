package directory_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestSendContactMessage(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	mustCreate(t, svc, "mill")
	asUser(t, svc, "admin@example.org", directory.RoleAdmin, "")
	editor := asUser(t, svc, "rosa@example.org", directory.RoleEditor, "flora")
	other := asUser(t, svc, "milo@example.org", directory.RoleEditor, "mill")
	need := &directory.Listing{Type: directory.Need, Title: "Seeds", Category: "goods"}
	must(t, svc.CreateListing(sys, "mill", need))
	anyone := context.Background()
	msg := func() *directory.ContactMessage {
		return &directory.ContactMessage{Name: " Ana ", Reach: "ana@n.example", Message: "Hello\r\nthere "}
	}

	t.Run("anyone writes; the enterprise's editors receive it", func(t *testing.T) {
		m := msg()
		rc, err := svc.SendContactMessage(anyone, "flora", 0, m)
		must(t, err)
		if m.ID == 0 || m.Name != "Ana" || m.Message != "Hello\nthere" || strings.Join(rc.Recipients, ",") != "rosa@example.org" || rc.Listing != nil {
			t.Fatalf("message %+v, receipt %+v", m, rc)
		}
		if m.ReplyAddress() != "ana@n.example" {
			t.Errorf("reply address %q", m.ReplyAddress())
		}
		got, total, err := svc.ContactMessages(editor, "flora", directory.Page{Page: 1, PerPage: 5})
		must(t, err)
		if total != 1 || got[0].ID != m.ID {
			t.Errorf("editor reads %+v", got)
		}
	})
	t.Run("another enterprise's editor may not read them", func(t *testing.T) {
		_, _, err := svc.ContactMessages(other, "flora", directory.Page{Page: 1, PerPage: 5})
		wantCode(t, err, directory.EFORBIDDEN)
		_, _, err = svc.ContactMessages(anyone, "flora", directory.Page{Page: 1, PerPage: 5})
		wantCode(t, err, directory.EUNAUTHORIZED)
	})
	t.Run("a listing of another enterprise is not found", func(t *testing.T) {
		_, err := svc.SendContactMessage(anyone, "flora", need.ID, msg())
		wantCode(t, err, directory.ENOTFOUND)
		rc, err := svc.SendContactMessage(anyone, "mill", need.ID, msg())
		must(t, err)
		if rc.Listing == nil || rc.Listing.ID != need.ID || strings.Join(rc.Recipients, ",") != "milo@example.org" {
			t.Errorf("receipt %+v", rc)
		}
	})
	t.Run("refuses control characters in the fields that go into headers", func(t *testing.T) {
		m := msg()
		m.Name, m.Reach = "Ana\nBcc: x@y.example", "a@b.example\rBcc: x@y.example"
		_, err := svc.SendContactMessage(anyone, "flora", 0, m)
		wantFields(t, err, "name", "reach")
		m = msg()
		m.Message = "hi\x00"
		_, err = svc.SendContactMessage(anyone, "flora", 0, m)
		wantFields(t, err, "message")
	})
	t.Run("a phone number is no reply address", func(t *testing.T) {
		m := msg()
		m.Reach = "+1 555 0100"
		if m.ReplyAddress() != "" {
			t.Error("a phone number taken for an email address")
		}
	})
}
