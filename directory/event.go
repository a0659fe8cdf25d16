package directory

import "time"

// EventType names a change to the directory.
type EventType string

// Domain events, written in the same transaction as the change they record.
// Federation publishes from them, so nothing is lost between write and publish.
const (
	EventEnterpriseCreated   EventType = "enterprise.created"
	EventEnterpriseUpdated   EventType = "enterprise.updated"
	EventEnterpriseDeleted   EventType = "enterprise.deleted"
	EventListingCreated      EventType = "listing.created"
	EventListingUpdated      EventType = "listing.updated"
	EventListingDeleted      EventType = "listing.deleted"
	EventAnnouncementCreated EventType = "announcement.created"
	EventAnnouncementUpdated EventType = "announcement.updated"
	EventAnnouncementDeleted EventType = "announcement.deleted"
	// EventActorUpdated records a change to an actor that no directory
	// entry shows, such as a new signing key; Actor names it.
	EventActorUpdated EventType = "actor.updated"
	// EventSavedSearchDeleted records the deletion of a saved search;
	// Actor is its SavedSearchActorKey.
	EventSavedSearchDeleted EventType = "topic.deleted"
)

// Event is one recorded change. The subject is named by the enterprise handle
// and, for listings and announcements, their id; the store fills ids assigned
// by the insert. Events of remote (partner) entries are recorded too, with
// their Origin, so that consumers can tell them apart.
type Event struct {
	ID               int64     `json:"id"`
	Type             EventType `json:"type"`
	EnterpriseHandle string    `json:"enterprise"`
	ListingID        int64     `json:"listing_id,omitempty"`
	AnnouncementID   int64     `json:"announcement_id,omitempty"`
	Origin           string    `json:"origin,omitempty"`
	Actor            string    `json:"actor,omitempty"` // for EventActorUpdated: see ActorKey.Actor
	At               time.Time `json:"at"`
}
