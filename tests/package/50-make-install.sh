#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The same round trip without packages: make install (the tree built on the
# host, -o all: no rebuild under TCG) diverts Debian's plugins and puts
# nfext's modules in updates/nfext, where modprobe finds them first; the rule
# forms load them; make uninstall gives everything back: no diversion,
# dpkg --verify clean, the in-tree module autoloads, the same files as before.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
headers_link
unload_all
snapshot before-make
MK=(make -C "$NFEXT_REPO" -s -o all -o man -o iptables-patches)
# the modules built for the guest's kernel: on the debug kernel (make
# check-debug) those of NFEXT_KO_ROOT, not the tree's (built for Debian's)
if [ "$NFEXT_KO_ROOT" != "$NFEXT_REPO" ]; then
	dirs=$(for kb in "$NFEXT_KO_ROOT"/kernel/*/Kbuild; do dirname "$kb"; done)
	MK+=(KMOD_DIRS="$(echo $dirs)")
fi
t0=$(date +%s)
out=$("${MK[@]}" install 2>&1)
eq "make install: exit status" "$?" 0 || echo "$out" | tail -n 20
echo "# make install took $(( $(date +%s) - t0 )) s"
modules_in updates/nfext
check_replaced make
dpkg_clean
netns r
ok "iptables -m rpfilter" nsrun r iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP
is_dkms_ours xt_rpfilter "/lib/modules/$KVER/updates/nfext"
ok "iptables -j NFQUEUE --fail-open" nsrun r iptables -A FORWARD -j NFQUEUE --queue-num 0 --fail-open
is_dkms_ours xt_NFQUEUE "/lib/modules/$KVER/updates/nfext"
nsrun r iptables -t raw -F
nsrun r iptables -F
unload_all

t0=$(date +%s)
out=$("${MK[@]}" uninstall 2>&1)
eq "make uninstall: exit status" "$?" 0 || echo "$out" | tail -n 20
echo "# make uninstall took $(( $(date +%s) - t0 )) s"
eq "no nfext diversion" "$(nfext_diversions)" ""
nok "make install's directory log removed" test -e /var/lib/nfext
dpkg_clean
ok "iptables -m rpfilter after uninstall" nsrun r iptables -t raw -A PREROUTING -m rpfilter --invert -j DROP
intree ipt_rpfilter
out=$(nsrun r iptables -A FORWARD -j NFQUEUE --queue-num 0 --fail-open 2>&1)
contains "--fail-open refused with the stock message" "$out" 'unknown option "--fail-open"'
nsrun r iptables -t raw -F
unload_all
same_files before-make
finish
