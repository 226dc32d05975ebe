#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NFQUEUE fail-open benchmark (runs in the guest, loads what it needs).
# (1) The original scenario as figures: iperf3 TCP throughput through a
#     router whose NFQUEUE rule queues the transfer to a listener needing
#     50 ms per packet, queue length 16: no queue at all, fail-open off,
#     on through the rule option (nfext only) and through the queue flag;
#     nfext's modules and the in-tree ones alternate, 5 rounds, medians.
#     With the ablation build of tests/bench/variants.sh ("noroom": no
#     socket-room estimate in per-rule fail-open) in the same rounds, for
#     what the estimate is worth.
# (2) Packets/s through an accept-all listener with batch verdicts (UDP
#     flood, 64-byte datagrams), nfext vs in-tree, 9 rounds; with the
#     "noids" ablation build (no id table) in the same rounds, for what the
#     table costs at full rate.
# The modules take turns within each round, in an order that rotates from
# round to round.
# Knobs: NFQ_BENCH_ROUNDS (5), NFQ_BENCH_PPS_ROUNDS (9), NFQ_BENCH_ONLY=pps
# (part 2 only), NFQ_BENCH_PIN=1 (part 2 with the flood pinned to CPU 0 and
# the listener to CPU 1: no migrations between them), NFQ_BENCH_PERF=DIR
# (a perf profile of each flood), NFQ_BENCH_FGRAPH=DIR (the time of each
# call of the handler's entry points, below).
cd "$(dirname "$0")" || exit 1
source ../lib/common.sh
source ../lib/modules.sh
# the scenarios' topology, listener helper and cleanup (trap on EXIT)
NFQ_IPT=iptables-legacy
source ../nfqueue/lib.sh
BIN=$NFQ_BIN
TMP=$NFQ_TMP
ROUNDS=${NFQ_BENCH_ROUNDS:-5}
# part (2) is short and noisy (the flood and the listener share 2 CPUs)
PPS_ROUNDS=${NFQ_BENCH_PPS_ROUNDS:-9}
SECS=4

[ -x "$BIN/nfq-listener" ] || die "nfq-listener not built"
[ -f "$NFEXT_REPO/build/xtables/libxt_NFQUEUE.so" ] || die "patched libxt_NFQUEUE not built"

source ./nfq.sh

topo
ip netns exec srv iperf3 -s -D -p 5201 -I "$TMP/iperf.pid" >/dev/null 2>&1 || die "iperf3 server"
ip netns exec srv iperf3 -s -p 5202 >/dev/null 2>&1 &
NFQ_PIDS+=("$!")
sleep 0.5

stop_listener() { kill -TERM "$LPID" 2>/dev/null; wait "$LPID" 2>/dev/null; }

# tcp_mbit: iperf3 receiver throughput in Mbit/s of one SECS-second run
# (0 when the transfer did not finish). The data stream uses a client port
# from 6001-6999, which is what the rules queue (not the control
# connection); a fresh one each run, clear of the last run's TIME_WAIT.
echo 6000 > "$TMP/port"
tcp_mbit() {
	local v port
	port=$(($(cat "$TMP/port") + 1))
	echo "$port" > "$TMP/port"
	v=$(timeout $((SECS + 40)) ip netns exec cli iperf3 -c 10.0.2.2 -p 5201 \
		--cport "$port" -t "$SECS" -f m 2>/dev/null |
		awk '/receiver/ { for (i = 1; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) } END { print v }')
	echo "${v:-0}"
}

# original CASE: one throughput figure for CASE with the modules in use.
original() {
	local r=(-p tcp -m multiport --ports 6001:6999 -j NFQUEUE --queue-num 0)
	case $1 in
	none) tcp_mbit; return ;;
	off) nsrun rtr "$IPT" -A FORWARD "${r[@]}"; listener rtr l -q 0 -l 16 -d 50 -F ;;
	rule) nsrun rtr "$IPT" -A FORWARD "${r[@]}" --fail-open; listener rtr l -q 0 -l 16 -d 50 -F ;;
	flag) nsrun rtr "$IPT" -A FORWARD "${r[@]}"; listener rtr l -q 0 -l 16 -d 50 -f ;;
	esac
	tcp_mbit
	stop_listener
	nsrun rtr "$IPT" -F FORWARD
}

