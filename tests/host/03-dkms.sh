#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.conf names every module the tree builds (regenerate: make dkms.conf).
cd "$(dirname "$0")/../.." || exit 1
if diff -u dkms.conf <(scripts/gen-dkms-conf.sh); then
	echo "dkms.conf lists all $(grep -c BUILT_MODULE_NAME dkms.conf) modules"
else
	echo "dkms.conf is stale: run make dkms.conf"; exit 1
fi
