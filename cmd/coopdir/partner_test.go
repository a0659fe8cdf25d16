package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// seedPartners stores partnerships in the database at dsn, as federation
// would have.
func seedPartners(t *testing.T, dsn string, ps ...*directory.Partner) {
	t.Helper()
	ctx := context.Background()
	db, err := openDB(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Now().UTC().Truncate(time.Microsecond)
	for _, p := range ps {
		p.ActorID, p.Inbox, p.CreatedAt, p.UpdatedAt = "https://"+p.Host+"/actor", "https://"+p.Host+"/inbox", now, now
		if err := db.CreatePartner(ctx, p); err != nil {
			t.Fatal(err)
		}
		// Its instance actor, as fetched when it asked: answering needs no request.
		a := &directory.RemoteActor{ID: p.ActorID, Type: "Application", Username: "instance", Inbox: p.Inbox,
			KeyID: p.ActorID + "#main-key", PublicKeyPEM: "-", Peer: true, FetchedAt: now}
		if err := db.SaveRemoteActor(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
}

func TestPartnerList(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	t.Run("says there are none in a new database", func(t *testing.T) {
		r.t = t
		if res := r.ok("partner", "list"); res.stdout != "no partner networks\n" || res.stderr != "" {
			t.Fatalf("stdout %q, stderr %q", res.stdout, res.stderr)
		}
	})
	t.Run("lists them by host with both states", func(t *testing.T) {
		r.t = t
		seedPartners(t, db,
			&directory.Partner{Host: "jackson.example", Name: "Cooperation  Jackson", Outgoing: directory.PartnerActive,
				Incoming: directory.PartnerActive, Backfill: directory.Backfill{Imported: 1200}},
			&directory.Partner{Host: "chi.example:8443", Incoming: directory.PartnerPending})
		want := "ID  HOST              NAME                 OURS    THEIRS   MUTUAL  IMPORTED\n" +
			"2   chi.example:8443  chi.example:8443     -       pending  no      0\n" +
			"1   jackson.example   Cooperation Jackson  active  active   yes     1200\n"
		if res := r.ok("partner", "list", "--database", db); res.stdout != want {
			t.Errorf("stdout\n%s\nwant\n%s", res.stdout, want)
		}
	})
}

func TestPartnerCommands(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	r.env["COOPDIR_BASE_URL"] = "http://localhost:8080"
	seedPartners(t, db, &directory.Partner{Host: "milwaukee.example", Name: "Cooperation Milwaukee",
		Incoming: directory.PartnerPending, IncomingFollowID: "https://milwaukee.example/follows/1"})

	t.Run("approve by host answers their request", func(t *testing.T) {
		r.t = t
		res := r.ok("partner", "approve", "https://Milwaukee.example/")
		if res.stdout != "approved milwaukee.example (Cooperation Milwaukee): their request is active\n" {
			t.Errorf("stdout %q", res.stdout)
		}
		if res := r.ok("partner", "list"); !strings.Contains(res.stdout, "Cooperation Milwaukee  -     active  no") {
			t.Errorf("list:\n%s", res.stdout)
		}
	})
	t.Run("reject by id refuses it", func(t *testing.T) {
		r.t = t
		if res := r.ok("partner", "reject", "1"); res.stdout != "rejected milwaukee.example (Cooperation Milwaukee): their request is rejected\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
	t.Run("unknown partners and instances that cannot be reached are refused", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir partner approve: no partner network has the id 99 (see coopdir partner list)", "partner", "approve", "99")
		r.fails(ExitUsage, "coopdir partner remove: no partner network has the host nobody.example (see coopdir partner list)",
			"partner", "remove", "nobody.example")
		res := r.run("partner", "add", "127.0.0.1:9")
		if res.code != ExitUsage || !strings.HasPrefix(res.stderr, "coopdir partner add: ") {
			t.Errorf("add of a private address: exit %d, %q", res.code, res.stderr)
		}
	})
	t.Run("remove ends the partnership", func(t *testing.T) {
		r.t = t
		if res := r.ok("partner", "remove", "milwaukee.example"); !strings.HasPrefix(res.stdout, "ended the partnership with milwaukee.example") {
			t.Errorf("stdout %q", res.stdout)
		}
		if res := r.ok("partner", "list"); res.stdout != "no partner networks\n" {
			t.Errorf("list:\n%s", res.stdout)
		}
	})
}

func TestPartnerUsageErrors(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	const base = "--base-url=http://localhost:8080"
	const notInstance = " is not the address of an instance: give its host, such as coop.example, host:port, or a URL" + hint
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"needs a subcommand", []string{"partner"}, "coopdir partner: partner needs a subcommand: add, list, share, remove, approve or reject" + hint},
		{"refuses an unknown subcommand", []string{"partner", "invite"}, `coopdir partner: unknown subcommand "partner invite"` + hint},
		{"add needs an instance", []string{"partner", "add", base},
			"coopdir partner add: missing argument; usage: coopdir partner add INSTANCE [--kinds K1,K2] [--categories C1,C2] [--near LAT,LON --within-km N] --base-url URL" + hint},
		{"add takes one instance", []string{"partner", "add", "a.example", "b.example", base}, `coopdir partner add: unexpected argument "b.example"` + hint},
		{"add refuses spaces", []string{"partner", "add", "coop example", base}, `coopdir partner add: "coop example"` + notInstance},
		{"add refuses another scheme", []string{"partner", "add", "ftp://coop.example", base}, `coopdir partner add: "ftp://coop.example"` + notInstance},
		{"add refuses an account", []string{"partner", "add", "name@coop.example", base}, `coopdir partner add: "name@coop.example"` + notInstance},
		{"add refuses a bad port", []string{"partner", "add", "coop.example:99999", base}, `coopdir partner add: "coop.example:99999"` + notInstance},
		{"add refuses an empty label", []string{"partner", "add", "a..b", base}, `coopdir partner add: "a..b"` + notInstance},
		{"add refuses an unknown kind", []string{"partner", "add", "a.example", "--kinds", "tool_library,castle", base},
			"coopdir partner add: --kinds must be one of worker_coop, consumer_coop, producer_coop, housing_coop, multi_stakeholder_coop, " +
				"credit_union, land_trust, mutual_aid, time_bank, tool_library, community_network, union, food_sovereignty, assembly, other" + hint},
		{"add refuses an unknown category", []string{"partner", "add", "a.example", "--categories", "gold", base},
			"coopdir partner add: --categories must be one of food, housing, goods, tools, skills, labor, space, transport, money, care, health, legal, tech, other" + hint},
		{"add needs --within-km with --near", []string{"partner", "add", "a.example", "--near", "43,-87", base}, "coopdir partner add: --near needs --within-km" + hint},
		{"add needs --near with --within-km", []string{"partner", "add", "a.example", "--within-km", "5", base}, "coopdir partner add: --within-km needs --near" + hint},
		{"add refuses a point that is not one", []string{"partner", "add", "a.example", "--near", "north", "--within-km", "5", base},
			`coopdir partner add: --near: "north" is not LAT,LON, such as 43.04,-87.91` + hint},
		{"add refuses a radius that is no number", []string{"partner", "add", "a.example", "--near", "43,-87", "--within-km", "far", base},
			`coopdir partner add: --within-km: "far" is not a number of kilometres` + hint},
		{"add refuses a point out of range", []string{"partner", "add", "a.example", "--near", "91,0", "--within-km", "5", base},
			"coopdir partner add: --near must be a latitude between -90 and 90 and a longitude between -180 and 180" + hint},
		{"add refuses a radius too large", []string{"partner", "add", "a.example", "--near", "43,-87", "--within-km", "20001", base},
			"coopdir partner add: --within-km must be more than 0 and at most 20000 km" + hint},
		{"add needs the base URL", []string{"partner", "add", "a.example"},
			"coopdir partner add: --base-url (or COOPDIR_BASE_URL) is required: it must be the base URL the server runs under" + hint},
		{"approve needs the base URL", []string{"partner", "approve", "1"},
			"coopdir partner approve: --base-url (or COOPDIR_BASE_URL) is required: it must be the base URL the server runs under" + hint},
		{"add refuses a base URL with a path", []string{"partner", "add", "a.example", "--base-url", "https://coop.example/dir"},
			`coopdir partner add: --base-url: "https://coop.example/dir" is not an absolute http or https URL without a path, e.g. https://coop.example` + hint},
		{"approve needs an id or host", []string{"partner", "approve", base}, "coopdir partner approve: missing argument; usage: coopdir partner approve ID|HOST --base-url URL" + hint},
		{"reject refuses an id that is not positive", []string{"partner", "reject", "0", base},
			`coopdir partner reject: "0" is not a partner's id: ids are positive numbers (see coopdir partner list)` + hint},
		{"remove refuses a host that is not one", []string{"partner", "remove", "a b", base}, `coopdir partner remove: "a b"` + notInstance},
		{"list takes no argument", []string{"partner", "list", "a.example"}, `coopdir partner list: unexpected argument "a.example"` + hint},
		{"list refuses a bad database", []string{"partner", "list", "--database", "mysql://db/coop"},
			`coopdir partner list: --database: bad database address: "mysql://db/coop" is not a database address; ` +
				"use postgres://… (or postgresql://…) for PostgreSQL or sqlite:PATH for SQLite" + hint},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			r.fails(ExitUsage, tt.stderr, tt.args...)
		})
	}
	t.Run("bad input changes nothing", func(t *testing.T) {
		r.t = t
		if res := r.ok("partner", "list"); res.stdout != "no partner networks\n" {
			t.Errorf("list:\n%s", res.stdout)
		}
	})
}