# NFQ_BENCH_FGRAPH=DIR: the time of each call of the queue handler's two
# entry points during the flood (function_graph tracer; enqueue: the
# nf_queue handler, nfqnl_enqueue or mainline's nfqnl_enqueue_packet;
# verdict: nfqnl_recv_verdict_batch), summarised in DIR/IMPL-N.txt as
# "function calls median-us mean-us". Under TCG no profiler sees the busy
# path (see RESULTS.md), but the tracer's clock does.
FT=/sys/kernel/tracing
fgraph_start() {
	[ -e $FT/trace ] || mount -t tracefs nodev $FT || die "no tracefs"
	echo nop > $FT/current_tracer
	echo 8192 > $FT/buffer_size_kb
	grep -h '^nfqnl_enqueue\(_packet\)\? \|^nfqnl_recv_verdict_batch ' \
		$FT/available_filter_functions | awk '{ print $1 }' > $FT/set_ftrace_filter
	echo 1 > $FT/options/funcgraph-tail
	: > $FT/trace
	echo function_graph > $FT/current_tracer
}
fgraph_stop() {
	# (a change of tracer empties the buffer: read it first)
	echo 0 > $FT/tracing_on
	# a call is a line "CPU) DURATION us | NAME [MODULE]();"
	awk '/\| *nfqnl[a-z_]* .*\(\);/ {
		d = ""; for (i = 1; i < NF; i++) if ($(i + 1) == "us") d = $i
		f = $0; sub(/.*\| */, "", f); sub(/[ (].*/, "", f)
		if (d != "") print f, d }' $FT/trace | sort -k1,1 -k2,2g |
		awk '{ n[$1]++; v[$1, n[$1]] = $2; s[$1] += $2 }
		     END { for (f in n) printf "%s %d %.3f %.3f\n", f, n[f],
			   v[f, int((n[f] + 1) / 2)], s[f] / n[f] }' > "$1"
	echo nop > $FT/current_tracer
	echo 1 > $FT/tracing_on
	echo > $FT/set_ftrace_filter
}

# udp_pps: packets/s an accept-all listener (batch verdict every 32)
# passes for a SECS-second 64-byte UDP flood; the queue's losses (queue
# full + socket full) are left in $TMP/lost.
udp_pps() {
	local n pin
	nsrun rtr "$IPT" -A FORWARD -p udp -j NFQUEUE --queue-num 1
	listener rtr l -q 1 -l 4096 -b 32
	# NFQ_BENCH_PIN=1: the flood on CPU 0, the listener on CPU 1
	[ "${NFQ_BENCH_PIN:-0}" = 1 ] && taskset -p -c 1 "$LPID" > /dev/null
	# NFQ_BENCH_PERF=DIR: a system-wide profile of each flood, DIR/IMPL-N.txt
	[ -n "${NFQ_BENCH_PERF:-}" ] && perf record -a -q -o "$TMP/perf.data" -- sleep "$SECS" \
		> /dev/null 2>&1 &
	pin=()
	[ "${NFQ_BENCH_PIN:-0}" = 1 ] && pin=(taskset -c 0)
	[ -n "${NFQ_BENCH_FGRAPH:-}" ] && fgraph_start
	timeout $((SECS + 20)) ip netns exec cli "${pin[@]}" iperf3 -u -c 10.0.2.2 -p 5201 \
		-b 0 -l 64 -t "$SECS" >/dev/null 2>&1
	if [ -n "${NFQ_BENCH_PERF:-}" ]; then
		wait $!
		perf report -i "$TMP/perf.data" --stdio --no-children --sort dso,sym 2>/dev/null |
			grep -v '^$' | grep -v '^# ' | grep '%' | head -n 80 > "$NFQ_BENCH_PERF/$impl-$round.txt"
	fi
	[ -n "${NFQ_BENCH_FGRAPH:-}" ] && fgraph_stop "$NFQ_BENCH_FGRAPH/$impl-$round.txt"
	nsrun rtr cat /proc/net/netfilter/nfnetlink_queue |
		awk '$1 == 1 { print $6 + $7 }' > "$TMP/lost"
	stop_listener
	nsrun rtr "$IPT" -F FORWARD
	n=$(sed -n 's/.* verdicts \([0-9]*\) .*/\1/p' "$TMP/l.out")
	echo $(( ${n:-0} / SECS ))
}

# race: the boundary race of --fail-open, measured. Two UDP floods (two
# iperf3 clients, so two CPUs queue at once) for SECS seconds through a
# --fail-open rule into queue 2 (length 16) whose listener needs 1 ms per
# packet: the queue is at its limit all the time. Prints "queued+accepted
# failopen late" where late = packets dropped as queue or socket full
# although their rule asked for fail-open.
race() {
	local p floods=()
	nsrun rtr "$IPT" -A FORWARD -p udp -j NFQUEUE --queue-num 2 --fail-open
	listener rtr l -q 2 -l 16 -d 1
	for p in 5201 5202; do
		timeout $((SECS + 20)) ip netns exec cli iperf3 -u -c 10.0.2.2 -p $p \
			-b 0 -l 64 -t "$SECS" >/dev/null 2>&1 &
		floods+=("$!")
	done
	wait "${floods[@]}" 2>/dev/null
	sleep 0.2
	p=$(rule_pkts rtr FORWARD 1)
	nsrun rtr cat /proc/net/netfilter/nfnetlink_queue |
		awk -v n="$p" '$1 == 2 { print n, $10, $6 + $7 }'
	stop_listener
	nsrun rtr "$IPT" -F FORWARD
}

