#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make bench-insns` (tests/bench/insns.sh boots the guest
# with the instruction-counting QEMU plugin tests/tools/qemu-insns): the
# kernel instructions the queue handler path costs per packet, nfext's
# nfnetlink_queue against the in-tree one (and the noids variant), counted
# instead of timed, so the TCG guest's timing noise stays out.
#
# Each round and module: an accept-all listener (copy packet, batch verdict
# every 32, queue length 16384) is bound and stopped (SIGSTOP); the client
# sends N 64-byte UDP datagrams through the router, whose FORWARD rule
# queues them: phase "enqueue" (sender, routing, NFQUEUE, the handler
# building and sending N messages). Then the listener is let go and gives
# its batch verdicts until the queue is empty: phase "verdict" (N messages
# read, N/32 batch verdicts, N packets reinjected and forwarded to the
# server, which drops them in INPUT). A reading of the counters is taken at
# each phase's start and end; the waits in between are builtins of this
# shell (no process is started), so what else runs is the idle loop.
# The readings go to /nfext-out/insns.log (tests/bench/insns.sh makes the
# table). With NFQ_INSNS_PROF=1 (the plugin's prof=on) the kernel's symbols
# are kept for each load of the modules, /nfext-out/kallsyms.ROUND.IMPL,
# and the core's once, /nfext-out/kallsyms.core, to name the profile.
cd "$(dirname "$0")" || exit 1
source ../lib/common.sh
source ../lib/modules.sh
NFQ_IPT=iptables-legacy
source ../nfqueue/lib.sh
BIN=$NFQ_BIN
TMP=$NFQ_TMP
source ./nfq.sh

N=${NFQ_INSNS_PKTS:-8192}
ROUNDS=${NFQ_INSNS_ROUNDS:-5}
OUT=/nfext-out
[ $((N % 32)) -eq 0 ] || die "NFQ_INSNS_PKTS must be a multiple of 32 (batch size)"
[ -f $OUT/insns.on ] || { echo "bench-insns: the guest runs without the plugin" >&2; exit 77; }
[ -x "$BIN/nfq-listener" ] || die "nfq-listener not built"

# A timed wait without starting a process: read from a FIFO nobody writes.
mkfifo "$TMP/idle"
exec 9<> "$TMP/idle"
idle() { read -r -t "$1" -u 9 _ || :; }

# reading LABEL: the plugin appends the counters, labelled, to insns.log
# and removes the request when it has taken them (requests numbered from 0).
REQ=0
reading() {
	local i r=$OUT/insns.req.$REQ
	REQ=$((REQ + 1))
	echo "$1" > "$r"
	for ((i = 0; i < 2000; i++)); do
		[ -e "$r" ] || return 0
		idle 0.005
	done
	die "the plugin took no reading for $1"
}

# queued: packets the queue holds now, from the listener's netns view
queued() {
	local q p t rest
	while read -r q p t rest; do
		[ "$q" = 1 ] && { echo "$t"; return; }
	done < "/proc/$LPID/net/netfilter/nfnetlink_queue"
	echo 0
}

# wait_queued COUNT SECONDS: until the queue holds COUNT packets and that
# number has settled (or SECONDS pass)
wait_queued() {
	local i last=-1 q
	for ((i = 0; i < $2 * 20; i++)); do
		q=$(queued)
		[ "$q" = "$1" ] && [ "$q" = "$last" ] && return 0
		last=$q
		idle 0.05
	done
	return 1
}

topo
nsrun srv iptables-legacy -A INPUT -p udp --dport 9 -j DROP
[ "${NFQ_INSNS_PROF:-0}" = 1 ] && grep -v '\[' /proc/kallsyms > $OUT/kallsyms.core

# phase ROUND IMPL: one measurement of each phase
phase() {
	local held
	nsrun rtr "$IPT" -A FORWARD -p udp -j NFQUEUE --queue-num 1
	listener rtr l -q 1 -l 16384 -b 32 -R 67108864
	kill -STOP "$LPID"
	idle 0.3
	reading "$1.$2.enqueue.start"
	# one shell in cli: N writes on a connected UDP socket, no fork
	ip netns exec cli bash -c "exec 3>/dev/udp/10.0.2.2/9
		for ((i = 0; i < $N; i++)); do printf '%64s' '' >&3; done"
	wait_queued "$N" 30 || log "round $1 $2: the queue holds $(queued) of $N"
	held=$(queued)
	reading "$1.$2.enqueue.end.$held"
	reading "$1.$2.verdict.start"
	kill -CONT "$LPID"
	wait_queued 0 60 || log "round $1 $2: $(queued) left in the queue"
	idle 0.3
	reading "$1.$2.verdict.end.$held"
	stop_listener
	nsrun rtr "$IPT" -F FORWARD
}

stop_listener() { kill -TERM "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null; }

# NFQ_INSNS_IMPLS: the handlers compared (nfext, intree and variants of
# build/bench-variants; a variant that is not built is left out)
impls=()
for i in ${NFQ_INSNS_IMPLS:-nfext intree noids}; do
	case $i in
	nfext|intree) impls+=("$i") ;;
	*) [ -f "$(variant_ko "$i")" ] && impls+=("$i") ;;
	esac
done
n=${#impls[@]}
for round in $(seq "$ROUNDS"); do
	order=()
	for i in $(seq 0 $((n - 1))); do order+=("${impls[$(( (i + round) % n ))]}"); done
	for impl in "${order[@]}"; do
		use "$impl"
		[ "${NFQ_INSNS_PROF:-0}" = 1 ] &&
			grep '\[' /proc/kallsyms > "$OUT/kallsyms.$round.$impl"
		# a first, unmeasured pass: caches, slabs and the TCG translation
		# of this module's code warm
		[ "$round" = 1 ] && phase 0 "$impl"
		phase "$round" "$impl"
		echo "round $round $impl done" >&2
	done
done
unload
cp $OUT/insns.log $OUT/insns-nfq.log
