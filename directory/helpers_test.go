package directory_test

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := directory.ErrorCode(err); got != code {
		t.Fatalf("error = %v (%q), want %q", err, got, code)
	}
}

// wantFields fails unless err is EINVALID naming exactly these fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	wantCode(t, err, directory.EINVALID)
	var got []string
	for _, f := range directory.ErrorFields(err) {
		if !slices.Contains(got, f.Field) {
			got = append(got, f.Field)
		}
	}
	slices.Sort(got)
	fields = slices.Clone(fields)
	slices.Sort(fields)
	if !slices.Equal(got, fields) {
		t.Fatalf("fields = %v (%v), want %v", got, err, fields)
	}
}

// eventsSince returns the types of the events recorded after id.
func eventsSince(t *testing.T, svc *directory.Service, id int64) []directory.EventType {
	t.Helper()
	evs, err := directory.StoreOf(svc).EventsAfter(sys, id, 1000)
	must(t, err)
	var types []directory.EventType
	for _, ev := range evs {
		types = append(types, ev.Type)
	}
	return types
}

// lastEvent returns the id of the newest event, 0 when there is none.
func lastEvent(t *testing.T, svc *directory.Service) int64 {
	t.Helper()
	evs, err := directory.StoreOf(svc).EventsAfter(sys, 0, 100000)
	must(t, err)
	if len(evs) == 0 {
		return 0
	}
	return evs[len(evs)-1].ID
}
