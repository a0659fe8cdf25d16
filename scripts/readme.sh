#!/usr/bin/env bash
# readme.sh runs the recipes of README.md as a newcomer would type them, and
# fails when one of them fails.
#
#   bash scripts/readme.sh [NAME...]      run every recipe, or the named ones
#
# A recipe is one or more ```sh blocks, each right under a tag naming it:
#
#   <!-- recipe: NAME -->                      a step of recipe NAME
#   <!-- recipe: NAME; until: COMMAND -->      then wait until COMMAND succeeds
#   <!-- recipe: NAME; needs: postgres -->     runs against a PostgreSQL server
#
# The steps of a recipe run in order, in one bash (set -euo pipefail), in a
# new temporary folder holding bin/coopdir, built from this checkout. So that
# the recipes can say 8080 and 8081 and still run where those ports are
# taken, each of those numbers is replaced by a free port, and a serve without
# --listen listens on loopback on the first (COOPDIR_LISTEN). A line running
# `bin/coopdir serve` is started in the background, with its output in the
# folder's serve-N.log, and the recipe goes on once the server answers
# /healthz; the servers are stopped when the recipe ends. Waits poll with a
# deadline of $README_DEADLINE seconds (default 90).
#
# A recipe that needs PostgreSQL gets PGHOST, PGPORT and PGUSER of a
# throwaway cluster (scripts/pgtest.sh): the one of the caller when
# PGTEST_DIR and DATABASE_URL are set (scripts/test.sh), else one of its own.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
README=${README_FILE:-$ROOT/README.md}
DEADLINE=${README_DEADLINE:-90}

log() { echo "readme.sh: $*" >&2; }
die() {
	log "$*"
	exit 1
}

