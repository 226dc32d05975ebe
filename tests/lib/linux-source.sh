# SPDX-License-Identifier: GPL-2.0
# Files from Debian's linux-source-6.1 (sourced by host-side scripts).

# linux_source_extract DEST STRIP PATTERN...: download linux-source-6.1 and
# extract the members matching PATTERN (tar wildcards) into DEST, less
# their first STRIP path components. Status 1 with a message on failure.
linux_source_extract() {
	local dest=$1 strip=$2 tmp rc=0
	shift 2
	tmp=$(mktemp -d)
	if ! (cd "$tmp" && apt-get download -q linux-source-6.1 >/dev/null 2>&1); then
		echo "cannot download linux-source-6.1"
		rm -rf "$tmp"
		return 1
	fi
	mkdir -p "$dest"
	dpkg -x "$tmp"/linux-source-6.1_*.deb "$tmp/x" &&
		tar -xJf "$tmp"/x/usr/src/linux-source-6.1.tar.xz -C "$dest" \
			--strip-components="$strip" --wildcards "$@" || rc=1
	rm -rf "$tmp"
	[ $rc -eq 0 ] || echo "cannot extract $* from linux-source-6.1"
	return $rc
}
