#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every tracked source file starts with an SPDX line (within its first two
# lines, after a #! line), GPL-2.0 for kernel code.
cd "$(dirname "$0")/../.." || exit 1
bad=0
while read -r f; do
	case $f in *.json) continue ;; esac
	# formats without comments (the license is in debian/copyright)
	case $f in debian/changelog|debian/copyright|debian/source/format) continue ;; esac
	if ! head -n 2 "$f" | grep -q 'SPDX-License-Identifier:'; then
		echo "no SPDX line: $f"; bad=1
	fi
	case $f in kernel/*)
		head -n 2 "$f" | grep -q 'SPDX-License-Identifier: GPL-2.0' ||
			{ echo "kernel file not GPL-2.0: $f"; bad=1; } ;;
	esac
done < <(git ls-files)
[ $bad -eq 0 ] && echo "every tracked source file has an SPDX line"
exit $bad
