#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The generated dkms.conf (scripts/gen-dkms-conf.sh) names exactly the
# modules kbuild builds from kernel/*/Kbuild (their modules.order files, so
# `make` first), each in its own folder, and the version of debian/changelog.
cd "$(dirname "$0")/../.." || exit 1
conf=$(scripts/gen-dkms-conf.sh) || { echo "gen-dkms-conf.sh failed"; exit 1; }
ls kernel/*/modules.order >/dev/null 2>&1 || { echo "no kernel/*/modules.order: run make"; exit 1; }
built=$(for o in kernel/*/modules.order; do
	sed "s|^\(.*/\)\{0,1\}\([^/]*\)\.o$|$(dirname "$o")/ \2|; s|^\(.*/\)\{0,1\}\([^/]*\)\.ko$|$(dirname "$o")/ \2|" "$o"
done | sort)
listed=$(echo "$conf" | sed -n 's/^BUILT_MODULE_\(NAME\|LOCATION\)\[\([0-9]*\)\]="\(.*\)"/\2 \1 \3/p' |
	awk '$2 == "NAME" { n[$1] = $3 } $2 == "LOCATION" { l[$1] = $3 }
	     END { for (i in n) print l[i], n[i] }' | sort)
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
bad=0
if [ "$built" != "$listed" ]; then
	echo "dkms.conf and the built modules differ (< built, > dkms.conf):"
	diff <(echo "$built") <(echo "$listed"); bad=1
fi
echo "$conf" | grep -qx "PACKAGE_VERSION=\"$ver\"" ||
	{ echo "dkms.conf: PACKAGE_VERSION is not $ver (debian/changelog)"; bad=1; }
[ $bad -eq 0 ] && echo "dkms.conf lists all $(echo "$built" | wc -l) built modules, version $ver"
exit $bad
