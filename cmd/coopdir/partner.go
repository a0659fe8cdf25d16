package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
)

const partnerSynopsis = "coopdir partner add INSTANCE [flags] | partner list | partner share ID|HOST [flags] | partner remove|approve|reject ID|HOST"

func (a *App) partner(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErrorf("partner needs a subcommand: add, list, share, remove, approve or reject")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fs := a.newFlags("partner", partnerSynopsis,
			"Manages the partnerships with other co-op networks' instances. Once a partner's admins approve\n"+
				"our request, its enterprises and open needs and offers show in this directory; once we approve\n"+
				"theirs, ours show in theirs. The commands that send something (add, approve, reject, remove)\n"+
				"put it in the database's delivery queue: the running server (coopdir serve) sends it.\n"+
				"Run 'coopdir partner add -h' and so on for each subcommand's flags.")
		_, err := fs.parse(args, 0, 0)
		return err
	case "add":
		return a.partnerAdd(ctx, args[1:])
	case "list":
		return a.partnerList(ctx, args[1:])
	case "share":
		return a.partnerShare(ctx, args[1:])
	case "remove":
		return a.partnerAnswer(ctx, args[1:], "remove", "Ends the partnership with the network ID or HOST both ways: our request is withdrawn, theirs\n"+
			"refused, and their entries are removed from this directory.")
	case "approve":
		return a.partnerAnswer(ctx, args[1:], "approve", "Approves the request of the network ID or HOST: it receives this network's entries from now on.")
	case "reject":
		return a.partnerAnswer(ctx, args[1:], "reject", "Refuses the request of the network ID or HOST (or stops sending it our entries).")
	}
	return usageErrorf("unknown subcommand \"partner %s\"", args[0])
}

// nodeFlags are the flags of the partner commands that need a federation
// node: where the database and the secret are, and the base URL the
// server runs under (the ids of our activities are built from it).
type nodeFlags struct {
	cfg instance.Config
}

func (n *nodeFlags) define(fs *flagSet) {
	fs.databaseFlag(&n.cfg.Database)
	fs.secretFileFlag(&n.cfg.SecretFile)
	fs.stringVar(&n.cfg.BaseURL, "base-url", "COOPDIR_BASE_URL", "",
		"public `URL` this instance's server runs under, e.g. https://coop.example (required)")
	fs.boolVar(&n.cfg.AllowPrivateAddresses, "allow-private-addresses", "COOPDIR_ALLOW_PRIVATE_ADDRESSES", false,
		"let requests reach loopback, private and link-local addresses, and WebFinger fall back to http (tests and LAN installations)")
}

// check validates the flags before anything is opened.
func (n *nodeFlags) check(fs *flagSet) error {
	if err := fs.required("base-url"); err != nil {
		return usageErrorf("--base-url (or COOPDIR_BASE_URL) is required: it must be the base URL the server runs under")
	}
	n.cfg.NetworkName, n.cfg.NetworkDescription = instance.DefaultNetworkName, instance.DefaultNetworkDescription
	n.cfg.Version = version
	return usageError(n.cfg.Check())
}