declare -A res
for round in $(seq "$((ROUNDS > PPS_ROUNDS ? ROUNDS : PPS_ROUNDS))"); do
	impls=(nfext intree)
	if [ -f "$NOROOM_KO" ] && [ "$round" -le "$ROUNDS" ] && [ "${NFQ_BENCH_ONLY:-}" != pps ]; then
		impls+=(noroom)
	fi
	[ -f "$NOIDS_KO" ] && [ "$round" -le "$PPS_ROUNDS" ] && impls+=(noids)
	# every module takes every place in turn: rotated each round, the
	# rotation reversed every other pass (2 or 3 modules: every order)
	n=${#impls[@]}
	order=()
	for i in $(seq 0 $((n - 1))); do
		order+=("${impls[$(( (i + round) % n ))]}")
	done
	if [ $(( (round - 1) / n % 2 )) -eq 1 ]; then
		for i in $(seq $((n - 1)) -1 0); do rev+=("${order[$i]}"); done
		order=("${rev[@]}")
		rev=()
	fi
	for impl in "${order[@]}"; do
		use "$impl"
		cases="none off flag"
		[ "$impl" = nfext ] && cases="none off rule flag"
		[ "$impl" = noroom ] && cases="none rule flag"
		[ "$impl" = noids ] && cases=""
		# NFQ_BENCH_ONLY=pps: part (2) only (quick look while developing)
		[ "${NFQ_BENCH_ONLY:-}" = pps ] && cases=""
		[ "$round" -gt "$ROUNDS" ] && cases=""
		for c in $cases; do
			v=$(original "$c")
			res[$impl.$c]+="$v "
			[ "$c" = none ] && none=$v
			# share of this round's own no-queue figure
			res[$impl.$c.pct]+="$(awk -v a="$v" -v b="$none" 'BEGIN { if (b > 0) printf "%.4f", 100 * a / b; else print 0 }') "
			echo "round $round $impl $c: $v Mbit/s" >&2
		done
		[ "$round" -gt "$PPS_ROUNDS" ] || [ "$impl" = noroom ] && continue
		v=$(udp_pps)
		res[$impl.pps]+="$v "
		res[$impl.lost]+="$(cat "$TMP/lost") "
		echo "round $round $impl pps: $v (lost $(cat "$TMP/lost"))" >&2
	done
done
RACE_ROUNDS=${NFQ_BENCH_RACE_ROUNDS:-3}
if [ "${NFQ_BENCH_ONLY:-}" != pps ]; then
	use nfext
	for round in $(seq "$RACE_ROUNDS"); do
		read -r n fo late <<< "$(race)"
		res[race.n]+="$n "
		res[race.fo]+="$fo "
		res[race.late]+="$late "
		echo "round $round race: $n packets, $fo fail-open, $late late drops" >&2
	done
fi
unload

med() { echo "${res[$1]}" | tr ' ' '\n' | grep . | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# NFQ_BENCH_ONLY=pps: the packets/s table only
[ "${NFQ_BENCH_ONLY:-}" = pps ] || {
echo "### NFQUEUE fail-open: the original scenario (50 ms listener, queue length 16)"
echo
echo "iperf3 TCP throughput (Mbit/s, median of $ROUNDS rounds of ${SECS} s) cli -> router -> srv, the router queueing the transfer to a listener sleeping 50 ms per packet; % of no queue: median over the rounds of the figure / the same round's no-queue figure."
echo
echo "| case | nfext Mbit/s | % of no queue | in-tree Mbit/s | % of no queue | nfext / in-tree |"
echo "|---|---:|---:|---:|---:|---:|"
for c in none off rule flag; do
	n=$(med nfext.$c)
	case $c in
	none) name="no queue at all" ;;
	off) name="fail-open off" ;;
	rule) name="fail-open on: rule option --fail-open" ;;
	flag) name="fail-open on: queue flag (listener)" ;;
	esac
	np_=$(printf '%.2f%%' "$(med nfext.$c.pct)")
	if [ "$c" = rule ]; then
		echo "| $name | $n | $np_ | not supported | - | - |"
	else
		i=$(med intree.$c)
		echo "| $name | $n | $np_ | $i | $(printf '%.2f%%' "$(med intree.$c.pct)") | $(ratio "$n" "$i") |"
	fi
