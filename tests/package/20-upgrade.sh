#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt upgrades both packages from N to N+1 (same sources, a later version):
# DKMS drops N's build and installs N+1's, the diversions stay, once each,
# with nfext's files in place; nothing of N is left.
cd "$(dirname "$0")" && source ../lib/common.sh && source ../lib/modules.sh && source ./lib.sh
[ "$(dpkg-query -W -f='${Version}' nfext 2>/dev/null)" = "$VER" ] || die "run after 10-apt-install"
t0=$(date +%s)
ok "apt-get install N+1 ($NEXT) over N" pkg_install "$DEB/next" "$NEXT"
echo "# the upgrade with DKMS took $(( $(date +%s) - t0 )) s"
eq "nfext is N+1" "$(dpkg-query -W -f='${Version}' nfext)" "$NEXT"
eq "nfext-dkms is N+1" "$(dpkg-query -W -f='${Version}' nfext-dkms)" "$NEXT"
eq "dkms status: N+1 only" "$(dkms status nfext 2>&1)" "nfext/$NEXT, $KVER, x86_64: installed"
nok "N's sources removed" test -e "/usr/src/nfext-$VER"
nok "N's DKMS build removed" test -e "/var/lib/dkms/nfext/$VER"
dkms_installed "$DEB/next" "$NEXT"
modules_in updates/dkms
check_replaced deb
dpkg_clean
owned_files owned-next
finish
