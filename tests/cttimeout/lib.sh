# SPDX-License-Identifier: GPL-2.0
# Helpers for the cttimeout scenarios (sourced after ../lib/common.sh).
#
# Topology: namespace cli (10.9.0.1, fd09::1) -- veth -- srv (10.9.0.2,
# fd09::2). Timeout policies are per network namespace: rules, policies
# and `conntrack -L` all run in srv.

CTT=$NFEXT_REPO/build/bin/ct-timeout
[ -x "$CTT" ] || die "ct-timeout is not built (run make)"

need() {
	local b
	for b in "$@"; do
		command -v "$b" >/dev/null || skip "$b is not installed"
	done
}

topo() {
	netns cli srv
	veth cli c0 srv s0
	ip -n cli addr add 10.9.0.1/24 dev c0
	ip -n srv addr add 10.9.0.2/24 dev s0
	ip -n cli addr add fd09::1/64 dev c0 nodad
	ip -n srv addr add fd09::2/64 dev s0 nodad
	modprobe nf_conntrack 2>/dev/null
	modprobe nfnetlink_cttimeout 2>/dev/null
}

# ctt NS ARGS...: ct-timeout in a namespace.
ctt() { local ns=$1; shift; ip netns exec "$ns" "$CTT" "$@"; }

# run_err VAR CMD...: run CMD, its stderr into $VAR, its status into RC.
run_err() {
	local __v=$1 __f
	shift
	__f=$(mktemp)
	"$@" >/dev/null 2>"$__f"
	RC=$?
	printf -v "$__v" '%s' "$(cat "$__f")"
	rm -f "$__f"
}

# Background helpers killed when the scenario ends.
CTT_PIDS=()
ctt_cleanup() {
	local p
	for p in "${CTT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	nfext_cleanup
}
trap ctt_cleanup EXIT

# tcp_flow PORT [ADDR]: an established TCP connection from cli to srv
# that stays open (the server side reads, the client sends nothing more).
tcp_flow() {
	local port=$1 addr=${2:-10.9.0.2} i
	case $addr in
	*:*) ip netns exec srv socat -u TCP6-LISTEN:"$port",reuseaddr OPEN:/dev/null & ;;
	*) ip netns exec srv socat -u TCP4-LISTEN:"$port",reuseaddr OPEN:/dev/null & ;;
	esac
	CTT_PIDS+=($!)
	for i in $(seq 50); do
		ip netns exec srv ss -Hltn "sport = :$port" | grep -q LISTEN && break
		sleep 0.1
	done
	case $addr in
	*:*) ip netns exec cli socat -u EXEC:"sleep 60" TCP6:"[$addr]":"$port" & ;;
	*) ip netns exec cli socat -u EXEC:"sleep 60" TCP4:"$addr":"$port" & ;;
	esac
	CTT_PIDS+=($!)
	for i in $(seq 50); do
		[ "$(ct_state srv tcp "$port" "$(famopt "$addr")")" = ESTABLISHED ] && return 0
		sleep 0.1
	done
	return 1
}

famopt() { case $1 in *:*) echo "-f ipv6" ;; *) echo "-f ipv4" ;; esac; }

# ct_line NS PROTO DPORT|-: the conntrack entry of that flow in NS.
ct_line() {
	local ns=$1 proto=$2 port=$3 fam=${4:--f ipv4}
	if [ "$port" = - ]; then
		ip netns exec "$ns" conntrack -L $fam -p "$proto" 2>/dev/null | head -n1
	else
		ip netns exec "$ns" conntrack -L $fam -p "$proto" --dport "$port" 2>/dev/null | head -n1
	fi
}

# ct_timeout NS PROTO DPORT|- [FAMILYOPT]: seconds left on that entry.
ct_timeout() { ct_line "$@" | awk '{ print $3 }'; }

ct_state() { ct_line "$@" | awk '{ print $4 }'; }

# start_clock: flows made from now on are checked against the time since.
T0=$(date +%s)
start_clock() { T0=$(date +%s); }

# within "what" GOT MAX: a timeout of MAX seconds given after start_clock
# has GOT seconds left: MAX - elapsed - 2 <= GOT <= MAX.
within() {
	local slack=$(( $(date +%s) - T0 + 2 ))

	if [ -n "$2" ] && [ "$2" -le "$3" ] 2>/dev/null && [ "$2" -ge $(($3 - slack)) ]; then
		echo "ok: $1 ($2 in $(($3 - slack))..$3)"
	else
		fail "$1: got '$2', want $(($3 - slack))..$3"
	fi
}

# state_of NS POLICY STATE: a state's value as `ct-timeout get` prints it.
state_of() {
	ctt "$1" get "$2" | awk -v s="$3" '$1 == s { print $2 }'
}

# use_of NS POLICY: the kernel's use count of a policy.
use_of() {
	ctt "$1" get "$2" | awk '$1 == "use" { print $2 }'
}

# ipt VARIANT NS ARGS...: iptables-legacy / iptables-nft in a namespace.
ipt() { local v=$1 ns=$2; shift 2; ip netns exec "$ns" "iptables-$v" "$@"; }
ip6t() { local v=$1 ns=$2; shift 2; ip netns exec "$ns" "ip6tables-$v" "$@"; }

# nsx NS CMD...: like common.sh's `in`, usable inside loops and functions.
nsx() { ip netns exec "$@"; }

# raw_table VARIANT NS CMD RULE...: load the raw table of NS with RULEs
# ("-A PREROUTING ...") in one iptables(-legacy|-nft)-restore. Linux 6.1's
# xt_CT reports only 4 bytes of a timeout policy name, and iptables-legacy
# re-submits the whole table on every -A/-D, which the kernel then refuses
# for an existing rule whose name it cut short; one restore avoids that.
raw_table() {
	local v=$1 ns=$2 cmd=$3 r
	shift 3
	{
		echo "*raw"
		for r in "$@"; do echo "$r"; done
		echo "COMMIT"
	} | ip netns exec "$ns" "$cmd-$v-restore"
}
