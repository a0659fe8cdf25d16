package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

func TestBlockSQLite(t *testing.T) {
	testBlock(t, tempDB(t))
}

func TestBlockPostgres(t *testing.T) {
	testBlock(t, instancetest.DSN(t, instancetest.Postgres))
}

// seedRemote stores, in the database at dsn, a partner enterprise of each
// origin and a follower of the network actor from each host.
func seedRemote(t *testing.T, dsn string, origins ...string) {
	t.Helper()
	ctx := context.Background()
	db, err := instance.OpenDatabase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC().Truncate(time.Microsecond)
	for i, o := range origins {
		e := &directory.Enterprise{Handle: "coop" + string(rune('a'+i)), Name: "Partner " + o, Kind: directory.KindWorkerCoop,
			Origin: o, RemoteID: "https://" + o + "/e/1", Sectors: []string{}, Languages: []string{}, CreatedAt: now, UpdatedAt: now}
		ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, Origin: o, At: now}
		if err := db.CreateEnterprise(ctx, e, ev); err != nil {
			t.Fatal(err)
		}
		f := &directory.Follower{Actor: directory.ActorNetwork, FollowerID: "https://" + o + "/actor",
			Inbox: "https://" + o + "/inbox", CreatedAt: now}
		if err := db.SaveFollower(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
}

func testBlock(t *testing.T, db string) {
	r := newRunner(t)
	r.env["DATABASE_URL"] = db
	if res := r.ok("block", "list"); res.stdout != "no domain is blocked\n" {
		t.Fatalf("empty list: %q", res.stdout)
	}
	seedRemote(t, db, "coop.example", "www.coop.example:8443", "evil-coop.example")

	t.Run("add blocks a domain and says what it removed", func(t *testing.T) {
		r.t = t
		res := r.ok("block", "add", "Coop.Example", "--reason", "  spam and   abuse ")
		want := "blocked coop.example\nremoved 2 enterprises, 2 followers\n"
		if res.stdout != want || res.stderr != "" {
			t.Errorf("stdout %q, stderr %q; want %q", res.stdout, res.stderr, want)
		}
		res = r.ok("block", "add", "quiet.example")
		if res.stdout != "blocked quiet.example\nremoved nothing\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
	t.Run("list shows the blocks sorted, with day and reason", func(t *testing.T) {
		r.t = t
		day := time.Now().UTC().Format(directory.DateLayout)
		res := r.ok("block", "list", "--database", db)
		want := "DOMAIN         BLOCKED     REASON\n" +
			"coop.example   " + day + "  spam and abuse\n" +
			"quiet.example  " + day + "  \n"
		if res.stdout != want {
			t.Errorf("stdout\n%s\nwant\n%s", res.stdout, want)
		}
	})
	t.Run("refuses a domain that is already blocked", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir block add: coop.example is already blocked", "block", "add", "coop.example:443")
	})
	t.Run("remove lifts a block; an unknown domain is not blocked", func(t *testing.T) {
		r.t = t
		if res := r.ok("block", "remove", "QUIET.example."); res.stdout != "unblocked quiet.example\n" {
			t.Errorf("stdout %q", res.stdout)
		}
		r.fails(ExitUsage, "coopdir block remove: quiet.example is not blocked", "block", "remove", "quiet.example")
		if res := r.ok("block", "list"); strings.Contains(res.stdout, "quiet.example") {
			t.Errorf("still listed:\n%s", res.stdout)
		}
	})

	const notDomain = ": domain: must be a domain name such as coop.example"
	long := strings.Repeat("x", directory.MaxBlockReason+1)
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"refuses an empty domain", []string{"block", "add", ""}, "coopdir block add: the domain name is missing" + notDomain},
		{"refuses a URL", []string{"block", "add", "http://x"}, "coopdir block add: not a domain name: http://x" + notDomain},
		{"refuses an empty label", []string{"block", "add", "a..b"}, "coopdir block add: not a domain name: a..b" + notDomain},
		{"refuses spaces", []string{"block", "add", "coop example"}, "coopdir block add: not a domain name: coop example" + notDomain},
		{"refuses a URL to remove", []string{"block", "remove", "https://coop.example/"},
			"coopdir block remove: not a domain name: https://coop.example/" + notDomain},
		{"refuses a long reason", []string{"block", "add", "long.example", "--reason", long},
			"coopdir block add: invalid domain block: reason: must be at most 500 characters"},
		{"needs a domain", []string{"block", "add"},
			"coopdir block add: missing argument; usage: coopdir block add DOMAIN [--reason TEXT]" + hint},
		{"takes one domain", []string{"block", "remove", "a.example", "b.example"},
			`coopdir block remove: unexpected argument "b.example"` + hint},
		{"list takes no argument", []string{"block", "list", "a.example"}, `coopdir block list: unexpected argument "a.example"` + hint},
		{"needs a subcommand", []string{"block"}, "coopdir block: block needs a subcommand: add, list or remove" + hint},
		{"refuses an unknown subcommand", []string{"block", "purge"}, `coopdir block: unknown subcommand "block purge"` + hint},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			r.fails(ExitUsage, tt.stderr, tt.args...)
		})
	}
	t.Run("bad input changes nothing", func(t *testing.T) {
		r.t = t
		res := r.ok("block", "list")
		if lines := strings.Count(res.stdout, "\n"); lines != 2 || !strings.Contains(res.stdout, "coop.example") {
			t.Errorf("blocks after bad input:\n%s", res.stdout)
		}
	})
}

func TestBlockHelp(t *testing.T) {
	r := newRunner(t)
	for _, args := range [][]string{{"help", "block"}, {"block", "-h"}} {
		res := r.ok(args...)
		if !strings.Contains(res.stdout, "Usage: coopdir block add DOMAIN") || !strings.Contains(res.stdout, "subdomains") {
			t.Errorf("%v: %q", args, res.stdout)
		}
	}
	res := r.ok("block", "add", "-h")
	if !strings.Contains(res.stdout, "-reason TEXT") || !strings.Contains(res.stdout, "DATABASE_URL") {
		t.Errorf("block add -h: %q", res.stdout)
	}
}
