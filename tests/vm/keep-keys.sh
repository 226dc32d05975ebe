#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run by tests/vm/guest-init.sh before the guest's command: keep the
# packet path's static keys switched on for the guest's whole life, from a
# hidden network namespace (not in `ip netns list`, so no scenario flushes
# or deletes it) that holds
#   - an nf_tables base chain on every hook of the inet, arp and netdev
#     families (ingress and egress on a dummy device): the keys
#     nf_hooks_needed[family][hook], ingress_needed_key, egress_needed_key;
#   - a socket with SO_TIMESTAMP on: netstamp_needed_key.
#
# Why: the kernel flips a static key by rewriting the code at every site
# that tests it (text_poke_bp: an int3 first, then the new bytes). Under
# QEMU 7.2's multi-threaded TCG (Debian 12's), a vCPU that runs such a site
# in a loop while the other vCPU rewrites it can keep executing its stale
# translation with the int3 in it; the kernel's int3 handler finds the
# byte already replaced, returns to the same address, and the vCPU loops
# there forever with interrupts served in between: the guest wedges. It
# happens when a scenario registers or removes the last hook of a kind
# while a ping flood crosses the namespaces; a guest without nfext's modules
# wedges the same way (tests/RESULTS.md, "Explained: the guest that
# wedged"). A firewall always has hooks registered, so keeping the keys on
# is the state the modules meet in production anyway.
#
# The kernel command line nfext.keepkeys=0 skips this (to reproduce).
set -u
grep -qw 'nfext.keepkeys=0' /proc/cmdline && exit 0

pidfile=/run/nfext-keepkeys.pid
[ -f "$pidfile" ] && exit 0

# The namespace lives as long as this process (no file in /run/netns).
unshare --net python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
# SO_TIMESTAMP: 29 on x86 (not every python names it)
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMP", 29), 1)
time.sleep(1 << 30)
' </dev/null &
pid=$!
echo "$pid" > "$pidfile"
# unshare has made the namespace once the process runs inside it
for _ in $(seq 50); do
	[ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.1
done
if ! kill -0 "$pid" 2>/dev/null; then
	echo "keep-keys: the process holding the namespace died" >&2
	exit 1
fi
in_keep() { nsenter --net="/proc/$pid/ns/net" "$@"; }

in_keep ip link set lo up
in_keep ip link add nfk0 type dummy && in_keep ip link set nfk0 up ||
	echo "keep-keys: no dummy device: the netdev hooks' keys are not kept" >&2

fail=0
keep() {
	local what=$1
	shift
	in_keep nft -f - <<<"$*" || { echo "keep-keys: cannot keep the $what hooks' keys" >&2; fail=1; }
}
keep inet "table inet nfext_keep {
	chain k_pre { type filter hook prerouting priority 0; }
	chain k_in { type filter hook input priority 0; }
	chain k_fwd { type filter hook forward priority 0; }
	chain k_out { type filter hook output priority 0; }
	chain k_post { type filter hook postrouting priority 0; }
}"
keep arp "table arp nfext_keep {
	chain k_in { type filter hook input priority 0; }
	chain k_out { type filter hook output priority 0; }
}"
keep netdev "table netdev nfext_keep {
	chain k_in { type filter hook ingress device nfk0 priority 0; }
	chain k_out { type filter hook egress device nfk0 priority 0; }
}"
keep "inet ingress" "table inet nfext_keep_ingress {
	chain k_in { type filter hook ingress device nfk0 priority 0; }
}"
exit $fail
