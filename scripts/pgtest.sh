#!/usr/bin/env bash
# pgtest.sh runs a throwaway PostgreSQL cluster for tests: its own data
# directory under /tmp, a free port on 127.0.0.1, trust authentication and no
# durability (fsync off), removed again when done. It never touches a cluster
# the machine already has.
#
#   scripts/pgtest.sh run -- go test ./directory/postgres/
#       starts a cluster, runs the command with DATABASE_URL exported, always
#       stops the cluster, and exits with the command's status.
#   eval "$(scripts/pgtest.sh start)"
#       starts a cluster and prints export lines for DATABASE_URL and PGTEST_DIR.
#   scripts/pgtest.sh stop [DIR]
#       stops the cluster of DIR (default: $PGTEST_DIR) and removes DIR.
#
# PostgreSQL's server programs are looked up in $PG_BINDIR, then the newest
# /usr/lib/postgresql/*/bin, then PATH. If none is found and we are root, the
# Debian package is installed with apt-get. initdb and postgres refuse to run
# as root, so as root the server runs as an unprivileged system user
# ($PGTEST_USER, else coopdir-test, created on first use, else nobody).
# The server keeps nothing durable (fsync off) and has room to cache a
# benchmark's data (shared_buffers 1GB, taken from memory only as used).
# Extra postgresql.conf lines, which win over these, can be passed in
# $PGTEST_CONF.
set -euo pipefail

readonly DB_USER=coopdir
readonly DB_NAME=coopdir_test
readonly MARKER=.coopdir-pgtest

log() { echo "pgtest: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# find_bindir prints the directory holding initdb, pg_ctl and postgres.
find_bindir() {
	local d
	if [[ -n ${PG_BINDIR:-} ]]; then
		echo "$PG_BINDIR"
		return 0
	fi
	# Newest version first.
	for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
		if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
			echo "$d"
			return 0
		fi
	done
	# A PATH entry may be a symlink or a wrapper: use the real program's
	# directory so that pg_ctl finds the postgres that belongs to it.
	if d=$(command -v initdb 2>/dev/null) && command -v pg_ctl >/dev/null 2>&1; then
		d=$(dirname "$(readlink -f "$d")")
		if [[ -x $d/pg_ctl && -x $d/postgres ]]; then
			echo "$d"
			return 0
		fi
		dirname "$(command -v initdb)"
		return 0
	fi
	return 1
}

install_postgres() {
	if [[ $(id -u) -ne 0 ]]; then
		die "PostgreSQL server programs (initdb, pg_ctl, postgres) not found; install them (Debian: sudo apt-get install postgresql) or set PG_BINDIR"
	fi
	command -v apt-get >/dev/null 2>&1 || die "PostgreSQL not found and apt-get is not available: install PostgreSQL or set PG_BINDIR"
	log "PostgreSQL not found: installing the Debian package"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y --no-install-recommends postgresql >&2
}

# pick_user prints the system user the server runs as when we are root.
pick_user() {
	if [[ -n ${PGTEST_USER:-} ]]; then
		id -u "$PGTEST_USER" >/dev/null 2>&1 || die "PGTEST_USER=$PGTEST_USER does not exist"
		echo "$PGTEST_USER"
		return
	fi
	if ! id -u coopdir-test >/dev/null 2>&1 && command -v useradd >/dev/null 2>&1; then
		useradd --system --user-group --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin coopdir-test >/dev/null 2>&1 || true
	fi
	# Checked again: a concurrent run may have created it first.
	if id -u coopdir-test >/dev/null 2>&1; then
		echo coopdir-test
	else
		echo nobody
	fi
}

# as_user runs a command as $RUN_AS (empty: as ourselves) inside $DIR.
as_user() {
	if [[ -z $RUN_AS ]]; then
		(cd "$DIR" && "$@")
	elif command -v runuser >/dev/null 2>&1; then
		(cd "$DIR" && runuser -u "$RUN_AS" -- "$@")
	elif command -v setpriv >/dev/null 2>&1; then
		(cd "$DIR" && setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --init-groups -- "$@")
	else
		# shellcheck disable=SC2016 # $0 and $@ belong to the inner shell.
		(cd "$DIR" && su -s /bin/sh -c 'exec "$0" "$@"' "$RUN_AS" "$@")
	fi
}

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
	local p _
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! port_in_use "$p"; then
			echo "$p"
			return 0
		fi
	done
	die "no free TCP port found on 127.0.0.1"
}

# start_cluster creates and starts a cluster; it sets DIR, PORT, BINDIR,
# RUN_AS and DATABASE_URL.
start_cluster() {
	if [[ -n ${PG_BINDIR:-} && ! (-x $PG_BINDIR/initdb && -x $PG_BINDIR/pg_ctl) ]]; then
		die "PG_BINDIR=$PG_BINDIR has no initdb and pg_ctl"
	fi
	BINDIR=$(find_bindir) || {
		install_postgres
		BINDIR=$(find_bindir) || die "PostgreSQL installed, but initdb and pg_ctl are still not found"
	}
	RUN_AS=""
	[[ $(id -u) -eq 0 ]] && RUN_AS=$(pick_user)

	# /tmp rather than $TMPDIR: the server user must be able to reach it.
	DIR=$(mktemp -d /tmp/coopdir-pgtest.XXXXXX)
	touch "$DIR/$MARKER"
	[[ -n $RUN_AS ]] && chown -R "$RUN_AS:$(id -gn "$RUN_AS")" "$DIR"
	chmod 0700 "$DIR"

	log "initdb ($BINDIR, as ${RUN_AS:-$(id -un)}) in $DIR"
	if ! as_user "$BINDIR/initdb" -D "$DIR/data" -U "$DB_USER" --auth=trust \
		--encoding=UTF8 --no-locale --no-sync >"$DIR/initdb.log" 2>&1; then
		cat "$DIR/initdb.log" >&2
		stop_cluster "$DIR"
		die "initdb failed"
	fi

	local try
	for try in 1 2 3 4 5; do
		PORT=$(free_port)
		write_conf
		if as_user "$BINDIR/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null 2>&1; then
			break
		fi
		if grep -q "could not bind\|could not create any TCP/IP sockets\|Address already in use" "$DIR/server.log" 2>/dev/null && [[ $try -lt 5 ]]; then
			log "port $PORT taken, trying another"
			continue
		fi
		cat "$DIR/server.log" >&2 || true
		stop_cluster "$DIR"
		die "the server did not start"
	done
	wait_ready
	create_database
	DATABASE_URL="postgres://$DB_USER@127.0.0.1:$PORT/$DB_NAME?sslmode=disable"
	echo "$DATABASE_URL" >"$DIR/url"
	log "ready: $DATABASE_URL"
}

