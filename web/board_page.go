package web

import "net/http"

// boardPerPage is the number of listings on a page of the board.
const boardPerPage = 20

// boardPage answers GET /board: the open needs and offers (not fulfilled,
// withdrawn or expired), newest first, filtered by type, category, words
// and distance.
func (s *server) boardPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsGeoJSON(r) {
		s.geoJSONSearch(w, r, "/board")
		return
	}
	v, status := s.search(r, "/board", boardPerPage)
	if status == 0 {
		s.failPage(w, r, v.err)
		return
	}
	v.layout = s.searchLayout(r, "Needs & offers", v)
	v.Description = translate(r, "Open needs and offers of %s: what its co-ops are looking for and what they can give.", v.Network)
	if v.Form.Type == "need" || v.Form.Type == "offer" {
		actor := v.Form.Type + "s"
		v.Follow = s.newFollowBox(r, &v.layout, actor, instanceActorName(actor, v.Network))
	}
	s.render(w, r, status, "board.html", v)
}
