#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages listed in deps.txt (or in the lists given as
# arguments) that are missing; quiet and idempotent when everything is there
# already.
#   tests/deps.sh [LIST...]
set -eu
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- deps.txt
want=$(cat "$@" | grep -v -e '^#' -e '^$')
missing=()
for p in $want; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages (run as root): ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
