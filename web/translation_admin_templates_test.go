package web

import (
	"net/url"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	templateSamples["admin_translations.html"] = func() any {
		e := &translatedEntry{Name: "Shaky <Hands>", AdminPath: "/admin/enterprises/shakyhands", PublicPath: "/enterprises/shakyhands",
			Main: "en", TitleLabel: "Name", TextLabel: "Summary",
			tr: directory.Translations{"es": {Title: "Manos <b>", Text: "Hacemos <script>"}}}
		f := translationForm(nil, e)
		f.fill(url.Values{"language": {"<x>"}})
		f.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid",
			Fields: []directory.FieldError{{Field: "language", Rule: "pattern", Message: "is not a tag <here>"}}})
		return adminTranslationsView{adminPage: adminPage{layout: layout{Network: "Cooperation Testville", NoIndex: true}},
			Entry: e, Rows: []translationRow{{Tag: "es", Name: "Español", Title: "Manos <b>", Text: "Hacemos <script>",
				EditURL: "/admin/enterprises/shakyhands/translations?lang=es", DeleteURL: "/admin/enterprises/shakyhands/translations/es/delete"}},
			Form: f}
	}
}
