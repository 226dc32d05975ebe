#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Host side of tests/package, run by tests/check.sh before the guest boots
# (building the packages in the TCG guest would take far too long): the
# packages of this tree as version N (build/deb) and as N+1 (build/deb/next,
# the same sources with one more changelog entry) for the upgrade scenario.
set -eu
cd "$(dirname "$0")/../.."
make -s deb
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog)
scripts/mkdeb.sh --version "$ver+next1" --out build/deb/next