// withNode opens the instance without a listener and runs fn with a Service
// acting as the instance and its federation node (not started: what it
// sends waits in the queue for the server).
func (a *App) withNode(ctx context.Context, n *nodeFlags, fn func(context.Context, *directory.Service, *federation.Node) error) error {
	log := slog.New(slog.NewTextHandler(a.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	in, err := instance.Open(ctx, n.cfg, log)
	if err != nil {
		return usageError(err)
	}
	defer in.Close()
	return fn(directory.AsSystem(ctx), in.Service(), in.Node())
}

func (a *App) partnerAdd(ctx context.Context, args []string) error {
	fs := a.newFlags("partner", "coopdir partner add INSTANCE [--kinds K1,K2] [--categories C1,C2] [--near LAT,LON --within-km N] --base-url URL",
		"Asks the network at INSTANCE (a host, host:port or URL) to partner with this one. Until its admins\n"+
			"approve, the request waits. The scope limits what is imported from it: enterprises of some kinds,\n"+
			"needs and offers of some categories, entries within N km of a point. Without it, everything.")
	var n nodeFlags
	var kinds, categories, near, within string
	fs.StringVar(&kinds, "kinds", "", "import only enterprises of these kinds (`LIST`, comma-separated, such as tool_library,time_bank)")
	fs.StringVar(&categories, "categories", "", "import only needs and offers of these categories (`LIST`, such as tools,food)")
	fs.StringVar(&near, "near", "", "centre of the area to import (`LAT,LON`, such as 43.04,-87.91); needs --within-km")
	fs.StringVar(&within, "within-km", "", "radius of the area in `KM`; needs --near")
	n.define(fs)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	if _, err := instanceArg(pos[0]); err != nil {
		return err
	}
	scope, err := scopeFlags(kinds, categories, near, within)
	if err != nil {
		return err
	}
	if err := n.check(fs); err != nil {
		return err
	}
	return a.withNode(ctx, &n, func(ctx context.Context, _ *directory.Service, node *federation.Node) error {
		p, err := node.Partners().RequestPartnership(ctx, pos[0], scope)
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "asked %s (%s), partner %d: waiting for their approval\n", p.Host, p.DisplayName(), p.ID)
		return nil
	})
}

// scopeFlags reads the scope flags of partner add.
func scopeFlags(kinds, categories, near, within string) (directory.Scope, error) {
	var sc directory.Scope
	for _, k := range commaList(kinds) {
		sc.Kinds = append(sc.Kinds, directory.Kind(k))
	}
	for _, c := range commaList(categories) {
		sc.Categories = append(sc.Categories, directory.Category(c))
	}
	switch {
	case near != "" && within == "":
		return sc, usageErrorf("--near needs --within-km")
	case near == "" && within != "":
		return sc, usageErrorf("--within-km needs --near")
	case near != "":
		lat, lon, ok := strings.Cut(near, ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if !ok || err1 != nil || err2 != nil {
			return sc, usageErrorf("--near: %q is not LAT,LON, such as 43.04,-87.91", near)
		}
		km, err := strconv.ParseFloat(strings.TrimSpace(within), 64)
		if err != nil {
			return sc, usageErrorf("--within-km: %q is not a number of kilometres", within)
		}
		sc.Center, sc.RadiusKM = &directory.Point{Lat: la, Lon: lo}, km
	}
	if err := sc.Validate(); err != nil {
		flags := map[string]string{"scope.kinds": "--kinds", "scope.categories": "--categories",
			"scope.center": "--near", "scope.radius_km": "--within-km"}
		fe := directory.ErrorFields(err)[0]
		return sc, usageErrorf("%s %s", flags[fe.Field], fe.Message)
	}
	return sc, nil
}

// commaList reads a comma-separated list, leaving out empty items.
func commaList(s string) []string {
	var out []string
	for item := range strings.SplitSeq(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// instanceArg checks the address of an instance (see
// directory.CheckInstance) and returns its host: a partner's host.
func instanceArg(raw string) (string, error) {
	host, err := directory.CheckInstance(raw)
	if err != nil {
		return "", usageErrorf("%q is not the address of an instance: give its host, such as coop.example, host:port, or a URL", raw)
	}
	return host, nil
}

// partnerRef reads the ID or HOST argument naming a partner.
func partnerRef(arg string) (id int64, host string, err error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil {
		if id <= 0 {
			return 0, "", usageErrorf("%q is not a partner's id: ids are positive numbers (see coopdir partner list)", arg)
		}
		return id, "", nil
	}
	host, err = instanceArg(arg)
	return 0, host, err
}

// findPartner returns the partner with id, or with host when id is 0.
func findPartner(ctx context.Context, svc *directory.Service, id int64, host string) (*directory.Partner, error) {
	if id > 0 {
		p, err := svc.Partner(ctx, id)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return nil, inputErrorf("no partner network has the id %d (see coopdir partner list)", id)
		}
		return p, err
	}
	ps, err := svc.Partners(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.Host == host {
			return p, nil
		}
	}
	return nil, inputErrorf("no partner network has the host %s (see coopdir partner list)", host)
}

// partnerAnswer runs partner remove, approve or reject.
func (a *App) partnerAnswer(ctx context.Context, args []string, verb, about string) error {
	fs := a.newFlags("partner", "coopdir partner "+verb+" ID|HOST --base-url URL", about)
	var n nodeFlags
	n.define(fs)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	id, host, err := partnerRef(pos[0])
	if err != nil {
		return err
	}
	if err := n.check(fs); err != nil {
		return err
	}
	return a.withNode(ctx, &n, func(ctx context.Context, svc *directory.Service, node *federation.Node) error {
		p, err := findPartner(ctx, svc, id, host)
		if err != nil {
			return err
		}
		switch verb {
		case "remove":
			if err := node.Partners().EndPartnership(ctx, p.ID); err != nil {
				return err
			}
			fmt.Fprintf(a.Stdout, "ended the partnership with %s (%s); its entries were removed\n", p.Host, p.DisplayName())
			return nil
		case "approve":
			p, err = node.Partners().ApprovePartner(ctx, p.ID)
		default:
			p, err = node.Partners().RejectPartner(ctx, p.ID)
		}
		if err != nil {
			return err
		}
		done := map[string]string{"approve": "approved", "reject": "rejected"}[verb]
		fmt.Fprintf(a.Stdout, "%s %s (%s): their request is %s\n", done, p.Host, p.DisplayName(), p.Incoming)
		return nil
	})
}

// partnerShare runs partner share: it sets what a partner may read of
// this directory (its export scope).
func (a *App) partnerShare(ctx context.Context, args []string) error {
	fs := a.newFlags("partner", "coopdir partner share ID|HOST [--kinds K1,K2] [--categories C1,C2] [--near LAT,LON --within-km N]",
		"Sets what the network ID or HOST may read of this directory: the pages of it we serve that network\n"+
			"and the changes we send it hold only enterprises of some kinds (with their needs, offers and\n"+
			"announcements), needs and offers of some categories, entries within N km of a point. Without\n"+
			"flags, everything. Copies it holds already of what the new limit leaves out go at its next full\n"+
			"read of this directory (daily, or when it changes what it imports).")
	var dsn, kinds, categories, near, within string
	fs.databaseFlag(&dsn)
	fs.StringVar(&kinds, "kinds", "", "share only enterprises of these kinds (`LIST`, comma-separated, such as tool_library,time_bank)")
	fs.StringVar(&categories, "categories", "", "share only needs and offers of these categories (`LIST`, such as tools,food)")
	fs.StringVar(&near, "near", "", "centre of the area to share (`LAT,LON`, such as 43.04,-87.91); needs --within-km")
	fs.StringVar(&within, "within-km", "", "radius of the area in `KM`; needs --near")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	id, host, err := partnerRef(pos[0])
	if err != nil {
		return err
	}
	scope, err := scopeFlags(kinds, categories, near, within)
	if err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		p, err := findPartner(ctx, svc, id, host)
		if err != nil {
			return err
		}
		if p, err = svc.SetPartnerExportScope(ctx, p.ID, scope); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "%s (%s) may read: %s\n", p.Host, p.DisplayName(), scopeSummary(p.ExportScope))
		return nil
	})
}

