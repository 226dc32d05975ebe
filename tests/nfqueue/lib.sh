# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the nfqueue scenarios (sourced after ../lib/common.sh).
#
# Topology: cli (10.0.1.2) -- rtr (10.0.1.1 | 10.0.2.1) -- srv (10.0.2.2).
# The NFQUEUE rules sit in rtr's FORWARD chain; listeners run in rtr.

NFQ_BIN=$NFEXT_REPO/build/bin
IPT=${NFQ_IPT:-iptables-legacy}
NFQ_TMP=$(mktemp -d /tmp/nfq.XXXXXX)
NFQ_PIDS=()

nfq_cleanup() {
	local p
	for p in "${NFQ_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	# a daemonized iperf3 server leaves its pid in iperf.pid
	[ -s "$NFQ_TMP/iperf.pid" ] && kill -9 "$(cat "$NFQ_TMP/iperf.pid")" 2>/dev/null
	wait 2>/dev/null
	nfext_cleanup
	rm -rf "$NFQ_TMP"
}
trap nfq_cleanup EXIT

need_bins() {
	local b
	for b in nfq-listener nfq-fuzz nfq-lnfq-client; do
		[ -x "$NFQ_BIN/$b" ] || die "$NFQ_BIN/$b is not built (run make)"
	done
}

topo() {
	netns cli rtr srv
	veth cli eth0 rtr eth0
	veth rtr eth1 srv eth0
	ip -n cli addr add 10.0.1.2/24 dev eth0
	ip -n rtr addr add 10.0.1.1/24 dev eth0
	ip -n rtr addr add 10.0.2.1/24 dev eth1
	ip -n srv addr add 10.0.2.2/24 dev eth0
	ip -n cli route add default via 10.0.1.1
	ip -n srv route add default via 10.0.2.1
	nsrun rtr sysctl -qw net.ipv4.ip_forward=1
	nsrun cli ping -c1 -W2 10.0.2.2 >/dev/null || die "topology: no route cli -> srv"
}

# nfq_proc NS QUEUE FIELD: field FIELD (1-based) of QUEUE's line in NS's
# /proc/net/netfilter/nfnetlink_queue; empty when the queue is not bound.
# Fields: 1 queue 2 portid 3 queued 4 copy mode 5 copy range 6 dropped
# (queue full) 7 user dropped 8 last id 9 1 10 fail-open accepts (nfext).
nfq_proc() {
	nsrun "$1" cat /proc/net/netfilter/nfnetlink_queue 2>/dev/null |
		awk -v q="$2" -v f="$3" '$1 == q { print $f }'
}

# listener NS NAME ARGS...: start nfq-listener in NS, output in
# $NFQ_TMP/NAME.out, wait until it is bound; its pid in $LPID.
listener() {
	local ns=$1 name=$2 i
	shift 2
	# ip netns exec execs the program: $! is the listener's pid.
	ip netns exec "$ns" "$NFQ_BIN/nfq-listener" "$@" > "$NFQ_TMP/$name.out" 2>&1 &
	LPID=$!
	NFQ_PIDS+=("$LPID")
	for i in $(seq 100); do
		grep -q ready "$NFQ_TMP/$name.out" && return 0
		kill -0 "$LPID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$NFQ_TMP/$name.out" >&2
	die "listener $name did not start"
}

# stop NAME PID: SIGTERM, wait, show the statistics line.
stop() {
	kill -TERM "$2" 2>/dev/null
	wait "$2" 2>/dev/null
	grep -v ready "$NFQ_TMP/$1.out" | sed 's/^/# /'
}

# stat_of NAME KEY: a number from the listener's exit statistics.
stat_of() {
	sed -n "s/.* $2 \([0-9]*\).*/\1/p" "$NFQ_TMP/$1.out" | tail -n1
}

# make_file MIB: a random file of MIB MiB at $NFQ_TMP/file.
make_file() {
	head -c "$(($1 * 1048576))" /dev/urandom > "$NFQ_TMP/file"
	FILE_SUM=$(sha256sum < "$NFQ_TMP/file")
}

