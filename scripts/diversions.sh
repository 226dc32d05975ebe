#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The files nfext puts in place of Debian's own (scripts/diversions.list).
#
#   diversions.sh paths             the stock paths, one a line
#   diversions.sh install [DESTDIR] copy nfext's files to their stock paths
#   diversions.sh add               dpkg-divert every stock file aside (make install)
#   diversions.sh remove [DESTDIR]  delete nfext's files; without DESTDIR also
#                                   give the stock files back (make uninstall)
#   diversions.sh fill TEMPLATE     a maintainer script (debian/rules): the
#                                   lines #DIVERT_ADD# and #DIVERT_REMOVE#
#                                   become one dpkg-divert line per file,
#                                   #DIVERSIONS# the stock paths
set -eu
cd "$(dirname "$0")/.."
PKG=nfext
XTLIBDIR=$(pkg-config --variable=xtlibdir xtables 2>/dev/null) ||
	{ echo "diversions: pkg-config cannot find xtables (libxtables-dev)" >&2; exit 1; }

# entries: "STOCK-PATH NFEXT-FILE" lines with @XTLIBDIR@ expanded.
entries() {
	sed -e 's/#.*//' -e "s|@XTLIBDIR@|$XTLIBDIR|" scripts/diversions.list |
		awk 'NF == 2 { print $1, $2 } NF != 0 && NF != 2 {
			print "diversions.list: bad line: " $0 > "/dev/stderr"; exit 1 }'
}

divert() {	# divert add|remove PATH
	dpkg-divert --package "$PKG" --"$1" --rename --divert "$2.distrib" "$2"
}

case ${1:-} in
paths) entries | cut -d' ' -f1 ;;
install)
	dest=${2:-}
	entries | while read -r path file; do
		[ -f "$file" ] || { echo "diversions: $file is not built (make)" >&2; exit 1; }
		install -d "$dest$(dirname "$path")"
		if [ "${path%.gz}" != "$path" ] && [ "${file%.gz}" = "$file" ]; then
			gzip -9n < "$file" > "$dest$path"
			chmod 644 "$dest$path"
		else
			install -m "$(stat -c %a "$file")" "$file" "$dest$path"
		fi
	done
	;;
add)
	entries | while read -r path file; do divert add "$path"; done ;;
remove)
	dest=${2:-}
	entries | while read -r path file; do
		rm -f "$dest$path"
		[ -n "$dest" ] || divert remove "$path"
	done
	;;
fill)
	list=$(entries | cut -d' ' -f1 | tr '\n' ' ')
	list=${list% }
	while IFS= read -r line; do
		case $line in
		'#DIVERT_ADD#' | '#DIVERT_REMOVE#')
			op=${line#\#DIVERT_}; op=${op%\#}
			op=$(echo "$op" | tr A-Z a-z)
			for path in $list; do
				printf '\tdpkg-divert --package %s --%s --rename --divert %s.distrib %s\n' \
					"$PKG" "$op" "$path" "$path"
			done
			;;
		*) echo "${line//#DIVERSIONS#/$list}" ;;
		esac
	done < "$2"
	;;
*) echo "usage: diversions.sh paths | install [DESTDIR] | add | remove [DESTDIR] | fill TEMPLATE" >&2; exit 2 ;;
esac
