#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt installs nfext-dkms and nfext (version N): DKMS builds every module of
# dkms.conf for the running kernel into updates/, modprobe finds each there
# first, Debian's plugins are diverted and nfext's are in place, and
# dpkg --verify finds nothing of iptables or nftables changed.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
arch=$(dpkg --print-architecture)
N_DKMS=$DEB/nfext-dkms_${VER}_all.deb
N_TOOLS=$DEB/nfext_${VER}_${arch}.deb
[ -f "$N_DKMS" ] && [ -f "$N_TOOLS" ] || die "no packages in $DEB (tests/package/host-setup.sh)"
headers_link
unload_all
snapshot before-deb
t0=$(date +%s)
ok "apt-get install ./nfext-dkms_${VER}_all.deb ./nfext_${VER}_${arch}.deb" apt_install "$N_DKMS" "$N_TOOLS"
echo "# apt install with the DKMS build took $(( $(date +%s) - t0 )) s"
contains "dkms status" "$(dkms status nfext 2>&1)" "nfext/$VER, $KVER, x86_64: installed"
modules_in updates/dkms
eq "ipt_rpfilter resolves to" "$(modprobe --resolve-alias ipt_rpfilter 2>&1)" xt_rpfilter
eq "ip6t_rpfilter resolves to" "$(modprobe --resolve-alias ip6t_rpfilter 2>&1)" xt_rpfilter
check_replaced deb
dpkg_clean
owned_files owned-n
ok "man nfext" test -f /usr/share/man/man8/nfext.8.gz
ok "man ct-timeout" test -f /usr/share/man/man8/ct-timeout.8.gz
for t in nfq-fuzz nfq-lnfq-client xt-rawrule fib-reject-test; do
	nok "test tool $t not installed" sh -c "dpkg -L nfext | grep -q /$t\$"
done
finish