# transfer SECONDS [PORT]: send $NFQ_TMP/file cli -> srv over TCP through
# rtr; status 0 when the whole file arrived intact in time. The byte count
# that arrived is left in $RECV_BYTES, the time taken in $XFER_MS.
transfer() {
	local tmo=$1 port=${2:-5001} spid rc t0 t1 i
	rm -f "$NFQ_TMP/recv"
	ip netns exec srv socat -u "TCP-LISTEN:$port,reuseaddr" \
		"OPEN:$NFQ_TMP/recv,creat,trunc" 2>/dev/null &
	spid=$!
	NFQ_PIDS+=("$spid")
	for i in $(seq 100); do
		nsrun srv ss -Hltn "sport = :$port" | grep -q LISTEN && break
		sleep 0.05
	done
	t0=$(date +%s%N)
	timeout "$tmo" ip netns exec cli socat -u "OPEN:$NFQ_TMP/file" \
		"TCP:10.0.2.2:$port,connect-timeout=$tmo" 2>/dev/null
	rc=$?
	# The server ends once the connection closed.
	for i in $(seq 100); do
		kill -0 "$spid" 2>/dev/null || break
		[ "$rc" -ne 0 ] && break
		sleep 0.05
	done
	kill -9 "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	t1=$(date +%s%N)
	XFER_MS=$(( (t1 - t0) / 1000000 ))
	RECV_BYTES=$(stat -c %s "$NFQ_TMP/recv" 2>/dev/null || echo 0)
	[ "$rc" -eq 0 ] && [ "$(sha256sum < "$NFQ_TMP/recv")" = "$FILE_SUM" ]
}

# ipt NS ARGS...: iptables ($IPT) in NS.
ipt() { local ns=$1; shift; nsrun "$ns" "$IPT" "$@"; }

# dropped_pkts NS QUEUE: queue-full drops so far (0 when unbound).
dropped_pkts() { local v; v=$(nfq_proc "$1" "$2" 6); echo "${v:-0}"; }

# pings NS DST COUNT: echo replies received (COUNT requests, 50 ms apart).
pings() {
	nsrun "$1" ping -n -q -c "$3" -i 0.05 -W 2 "$2" 2>/dev/null |
		sed -n 's/.* \([0-9]*\) received.*/\1/p'
}

# udp_send NS DST PORT COUNT: COUNT datagrams "ping-N" from NS (one
# write, so one datagram, per printf).
udp_send() {
	nsrun "$1" bash -c 'exec 3>"/dev/udp/$0/$1" || exit 1
		for ((i = 0; i < $2; i++)); do printf "ping-%d" "$i" >&3; done' \
		"$2" "$3" "$4"
}

# rule_pkts NS CHAIN RULENUM [TABLE]: packet counter of a rule in NS.
rule_pkts() {
	nsrun "$1" "$IPT" -t "${4:-filter}" -L "$2" "$3" -v -x -n 2>/dev/null |
		awk 'NR == 1 { print $1 }'
}

# udp_records NS DST PORT FROM COUNT: COUNT datagrams "ping-N" (N from
# FROM on, ten digits and a newline: 16 bytes) from NS, one per record of
# a file socat reads 16 bytes at a time; the records in $NFQ_TMP/recs.
udp_records() {
	seq -f 'ping-%010g' "$4" $(($4 + $5 - 1)) > "$NFQ_TMP/recs"
	nsrun "$1" socat -u -b 16 "OPEN:$NFQ_TMP/recs" "UDP-SENDTO:$2:$3"
}

# send FROM COUNT: datagrams ping-FROM .. from cli to srv:$port (udp_records)
# after starting a receiver in srv (its pid in $RPID, what it got in
# $NFQ_TMP/got, one datagram a line).
send() {
	local i
	: > "$NFQ_TMP/got"
	ip netns exec srv socat -u "UDP-RECV:$port,rcvbuf=8388608" \
		"OPEN:$NFQ_TMP/got,append" 2>/dev/null &
	RPID=$!
	NFQ_PIDS+=("$RPID")
	for i in $(seq 100); do
		nsrun srv ss -Hlun "sport = :$port" | grep -q . && break
		sleep 0.05
	done
	udp_records cli 10.0.2.2 "$port" "$1" "$2"
}

# deep_setup: the deep-queue scenarios' start: nfext's modules in use, the
# topology, room for big socket buffers, UDP to ports 7000-7009 queued to
# queue 0; datagrams go to port $port (send), one port per round.
deep_setup() {
	need_bins
	assert_ours nfnetlink_queue xt_NFQUEUE
	topo
	sysctl -qw net.core.rmem_max=16777216
	ok "rule: udp 7000:7009 to queue 0" ipt rtr -A FORWARD -p udp --dport 7000:7009 -j NFQUEUE --queue-num 0
	port=7000
}