// scopeSummary says in one line what a scope lets through.
func scopeSummary(sc directory.Scope) string {
	if sc.IsEmpty() {
		return "everything"
	}
	var parts []string
	if len(sc.Kinds) > 0 {
		kinds := make([]string, len(sc.Kinds))
		for i, k := range sc.Kinds {
			kinds[i] = string(k)
		}
		parts = append(parts, "kinds "+strings.Join(kinds, ","))
	}
	if len(sc.Categories) > 0 {
		cats := make([]string, len(sc.Categories))
		for i, c := range sc.Categories {
			cats[i] = string(c)
		}
		parts = append(parts, "categories "+strings.Join(cats, ","))
	}
	if sc.Center != nil {
		parts = append(parts, fmt.Sprintf("within %g km of %g,%g", sc.RadiusKM, sc.Center.Lat, sc.Center.Lon))
	}
	return strings.Join(parts, "; ")
}

func (a *App) partnerList(ctx context.Context, args []string) error {
	fs := a.newFlags("partner", "coopdir partner list",
		"Lists the partner networks by host: our request to each (ours), theirs to us (theirs), whether\n"+
			"both are active (mutual) and how many of their entries were imported.")
	var dsn string
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		ps, err := svc.Partners(ctx)
		if err != nil {
			return err
		}
		printPartners(a.Stdout, ps)
		return nil
	})
}

// printPartners writes ps as a table, or says there are none.
func printPartners(w io.Writer, ps []*directory.Partner) {
	if len(ps) == 0 {
		fmt.Fprintln(w, "no partner networks")
		return
	}
	state := func(s directory.PartnerState) string {
		if s == directory.PartnerNone {
			return "-"
		}
		return string(s)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHOST\tNAME\tOURS\tTHEIRS\tMUTUAL\tIMPORTED")
	for _, p := range ps {
		mutual := "no"
		if p.Mutual() {
			mutual = "yes"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%d\n", p.ID, p.Host, oneLine(p.DisplayName()), state(p.Outgoing), state(p.Incoming),
			mutual, p.Backfill.Imported)
	}
	tw.Flush()
}
