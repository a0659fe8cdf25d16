package federation

import (
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// TestHostBookKeepsTheLatestFailure: two deliveries to a failing host end
// at once; the one whose failure paused the host must not be overwritten
// in the book by the other's earlier record, or a waiting delivery reads
// "not paused" and connects once more (TestDeliveryHosts saw 5
// connections to a black hole where 4 are allowed, under load).
func TestHostBookKeepsTheLatestFailure(t *testing.T) {
	now := time.Date(2026, 12, 8, 12, 0, 0, 0, time.UTC)
	first := now.Add(-time.Minute)
	paused := &directory.DeliveryHost{Host: "hole.example", Failures: 3, FirstFailure: first, LastFailure: now, Pauses: 1, PausedUntil: now.Add(time.Hour)}
	earlier := &directory.DeliveryHost{Host: "hole.example", Failures: 2, FirstFailure: first, LastFailure: now.Add(-time.Second)}
	var b hostBook
	b.put(paused, now)
	b.put(earlier, now.Add(time.Millisecond))
	got, ok := b.get("hole.example", now.Add(2*time.Millisecond))
	if !ok || got.Failures != 3 || !got.PausedUntil.Equal(paused.PausedUntil) {
		t.Fatalf("book holds %+v (ok %v), want the paused record", got, ok)
	}

	t.Run("a new run of failures or a recovery replaces it", func(t *testing.T) {
		recovered := &directory.DeliveryHost{Host: "hole.example"}
		b.put(recovered, now.Add(3*time.Millisecond))
		if got, _ := b.get("hole.example", now.Add(4*time.Millisecond)); got.Failures != 0 || !got.PausedUntil.IsZero() {
			t.Errorf("after an answer the book holds %+v", got)
		}
		again := &directory.DeliveryHost{Host: "hole.example", Failures: 1, FirstFailure: now, LastFailure: now}
		b.put(paused, now.Add(5*time.Millisecond))
		b.put(again, now.Add(6*time.Millisecond))
		if got, _ := b.get("hole.example", now.Add(7*time.Millisecond)); got.Failures != 1 || !got.FirstFailure.Equal(now) {
			t.Errorf("a new run: the book holds %+v", got)
		}
	})
}
