package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopdir/coopdir/directory"
	node "github.com/coopdir/coopdir/instance"
)

// The fan-out memory benchmark (-fanout-memory BIN) measures the memory of
// a real `coopdir serve` process, started from BIN with its default
// settings, while it fans one announcement out to the followers of one
// enterprise on the fleet of fake servers (the delivery benchmark's sizes:
// 10,000 followers on 1,000 hosts): the process's peak resident set (VmHWM)
// against the 400 MB that issue 13 allows. The fleet runs in this process,
// so it does not count. It runs on SQLite, and on PostgreSQL when
// DATABASE_URL is set.

// fanoutMemResult is one engine's run.
type fanoutMemResult struct {
	engine      string
	idle, peak  int64 // resident bytes before the announcement, and the most during the run
	elapsed     time.Duration
	inboxes     int
	followers   int
	hosts       int
	announceErr error
}

// benchFanoutMemory runs the fan-out memory benchmark on each engine and
// prints its table.
func benchFanoutMemory(ctx context.Context, c config, bin string) error {
	dir, err := os.MkdirTemp("", "coopdir-fanoutmem-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	dsns := [][2]string{{"sqlite", "sqlite:" + filepath.Join(dir, "coopdir.db")}}
	if main := os.Getenv("DATABASE_URL"); main != "" {
		dsn, err := sideDSN(c, main, "fanoutmem")
		if err != nil {
			return err
		}
		if err := dropDatabase(ctx, dsn); err != nil {
			return err
		}
		if err := createDatabase(ctx, dsn, ""); err != nil {
			return err
		}
		defer dropDatabase(context.WithoutCancel(ctx), dsn) //nolint:errcheck // best effort
		dsns = append(dsns, [2]string{"postgres", dsn})
	}
	var results []fanoutMemResult
	for _, e := range dsns {
		r, err := fanoutMemory(ctx, c, bin, dir, e[0], e[1])
		if err != nil {
			return fmt.Errorf("%s: %w", e[0], err)
		}
		log.Printf("fan-out memory %s: idle %d MB, peak %d MB, %d inboxes in %v", r.engine, r.idle/1_000_000, r.peak/1_000_000,
			r.inboxes, r.elapsed.Round(time.Millisecond))
		results = append(results, r)
	}
	printFanoutMemTable(os.Stdout, c, results)
	return nil
}

// fanoutMemory prepares the database at dsn (an admin, an enterprise and
// its followers on a new fleet), starts serve over it and posts an
// announcement through the API, then waits until every inbox has it.
func fanoutMemory(ctx context.Context, c config, bin, dir, engine, dsn string) (fanoutMemResult, error) {
	d := c.delivery
	res := fanoutMemResult{engine: engine, followers: d.followers, hosts: d.hosts}
	f, err := newFleet(kinds(d.hosts, 0, 0), d.latency)
	if err != nil {
		return res, err
	}
	defer f.close()
	const handle = "shakyhands"
	token, err := prepareFanoutDatabase(ctx, bin, dir, dsn, handle)
	if err != nil {
		return res, err
	}
	db, err := node.OpenDatabase(ctx, dsn)
	if err != nil {
		return res, err
	}
	err = seedFollowers(ctx, db, f, directory.EnterpriseActorKey(handle), d.followers)
	db.Close()
	if err != nil {
		return res, err
	}
	res.inboxes = min(d.hosts, d.followers)
	var remaining atomic.Int64
	remaining.Store(int64(res.inboxes))
	done := make(chan struct{})
	var doneAt time.Time
	var once sync.Once
	f.onPost = func(_ *fakeHost, path string, _ []byte, n int) {
		if path == "/inbox" && n == 1 && remaining.Add(-1) == 0 {
			once.Do(func() { doneAt = time.Now(); close(done) })
		}
	}
	addr, err := freeAddr()
	if err != nil {
		return res, err
	}
	var logs bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "serve", "--listen", addr, "--database", dsn, "--allow-private-addresses",
		"--secret-file", filepath.Join(dir, engine+".secret"), "--log-level", "warn")
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return res, err
	}
	defer stopServe(cmd)
	base := "http://" + addr
	if err := waitServing(ctx, base); err != nil {
		return res, fmt.Errorf("%w; serve said: %s", err, logs.String())
	}
	if res.idle, err = procStatus(cmd.Process.Pid, "VmRSS"); err != nil {
		return res, err
	}
	start := time.Now()
	if err := postAnnouncement(ctx, base, token, handle); err != nil {
		return res, err
	}
	select {
	case <-done:
	case <-time.After(d.deadline):
		return res, fmt.Errorf("%d of %d inboxes still without the announcement after %v; serve said: %s",
			remaining.Load(), res.inboxes, d.deadline, logs.String())
	}
	res.elapsed = doneAt.Sub(start)
	if res.peak, err = procStatus(cmd.Process.Pid, "VmHWM"); err != nil {
		return res, err
	}
	return res, nil
}