# extract prints, for each tagged block, one record: the tag's content on
# one line, then the block's lines, then a line holding only the record
# separator (\036).
extract() {
	awk '
		/^<!-- recipe: .* -->$/ { tag = $0; sub(/^<!-- recipe: /, "", tag); sub(/ -->$/, "", tag); next }
		tag != "" && !inblock && /^```sh$/ { inblock = 1; print tag; next }
		tag != "" && !inblock { print "untagged: the recipe tag \"" tag "\" is not right above a ```sh block" > "/dev/stderr"; exit 1 }
		inblock && /^```$/ { inblock = 0; tag = ""; print "\036"; next }
		inblock { print }
	' "$README"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
	local p _
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 40000))
		if ! port_in_use "$p" && [[ " ${TAKEN:-} " != *" $p "* ]]; then
			TAKEN="${TAKEN:-} $p"
			echo "$p"
			return 0
		fi
	done
	die "no free TCP port found on 127.0.0.1"
}

# The prelude of every recipe's script: the helpers its injected lines call.
# shellcheck disable=SC2016 # expanded by the recipe's bash, not here.
PRELUDE='
set -euo pipefail
__pids=()
__servers=0
__stop() {
	local pid
	for pid in "${__pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${__pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap __stop EXIT
__deadline() { echo $((SECONDS + README_DEADLINE)); }
# __healthy HOST PORT: GET /healthz answers 200.
__healthy() {
	(
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf "GET /healthz HTTP/1.0\r\nHost: %s:%s\r\n\r\n" "$1" "$2" >&3
		read -r -t 5 _ status _ <&3
		[[ $status == 200 ]]
	) 2>/dev/null
}
# __serve PID LOG ARGS...: wait until the server started with ARGS answers.
__serve() {
	local pid=$1 logf=$2 listen=${COOPDIR_LISTEN:-:8080}
	shift 2
	__pids+=("$pid")
	while [[ $# -gt 0 ]]; do
		case $1 in
		--listen | -listen) listen=$2; shift ;;
		--listen=* | -listen=*) listen=${1#*=} ;;
		esac
		shift
	done
	local host=${listen%:*} port=${listen##*:}
	host=${host#[}; host=${host%]}
	[[ -z $host || $host == 0.0.0.0 || $host == :: ]] && host=127.0.0.1
	local end; end=$(__deadline)
	until __healthy "$host" "$port"; do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "readme.sh: the server on $listen ended:" >&2; cat "$logf" >&2; exit 1
		fi
		if (( SECONDS >= end )); then
			echo "readme.sh: the server on $listen did not answer /healthz in ${README_DEADLINE}s:" >&2; cat "$logf" >&2; exit 1
		fi
		sleep 0.1
	done
}
# __until COMMAND: wait until COMMAND succeeds.
__until() {
	local end; end=$(__deadline)
	until eval "$1" >/dev/null 2>&1; do
		if (( SECONDS >= end )); then
			echo "readme.sh: still not true after ${README_DEADLINE}s: $1" >&2
			eval "$1" >&2 || true
			for f in serve-*.log; do [[ -f $f ]] && { echo "--- $f" >&2; cat "$f" >&2; }; done
			exit 1
		fi
		sleep 0.2
	done
}
'

# compile NAME turns the steps of recipe NAME (files under $STEPS) into one
# script on stdout: the servers backgrounded and waited for, the waits
# added, the ports replaced.
compile() {
	local name=$1 step line joined n=0
	printf '%s\n' "$PRELUDE"
	for step in "$STEPS/$name".*; do
		[[ $step == *.until ]] && continue
		joined=""
		while IFS= read -r line || [[ -n $line ]]; do
			# Join continued lines, so that a serve line is seen whole.
			if [[ $line == *\\ ]]; then
				joined+="${line%\\} "
				continue
			fi
			line="$joined$line"
			joined=""
			if [[ $line =~ ^([A-Z_]+=[^[:space:]]+[[:space:]]+)*bin/coopdir[[:space:]]+serve([[:space:]]|$) ]]; then
				[[ $line == *'#'* ]] && die "recipe $name: keep comments off serve lines: $line"
				line=${line%"${line##*[![:space:]]}"}
				line=${line%&}
				line=${line%"${line##*[![:space:]]}"}
				n=$((n + 1))
				printf '%s >serve-%d.log 2>&1 &\n' "$line" "$n"
				printf '__serve $! serve-%d.log %s\n' "$n" "${line#*bin/coopdir serve}"
			else
				printf '%s\n' "$line"
			fi
		done <"$step"
		if [[ -f $step.until ]]; then
			printf '__until %q\n' "$(cat "$step.until")"
		fi
	done | sed -E "s/(^|[^0-9])8080([^0-9]|$)/\1$PORT0\2/g; s/(^|[^0-9])8081([^0-9]|$)/\1$PORT1\2/g"
}

# run_recipe NAME runs recipe NAME in a new folder.
run_recipe() {
	local name=$1 dir script status=0
	dir=$(mktemp -d "$WORK/run-$name.XXXXXX")
	mkdir "$dir/bin"
	ln -s "$WORK/coopdir" "$dir/bin/coopdir"
	compile "$name" >"$dir/.recipe.sh" || return 1
	log "recipe $name (in $dir)"
	(
		cd "$dir"
		export COOPDIR_LISTEN=127.0.0.1:$PORT0 README_DEADLINE=$DEADLINE
		if [[ -n ${NEEDS_PG[$name]:-} ]]; then
			export PGHOST=$PG_HOST PGPORT=$PG_PORT PGUSER=$PG_USER PGSSLMODE=disable
		fi
		unset DATABASE_URL
		exec bash .recipe.sh
	) || status=$?
	if [[ $status -ne 0 ]]; then
		log "recipe $name failed (exit $status); the steps as run:"
		tail -n +"$(($(wc -l <<<"$PRELUDE") + 1))" "$dir/.recipe.sh" >&2
		return "$status"
	fi
	log "recipe $name: ok"
}

# pg_settings sets PG_HOST, PG_PORT and PG_USER from a postgres:// URL.
pg_settings() {
	local rest=${1#*://}
	rest=${rest%%/*}
	PG_USER=${rest%%@*}
	PG_USER=${PG_USER%%:*}
	rest=${rest#*@}
	PG_HOST=${rest%:*}
	PG_PORT=${rest##*:}
}

main() {
	local tags name opts record line
	declare -gA NEEDS_PG=()
	declare -ga ORDER=()
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/coopdir-readme.XXXXXX")
	trap 'rm -rf "$WORK"' EXIT
	STEPS=$WORK/steps
	mkdir "$STEPS"

	# Split the README's tagged blocks into step files.
	local i=0 file="" out
	out=$(extract) || die "README.md: a recipe tag is not right above a \`\`\`sh block"
	while IFS= read -r line; do
		if [[ -z $file ]]; then
			i=$((i + 1))
			name=${line%%;*}
			name=${name// /}
			[[ $name =~ ^[a-z0-9-]+$ ]] || die "README.md: bad recipe name in \"$line\""
			[[ " ${ORDER[*]} " == *" $name "* ]] || ORDER+=("$name")
			file=$(printf '%s/%s.%03d' "$STEPS" "$name" "$i")
			: >"$file"
			opts=${line#"${line%%;*}"}
			while [[ $opts == ';'* ]]; do
				opts=${opts#;}
				opts=${opts# }
				local opt=${opts%%;*}
				opts=${opts#"$opt"}
				case $opt in
				until:*) printf '%s\n' "${opt#until: }" >"$file.until" ;;
				needs:\ postgres) NEEDS_PG[$name]=1 ;;
				*) die "README.md: unknown recipe option \"$opt\" in \"$line\"" ;;
				esac
			done
		elif [[ $line == $'\036' ]]; then
			file=""
		else
			printf '%s\n' "$line" >>"$file"
		fi
	done <<<"$out"
	[[ ${#ORDER[@]} -gt 0 ]] || die "README.md has no tagged recipes"

	local want=("$@")
	[[ ${#want[@]} -gt 0 ]] || want=("${ORDER[@]}")
	for name in "${want[@]}"; do
		[[ " ${ORDER[*]} " == *" $name "* ]] || die "README.md has no recipe $name (it has: ${ORDER[*]})"
	done

	local pg=""
	for name in "${want[@]}"; do [[ -n ${NEEDS_PG[$name]:-} ]] && pg=1; done
	if [[ -n $pg ]]; then
		if [[ -n ${PGTEST_DIR:-} && -n ${DATABASE_URL:-} ]]; then
			pg_settings "$DATABASE_URL"
		else
			# A cluster of our own, never the caller's server: the recipe
			# creates a database.
			local env
			env=$(bash scripts/pgtest.sh start) || die "could not start a PostgreSQL cluster"
			eval "$env"
			trap 'bash scripts/pgtest.sh stop "$PGTEST_DIR" || true; rm -rf "$WORK"' EXIT
			pg_settings "$DATABASE_URL"
		fi
	fi

	log "building bin/coopdir"
	go build -o "$WORK/coopdir" ./cmd/coopdir
	PORT0=$(free_port)
	PORT1=$(free_port)
	local failed=()
	for name in "${want[@]}"; do
		run_recipe "$name" || failed+=("$name")
	done
	if [[ ${#failed[@]} -gt 0 ]]; then
		die "failed: ${failed[*]}"
	fi
	log "all ${#want[@]} recipes ran"
}

main "$@"
