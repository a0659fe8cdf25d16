package main

import (
	"context"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// What the backfill benchmark measures beside the total time: where the
// time went (the partner's handlers, the backfilling instance's store), the
// process's CPU time and how busy the machine was.

// storeTimes is the time the backfilling instance spent in its store:
// importing pages, reading and saving the partner (its position), and the
// sweep that ends a run.
type storeTimes struct {
	importing, partner, sweep time.Duration
}

// timedStore times the store calls a backfill makes.
type timedStore struct {
	directory.Store
	mu sync.Mutex
	t  storeTimes
}

// add adds the time since start to *d.
func (s *timedStore) add(d *time.Duration, start time.Time) {
	s.mu.Lock()
	*d += time.Since(start)
	s.mu.Unlock()
}

// ImportRemote imports a page and times it.
func (s *timedStore) ImportRemote(ctx context.Context, origin string, es []*directory.Enterprise, ls []*directory.Listing) (directory.RemoteImport, error) {
	defer s.add(&s.t.importing, time.Now())
	return s.Store.ImportRemote(ctx, origin, es, ls)
}

// FindPartner reads the partner and times it.
func (s *timedStore) FindPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	defer s.add(&s.t.partner, time.Now())
	return s.Store.FindPartner(ctx, id)
}

// UpdatePartner saves the partner and times it.
func (s *timedStore) UpdatePartner(ctx context.Context, p *directory.Partner) error {
	defer s.add(&s.t.partner, time.Now())
	return s.Store.UpdatePartner(ctx, p)
}

// ChangePartner changes the partner (a backfill saves its position so)
// and times it.
func (s *timedStore) ChangePartner(ctx context.Context, id int64, change func(*directory.Partner) error) (*directory.Partner, error) {
	defer s.add(&s.t.partner, time.Now())
	return s.Store.ChangePartner(ctx, id, change)
}

// SweepOrigin sweeps the partner's copies at the end of a run and times it.
func (s *timedStore) SweepOrigin(ctx context.Context, origin string, set directory.SweepSet) (*directory.DomainPurge, error) {
	defer s.add(&s.t.sweep, time.Now())
	return s.Store.SweepOrigin(ctx, origin, set)
}

// countingWriter counts the body bytes written.
type countingWriter struct {
	http.ResponseWriter
	n atomic.Int64
}

// Write writes b and counts it.
func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's load average over the last minute, or "?"
// where /proc does not tell.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
