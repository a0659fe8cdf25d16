package web

import "net/http"

// actorPages are where a browser lands on the address of one of the
// instance's own actors: the network's home page, the board of every need
// or every offer. ActivityPub clients asking for JSON at the same address
// get the actor (see activityPub).
var actorPages = map[string]string{
	"/network": "/",
	"/actor":   "/",
	"/needs":   "/board?type=need",
	"/offers":  "/board?type=offer",
}

// actorPage answers GET on an instance actor's address with a redirect to
// its page.
func (s *server) actorPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", cachePublic)
	http.Redirect(w, r, actorPages[r.URL.Path], http.StatusFound)
}
