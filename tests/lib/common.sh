# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for nfext scenarios (sourced; runs in the guest as root).
# A scenario exits 0 when it passed, 77 when a facility it needs is really
# missing, anything else when it failed. Keep scenarios readable like an
# administrator's session: build hosts, add the rule, send traffic, assert.

NFEXT_REPO=${NFEXT_REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export NFEXT_REPO
# Where nfext's built modules are: the tree itself, or the separate output
# folder of a build against another kernel (make check-debug).
NFEXT_KO_ROOT=${NFEXT_KO_ROOT:-$NFEXT_REPO}
export NFEXT_KO_ROOT
# nfext's xtables plugins first, then the system's.
XTABLES_LIBDIR=$NFEXT_REPO/build/xtables:$(pkg-config --variable=xtlibdir xtables 2>/dev/null || echo /usr/lib/x86_64-linux-gnu/xtables)
export XTABLES_LIBDIR

NFEXT_NETNS=()
NFEXT_FAILS=0

log() { echo "# $*"; }

# tscale SECONDS: SECONDS times the test-bed's time scale. A scenario waits
# this long for something to happen; a slow kernel (make check-debug sets
# NFEXT_TIME_SCALE) gets more time, never a weaker assertion.
tscale() {
	awk -v s="$1" -v k="${NFEXT_TIME_SCALE:-1}" \
		'BEGIN { v = s * k; if (v == int(v)) print v; else printf "%.2f\n", v }'
}

# slab_active CACHE: objects of slab cache CACHE in use. The cache is
# shrunk first: SLUB then gives back its per-CPU slabs, whose free objects
# /proc/slabinfo counts as active, and a KASAN kernel empties its
# quarantine of freed objects of that cache (still "active" until then).
slab_active() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 > "/sys/kernel/slab/$1/shrink" 2>/dev/null
	awk -v c="$1" '$1 == c { print $2 }' /proc/slabinfo
}

# slab_settle CACHE MAX [SECONDS]: wait up to SECONDS (10, scaled) until
# CACHE has at most MAX objects in use (frees after a netns or socket goes
# away are asynchronous: RCU, work queues); prints the last count.
slab_settle() {
	local n end
	end=$(( $(date +%s) + $(tscale "${3:-10}" | cut -d. -f1) ))
	while :; do
		n=$(slab_active "$1")
		[ "${n:-0}" -le "$2" ] || [ "$(date +%s)" -ge "$end" ] && break
		sleep 0.5
	done
	echo "$n"
}

fail() {
	echo "FAIL: $*" >&2
	NFEXT_FAILS=$((NFEXT_FAILS + 1))
	return 1
}

die() { echo "FAIL: $*" >&2; exit 1; }

skip() { echo "SKIP: $*" >&2; exit 77; }

# ok "what" CMD...: CMD must succeed.
ok() {
	local what=$1; shift
	if "$@"; then echo "ok: $what"; else fail "$what (command: $*)"; fi
}

# nok "what" CMD...: CMD must fail.
nok() {
	local what=$1; shift
	if "$@"; then fail "$what (command unexpectedly succeeded: $*)"; else echo "ok: $what"; fi
}

# eq "what" GOT WANT
eq() {
	if [ "$2" = "$3" ]; then echo "ok: $1 ($2)"; else fail "$1: got '$2', want '$3'"; fi
}

# ge "what" GOT MIN
ge() {
	if [ "$2" -ge "$3" ] 2>/dev/null; then echo "ok: $1 ($2 >= $3)"; else fail "$1: got '$2', want >= $3"; fi
}

# contains "what" TEXT NEEDLE
contains() {
	case "$2" in
	*"$3"*) echo "ok: $1" ;;
	*) fail "$1: '$3' not in: $2" ;;
	esac
}

# End a scenario: exit with the tally of failed assertions.
finish() {
	if [ "$NFEXT_FAILS" -ne 0 ]; then
		echo "$NFEXT_FAILS assertion(s) failed"
		exit 1
	fi
	exit 0
}

# netns NAME...: create network namespaces, removed when the scenario ends.
netns() {
	local n
	for n in "$@"; do
		ip netns del "$n" 2>/dev/null
		ip netns add "$n" || die "ip netns add $n"
		ip -n "$n" link set lo up
		NFEXT_NETNS+=("$n")
	done
}

# The processes a scenario left in its namespaces are killed first: one
# still running keeps its namespace (devices, routes, rules, sockets) alive
# after `ip netns del`. `nsrun NS CMD &` puts a subshell in $!, so killing
# $! alone does not stop CMD.
nfext_cleanup() {
	local n pids
	for n in "${NFEXT_NETNS[@]}"; do
		pids=$(ip netns pids "$n" 2>/dev/null)
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
		ip netns del "$n" 2>/dev/null
	done
}
trap nfext_cleanup EXIT

# veth NS1 IF1 NS2 IF2: a cable between two namespaces, both ends up.
veth() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" ||
		die "veth $1:$2 - $3:$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# Run in a namespace: nsrun NS CMD... ("in" is a bash keyword).
nsrun() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# ko NAME: path of nfext's built module NAME (.ko) in the tree.
ko() {
	local f
	f=$(find "$NFEXT_KO_ROOT/kernel" -name "$1.ko" | head -n1)
	[ -n "$f" ] || die "module $1.ko is not built (run make)"
	echo "$f"
}

# is_ours MOD: MOD is loaded and is nfext's out-of-tree build (taint O),
# with the srcversion of the file in the tree.
is_ours() {
	local m=$1 f
	[ -d "/sys/module/$m" ] || return 1
	grep -q O "/sys/module/$m/taint" 2>/dev/null || return 1
	f=$(find "$NFEXT_KO_ROOT/kernel" -name "$m.ko" | head -n1)
	[ -n "$f" ] || return 1
	[ "$(cat "/sys/module/$m/srcversion" 2>/dev/null)" = "$(modinfo -F srcversion "$f")" ]
}

assert_ours() {
	local m
	for m in "$@"; do
		if is_ours "$m"; then echo "ok: module $m is nfext's"; else fail "module $m is not nfext's (or not loaded)"; fi
	done
}

assert_absent() {
	local m
	for m in "$@"; do
		if [ -d "/sys/module/$m" ]; then fail "in-tree module $m is loaded"; else echo "ok: module $m not loaded"; fi
	done
}

# counter of an iptables rule: ipt_pkts IPT TABLE CHAIN RULENUM
ipt_pkts() {
	"$1" -t "$2" -L "$3" "$4" -v -x -n 2>/dev/null | awk 'NR==1 {print $1}'
}

# packets of the nft rule carrying comment C: nft_pkts FAMILY TABLE CHAIN C
nft_pkts() {
	nft -a list chain "$1" "$2" "$3" | sed -n "/comment \"$4\"/s/.*packets \([0-9]*\).*/\1/p" | head -n1
}

# The iptables front ends a scenario repeats itself with.
IPTABLES_VARIANTS="legacy nft"