write_conf() {
	# postgresql.auto.conf is read last, so these settings win; rewritten on
	# each try with the port of that try.
	cat >"$DIR/data/postgresql.auto.conf" <<-EOF
		listen_addresses = '127.0.0.1'
		port = $PORT
		unix_socket_directories = '$DIR'
		max_connections = 300
		shared_buffers = 1GB
		fsync = off
		synchronous_commit = off
		full_page_writes = off
		log_min_messages = warning
		${PGTEST_CONF:-}
	EOF
	[[ -n $RUN_AS ]] && chown "$RUN_AS" "$DIR/data/postgresql.auto.conf"
	return 0
}

wait_ready() {
	local _
	for _ in $(seq 1 100); do
		if [[ -x $BINDIR/pg_isready ]]; then
			"$BINDIR/pg_isready" -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres && return 0
		elif port_in_use "$PORT"; then
			return 0
		fi
		sleep 0.1
	done
	stop_cluster "$DIR"
	die "the server did not become ready on port $PORT"
}

create_database() {
	local out
	if [[ -x $BINDIR/createdb ]]; then
		out=$("$BINDIR/createdb" -h 127.0.0.1 -p "$PORT" -U "$DB_USER" "$DB_NAME" 2>&1) && return 0
	elif [[ -x $BINDIR/psql ]] || command -v psql >/dev/null 2>&1; then
		local psql=$BINDIR/psql
		[[ -x $psql ]] || psql=$(command -v psql)
		out=$("$psql" -X -q -h 127.0.0.1 -p "$PORT" -U "$DB_USER" -d postgres -c "CREATE DATABASE $DB_NAME" 2>&1) && return 0
	else
		out="neither createdb nor psql found"
	fi
	echo "$out" >&2
	stop_cluster "$DIR"
	die "could not create database $DB_NAME"
}

# stop_cluster stops the server of dir (if it runs) and removes dir.
stop_cluster() {
	local dir=$1
	[[ -n $dir && -d $dir ]] || return 0
	[[ -f $dir/$MARKER ]] || die "$dir is not a pgtest directory; not removing it"
	DIR=$dir
	[[ -n ${BINDIR:-} ]] || BINDIR=$(find_bindir) || BINDIR=""
	RUN_AS=""
	[[ $(id -u) -eq 0 ]] && RUN_AS=$(stat -c %U "$dir")
	[[ $RUN_AS == root ]] && RUN_AS=""
	if [[ -f $dir/data/postmaster.pid ]]; then
		if [[ -z $BINDIR ]] || ! as_user "$BINDIR/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
			local pid
			pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
			if [[ $pid =~ ^[0-9]+$ ]]; then
				kill -QUIT "$pid" 2>/dev/null || true
				sleep 1
			fi
		fi
	fi
	cd /
	rm -rf -- "$dir"
}

main() {
	local cmd=${1:-}
	[[ $# -gt 0 ]] && shift
	case $cmd in
	start)
		start_cluster
		printf 'export DATABASE_URL=%q\nexport PGTEST_DIR=%q\n' "$DATABASE_URL" "$DIR"
		;;
	stop)
		local dir=${1:-${PGTEST_DIR:-}}
		[[ -n $dir ]] || die "usage: $0 stop DIR (or set PGTEST_DIR)"
		stop_cluster "$dir"
		;;
	run)
		[[ ${1:-} == -- ]] && shift
		[[ $# -gt 0 ]] || die "usage: $0 run -- COMMAND [ARG...]"
		# Set before starting, so that an interrupted start cleans up too.
		trap 'stop_cluster "${DIR:-}"' EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		start_cluster
		# The command runs in the background so that a signal to this
		# script is handled at once (bash runs traps only between
		# commands, and wait is one): it is passed on as TERM (a background
		# command ignores INT), then the cluster goes.
		DATABASE_URL=$DATABASE_URL PGTEST_DIR=$DIR "$@" <&0 &
		CHILD=$!
		trap 'kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD"; exit 130' INT
		trap 'kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD"; exit 143' TERM
		local status=0
		wait "$CHILD" || status=$?
		exit "$status"
		;;
	*)
		cat >&2 <<-EOF
			usage: $0 run -- COMMAND [ARG...]   start, run COMMAND with DATABASE_URL, stop
			       eval "\$($0 start)"          start; prints DATABASE_URL and PGTEST_DIR
			       $0 stop [DIR]                stop the cluster of DIR (default \$PGTEST_DIR)
		EOF
		exit 2
		;;
	esac
}

main "$@"
