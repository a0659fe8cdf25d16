package web

import (
	"net/url"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	lay := layout{Network: "Cooperation Testville"}
	topic := &directory.SavedSearch{Handle: "drills", Name: "Drills <b>near</b>", Summary: "Every <script>drill", CreatedAt: now}
	admin := &directory.User{ID: 1, Name: "Ada", Email: "ada@t.example", Role: directory.RoleAdmin}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: admin, NoIndex: true}}
	form := topicForm(false)
	form.fill(url.Values{"handle": {"Bad <x>"}, "within_km": {"far"}})
	form.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid",
		Fields: []directory.FieldError{{Field: "handle", Rule: "pattern", Message: "may contain only <lowercase>"}}})
	templateSamples["topics.html"] = func() any {
		return topicsView{layout: lay, Topics: []*directory.SavedSearch{topic}, CanEdit: true}
	}
	templateSamples["topic.html"] = func() any {
		sv := &searchView{Status: 200, Total: 1, Listings: []listingCard{newListingCard(&directory.Listing{ID: 3,
			Type: directory.Offer, Title: "Drill", Category: "tools", EnterpriseHandle: "shaky", EnterpriseName: "Shaky"}, nil)}}
		return topicView{layout: lay, Topic: topic, Search: sv, FeedURL: "/topics/drills/feed.atom",
			Follow: &followBox{Actor: "drills", Name: topic.Name, Address: "@drills@t.example"}}
	}
	templateSamples["admin_topics.html"] = func() any {
		return adminTopicsView{adminPage: page, Topics: []*directory.SavedSearch{topic}, Form: form}
	}
}