func TestPartnerHelp(t *testing.T) {
	r := newRunner(t)
	for _, args := range [][]string{{"help", "partner"}, {"partner", "-h"}} {
		if res := r.ok(args...); !strings.Contains(res.stdout, "Usage: coopdir partner add INSTANCE") || !strings.Contains(res.stdout, "delivery queue") {
			t.Errorf("%v: %q", args, res.stdout)
		}
	}
	for _, sub := range []string{"add", "approve", "reject", "remove"} {
		res := r.ok("partner", sub, "-h")
		if !strings.Contains(res.stdout, "-base-url URL") || !strings.Contains(res.stdout, "COOPDIR_BASE_URL") || !strings.Contains(res.stdout, "-allow-private-addresses") {
			t.Errorf("partner %s -h: %q", sub, res.stdout)
		}
	}
	if res := r.ok("partner", "add", "-h"); !strings.Contains(res.stdout, "-within-km KM") {
		t.Errorf("partner add -h: %q", res.stdout)
	}
}

func TestPartnerShare(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	seedPartners(t, db, &directory.Partner{Host: "jackson.example", Name: "Cooperation Jackson",
		Incoming: directory.PartnerActive})
	exportScope := func() directory.Scope {
		t.Helper()
		db, err := openDB(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		p, err := db.FindPartnerByHost(context.Background(), "jackson.example")
		if err != nil {
			t.Fatal(err)
		}
		return p.ExportScope
	}

	t.Run("limits what the partner may read", func(t *testing.T) {
		r.t = t
		res := r.ok("partner", "share", "jackson.example", "--kinds", "tool_library", "--categories", "tools",
			"--near", "43.04,-87.91", "--within-km", "50")
		if res.stdout != "jackson.example (Cooperation Jackson) may read: kinds tool_library; categories tools; within 50 km of 43.04,-87.91\n" {
			t.Errorf("stdout %q", res.stdout)
		}
		sc := exportScope()
		if len(sc.Kinds) != 1 || sc.Kinds[0] != directory.KindToolLibrary || sc.Center == nil || sc.RadiusKM != 50 {
			t.Errorf("stored export scope: %+v", sc)
		}
	})
	t.Run("a bad limit exits 2 and changes nothing", func(t *testing.T) {
		r.t = t
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"1", "--kinds", "castle"}, "--kinds must be one of"},
			{[]string{"1", "--near", "43,-87"}, "--near needs --within-km"},
			{[]string{"nobody.example"}, "no partner network has the host nobody.example"},
		} {
			res := r.run(append([]string{"partner", "share"}, c.args...)...)
			if res.code != 2 || !strings.Contains(res.stderr, c.want) {
				t.Errorf("partner share %v: exit %d, stderr %q, want 2 and %q", c.args, res.code, res.stderr, c.want)
			}
		}
		if sc := exportScope(); len(sc.Kinds) != 1 {
			t.Errorf("export scope after refusals: %+v", sc)
		}
	})
	t.Run("without flags, everything", func(t *testing.T) {
		r.t = t
		if res := r.ok("partner", "share", "1"); res.stdout != "jackson.example (Cooperation Jackson) may read: everything\n" {
			t.Errorf("stdout %q", res.stdout)
		}
		if sc := exportScope(); !sc.IsEmpty() {
			t.Errorf("export scope: %+v", sc)
		}
	})
}
