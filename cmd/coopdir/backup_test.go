package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

func TestBackup(t *testing.T) {
	r := newRunner(t)
	src := tempDB(t)
	loadSample(t, r, src)
	t.Run("copies a database that is being written to", func(t *testing.T) {
		ctx := directory.AsSystem(context.Background())
		db, err := instance.OpenDatabase(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		svc := newService(db)
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		writes := 0
		go func() { // a running instance's writes
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if err := svc.CreateAnnouncement(ctx, "shakyhands", &directory.Announcement{Content: "busy"}); err != nil {
					t.Error(err)
					return
				}
				writes++
			}
		}()
		dest := filepath.Join(t.TempDir(), "backup.db")
		r.ok("backup", "--database", src, dest)
		close(stop)
		wg.Wait()
		if writes == 0 {
			t.Fatal("nothing was written during the backup")
		}
		copyDB, err := sql.Open("sqlite", dest)
		if err != nil {
			t.Fatal(err)
		}
		defer copyDB.Close()
		var check string
		if err := copyDB.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Fatalf("integrity check: %q, %v", check, err)
		}
		exported := r.ok("export", "--database", "sqlite:"+dest).stdout
		if !strings.Contains(exported, `"handle": "shakyhands"`) || !strings.Contains(exported, `"listings": [`) {
			t.Errorf("the backup lacks the directory:\n%s", exported)
		}
		t.Run("and not over an existing file", func(t *testing.T) {
			r.fails(2, "coopdir backup: "+dest+" exists: the backup goes into a new file", "backup", "--database", src, dest)
		})
	})
	t.Run("points PostgreSQL to pg_dump", func(t *testing.T) {
		res := r.run("backup", "--database", "postgres://coopdir@localhost/coopdir", filepath.Join(t.TempDir(), "x"))
		if res.code != 2 || !strings.Contains(res.stderr, "pg_dump") || !strings.Contains(res.stderr, "pg_restore") {
			t.Errorf("exit %d, stderr %q", res.code, res.stderr)
		}
	})
}
