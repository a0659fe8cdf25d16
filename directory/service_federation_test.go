package directory_test

import (
	"context"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestActorUpdated(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	before := lastEvent(t, svc)

	t.Run("records an actor.updated event for the instance and admins", func(t *testing.T) {
		must(t, svc.ActorUpdated(sys, directory.EnterpriseActorKey("flora")))
		admin := asUser(t, svc, "admin@coop.example", directory.RoleAdmin, "")
		must(t, svc.ActorUpdated(admin, directory.ActorNetwork))
		evs, err := directory.StoreOf(svc).EventsAfter(sys, before, 10)
		must(t, err)
		var actors []string
		for _, ev := range evs {
			if ev.Type == directory.EventActorUpdated {
				actors = append(actors, ev.Actor)
			}
		}
		if want := []string{directory.EnterpriseActorKey("flora"), directory.ActorNetwork}; !slices.Equal(actors, want) {
			t.Errorf("actor.updated events for %v, want %v", actors, want)
		}
	})
	t.Run("refuses editors, visitors and a missing actor, recording nothing", func(t *testing.T) {
		mark := lastEvent(t, svc)
		editor := asUser(t, svc, "ed@flora.example", directory.RoleEditor, "flora")
		wantCode(t, svc.ActorUpdated(editor, directory.ActorNetwork), directory.EFORBIDDEN)
		wantCode(t, svc.ActorUpdated(context.Background(), directory.ActorNetwork), directory.EUNAUTHORIZED)
		wantCode(t, svc.ActorUpdated(sys, ""), directory.EINVALID)
		if got := lastEvent(t, svc); got != mark {
			t.Errorf("a refused call recorded event %d", got)
		}
	})
}
