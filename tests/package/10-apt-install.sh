#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt installs nfext-dkms and nfext (version N): DKMS installs every module
# of dkms.conf for the running kernel into updates/dkms (its build made on
# the host, loaded by the package's postinst; lib.sh pkg_install), modprobe
# finds each there first, Debian's plugins are diverted and nfext's are in
# place, and dpkg --verify finds nothing of iptables or nftables changed.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
[ -f "$DEB/nfext-dkms_${VER}_all.deb" ] && [ -f "$DEB/nfext-$VER.dkms.tar.gz" ] ||
	die "no packages in $DEB (tests/package/host-setup.sh)"
headers_link
unload_all
snapshot before-deb
t0=$(date +%s)
ok "apt-get install ./nfext-dkms_${VER}_all.deb ./nfext_${VER}_${ARCH}.deb" pkg_install "$DEB" "$VER"
echo "# apt install with DKMS took $(( $(date +%s) - t0 )) s"
contains "dkms status" "$(dkms status nfext 2>&1)" "nfext/$VER, $KVER, x86_64: installed"
dkms_installed "$DEB" "$VER"
modules_in updates/dkms
eq "ipt_rpfilter resolves to" "$(modprobe --resolve-alias ipt_rpfilter 2>&1)" xt_rpfilter
eq "ip6t_rpfilter resolves to" "$(modprobe --resolve-alias ip6t_rpfilter 2>&1)" xt_rpfilter
check_replaced deb
dpkg_clean
owned_files owned-n
ok "man nfext" test -f /usr/share/man/man8/nfext.8.gz
ok "man ct-timeout" test -f /usr/share/man/man8/ct-timeout.8.gz
# the file-list comparison of 40 sees what the packages added
d=$(files_diff before-deb)
for f in "/usr/src/nfext-$VER/dkms.conf" "$XTLIBDIR/libxt_CT.so.distrib" /usr/sbin/ct-timeout \
	/usr/lib/modprobe.d/nfext.conf "/lib/modules/$KVER/updates/dkms/xt_rpfilter.ko"; do
	contains "new since before the install: $f" "$d" "> $f"
done
for t in nfq-fuzz nfq-lnfq-client xt-rawrule fib-reject-test; do
	nok "test tool $t not installed" sh -c "dpkg -L nfext | grep -q /$t\$"
done
finish
