#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb builds both packages from a copy of the tree, lintian reports no
# error on them (scripts/mkdeb.sh fails otherwise), and each package holds
# what it must: the DKMS sources and configuration, the plugins, programs
# and man pages. The packages' install round trip is tests/package.
set -u
cd "$(dirname "$0")/../.."
fails=0
check() { if "$@"; then echo "ok: $*"; else echo "FAIL: $*"; fails=$((fails + 1)); fi; }
out=$(make -s deb 2>&1) || { echo "$out" | tail -n 30; echo "FAIL: make deb"; exit 1; }
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
dkms=build/deb/nfext-dkms_${ver}_all.deb
tools=$(ls build/deb/nfext_"${ver}"_*.deb 2>/dev/null | head -n1)
check test -f "$dkms"
check test -n "$tools"
[ $fails -eq 0 ] || exit 1
c=$(dpkg-deb -c "$dkms")
t=$(dpkg-deb -c "$tools")
for f in "usr/src/nfext-$ver/dkms.conf" "usr/src/nfext-$ver/kernel/xt_rpfilter/xt_rpfilter.c" \
	"usr/src/nfext-$ver/kernel/nfnetlink_queue/Kbuild"; do
	check grep -q "$f" <<< "$c"
done
for f in libxt_rpfilter.so libxt_NFQUEUE.so libxt_CT.so sbin/ct-timeout man8/nfext.8 man8/ct-timeout.8; do
	check grep -q "$f" <<< "$t"
done
# test-only programs are never shipped
for f in nfq-fuzz nfq-lnfq-client xt-rawrule fib-reject-test; do
	check test -z "$(grep "/$f\$" <<< "$t")"
done
check grep -q "AUTOINSTALL=\"*yes" <(dpkg-deb --fsys-tarfile "$dkms" | tar -xO "./usr/src/nfext-$ver/dkms.conf")
[ $fails -eq 0 ]
