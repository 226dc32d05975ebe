#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print nfext.8: userspace/man/nfext.8.in with the man fragment of every
# iptables extension nfext ships in place of @MATCHES@ (lowercase names) and
# @TARGETS@ (uppercase), one ".SS NAME" each, as iptables makes
# iptables-extensions(8). The fragments: userspace/libxt_*/libxt_*.man
# (nfext's own plugins) and build/iptables/out/libxt_*.man (the patched
# iptables extensions, iptables-patches/build.sh).
set -eu
cd "$(dirname "$0")/.."
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
date=$(sed -n 's/^ -- .*>  [A-Z][a-z]*, *[0-9]* \([A-Z][a-z]*\) \([0-9]*\) .*/\1 \2/p' debian/changelog | head -n1)
frags=$(ls userspace/libxt_*/libxt_*.man build/iptables/out/libxt_*.man 2>/dev/null |
	awk -F/ '{ n = $NF; sub(/^libxt_/, "", n); sub(/\.man$/, "", n); print n, $0 }' | sort -f)
section() {	# section match|target
	echo "$frags" | while read -r name file; do
		[ -n "$name" ] || continue
		case $1:$name in
		target:[A-Z]* | match:[a-z]*) ;;
		*) continue ;;
		esac
		echo ".SS $name"
		grep -v '^\.\\" SPDX' "$file"
	done
}
[ -n "$frags" ] || { echo "gen-nfext-man: no man fragments (make first)" >&2; exit 1; }
while IFS= read -r line; do
	case $line in
	@MATCHES@) section match ;;
	@TARGETS@) section target ;;
	*) line=${line//@VERSION@/$ver}; echo "${line//@DATE@/$date}" ;;
	esac
done < userspace/man/nfext.8.in