// prepareFanoutDatabase migrates the database and adds one enterprise and
// an admin, with the binary's own subcommands, and returns an API token
// of the admin.
func prepareFanoutDatabase(ctx context.Context, bin, dir, dsn, handle string) (string, error) {
	file := filepath.Join(dir, "enterprise.json")
	data, err := json.Marshal([]map[string]string{{"handle": handle, "name": "Shaky Hands Printing", "kind": "worker_coop"}})
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return "", err
	}
	var out []byte
	for _, args := range [][]string{
		{"migrate", "--database", dsn},
		{"import", "--database", dsn, file},
		{"user", "add", "--email", logoAdmin, "--name", "Bench", "--role", "admin", "--password-stdin", "--database", dsn},
		{"token", "create", "--user", logoAdmin, "--name", "bench", "--database", dsn},
	} {
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Stdin = strings.NewReader(logoPassword + "\n")
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if out, err = cmd.Output(); err != nil {
			return "", fmt.Errorf("coopdir %s: %w: %s%s", args[0], err, out, stderr.String())
		}
	}
	return strings.TrimSpace(string(out)), nil
}

// waitServing polls base until it answers, for at most a minute.
func waitServing(ctx context.Context, base string) error {
	return poll(ctx, time.Minute, func() (bool, error) {
		resp, err := http.Get(base + "/")
		if err != nil {
			return false, nil
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK, nil
	})
}

// postAnnouncement posts an announcement of handle through the API.
func postAnnouncement(ctx context.Context, base, token, handle string) error {
	body := `{"content": "General assembly on Thursday: every member's voice counts."}`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/enterprises/"+handle+"/announcements",
		strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusCreated {
		return fmt.Errorf("announcement: %s: %s", resp.Status, msg)
	}
	return nil
}

// printFanoutMemTable prints the fan-out memory table.
func printFanoutMemTable(w io.Writer, c config, rs []fanoutMemResult) {
	fmt.Fprintf(w, "\n### Memory during a fan-out\n\n")
	fmt.Fprintf(w, "`coopdir serve` (default settings, its own process) fans one announcement out to %d followers "+
		"on %d fake servers on loopback (answering after %v); its peak resident memory (VmHWM) against the "+
		"%d MB limit.\n\n", c.delivery.followers, c.delivery.hosts, c.delivery.latency, logoRSSLimit/1_000_000)
	fmt.Fprintln(w, "| engine | inboxes | time | resident before | peak resident | limit | met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|")
	for _, r := range rs {
		met := yesNo(r.peak <= logoRSSLimit)
		if !c.delivery.atGoalSizes() {
			met = ""
		}
		fmt.Fprintf(w, "| %s | %d | %s | %d MB | %d MB | %d MB | %s |\n", r.engine, r.inboxes, secs(r.elapsed),
			r.idle/1_000_000, r.peak/1_000_000, logoRSSLimit/1_000_000, met)
	}
}