done
echo
echo "Per round (Mbit/s): $(for k in nfext.none nfext.off nfext.rule nfext.flag intree.none intree.off intree.flag; do printf '%s: %s; ' "$k" "${res[$k]% }"; done)"
echo
if [ -n "${res[noroom.none]:-}" ]; then
	echo "### NFQUEUE fail-open: what the socket-room estimate is worth"
	echo
	echo "The same scenario and rounds as above with a third module between nfext's and the in-tree one: nfext's nfnetlink_queue built without the socket-room estimate (tests/bench/variants.sh noroom: per-rule fail-open then asks the queue length only); the queue flag never used the estimate, so its row shows the spread between builds. % of no queue: median over the rounds of the figure / the same round's no-queue figure of the same module."
	echo
	echo "| case | nfext (estimate) Mbit/s | % of no queue | noroom (length only) Mbit/s | % of no queue | nfext / noroom |"
	echo "|---|---:|---:|---:|---:|---:|"
	for c in rule flag; do
		[ "$c" = rule ] && name="fail-open on: rule option --fail-open" || name="fail-open on: queue flag (listener)"
		n=$(med nfext.$c)
		v=$(med noroom.$c)
		echo "| $name | $n | $(printf '%.2f%%' "$(med nfext.$c.pct)") | $v | $(printf '%.2f%%' "$(med noroom.$c.pct)") | $(ratio "$n" "$v") |"
	done
	echo
	echo "Per round (Mbit/s): $(for k in noroom.none noroom.rule noroom.flag; do printf '%s: %s; ' "$k" "${res[$k]% }"; done)"
	echo
fi
}
np=$(med nfext.pps)
ip_=$(med intree.pps)
echo "### NFQUEUE: packets/s through an accept-all listener, batch verdicts"
echo
echo "Packets/s accepted by nfq-listener (copy packet, batch verdict every 32, queue length 4096) for a ${SECS} s 64-byte UDP flood through the router, median of $PPS_ROUNDS rounds, nfext and in-tree nfnetlink_queue taking turns in one boot${res[noids.pps]:+, with the noids variant (verdicts walk the list, as mainline) in the same rounds}; the order of the modules rotates from round to round."
echo
# each round's own ratio (the two ran back to back), as the rpfilter table
read -ra pn <<< "${res[nfext.pps]}"
read -ra pi <<< "${res[intree.pps]}"
for i in "${!pn[@]}"; do res[pair.pps]+="$(ratio "${pn[$i]}" "${pi[$i]:-0}") "; done
echo "| queue handler | packets/s (median) | rounds | packets lost in the queue (median) | ratio nfext / in-tree (of the medians) | ratio (median of each round's own) |"
echo "|---|---:|---|---:|---:|---:|"
echo "| nfext nfnetlink_queue | $np | ${res[nfext.pps]% } | $(med nfext.lost) | $(ratio "$np" "$ip_") | $(med pair.pps) |"
echo "| in-tree nfnetlink_queue | $ip_ | ${res[intree.pps]% } | $(med intree.lost) | 1.00 | 1.00 |"
if [ -n "${res[noids.pps]:-}" ]; then
	read -ra pv <<< "${res[noids.pps]}"
	for i in "${!pv[@]}"; do res[pairv.pps]+="$(ratio "${pv[$i]}" "${pi[$i]:-0}") "; done
	vp=$(med noids.pps)
	echo "| noids: nfext without its id table (variants.sh) | $vp | ${res[noids.pps]% } | $(med noids.lost) | $(ratio "$vp" "$ip_") | $(med pairv.pps) |"
fi
[ "${NFQ_BENCH_ONLY:-}" = pps ] && exit 0
echo
echo "### NFQUEUE --fail-open: the boundary race"
echo
echo "Two 64-byte UDP floods (two iperf3 clients, ${SECS} s) through one --fail-open rule into a queue of 16 whose listener needs 1 ms per packet, so the queue sits at its limit while two CPUs queue; late drops = packets dropped as queue or socket full although their rule asked for fail-open (fields 6 + 7 of /proc/net/netfilter/nfnetlink_queue). nfext only ($RACE_ROUNDS rounds)."
echo
echo "| round | packets through the rule | fail-open accepts | late drops |"
echo "|---:|---:|---:|---:|"
read -ra rn <<< "${res[race.n]}"
read -ra rf <<< "${res[race.fo]}"
read -ra rl <<< "${res[race.late]}"
for i in "${!rn[@]}"; do
	echo "| $((i + 1)) | ${rn[$i]} | ${rf[$i]} | ${rl[$i]} |"
done
