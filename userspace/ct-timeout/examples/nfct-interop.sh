#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# ct-timeout and conntrack-tools' nfct manage the same kernel objects.
set -e
ct-timeout add dns_short inet udp unreplied 10 replied 20
nfct timeout get dns_short          # .UNREPLIED = 10, .REPLIED = 20
nfct timeout add ping_short inet icmp timeout 5
ct-timeout get ping_short           # timeout 5
ct-timeout --json list
# nfct timeout delete removes a policy even while rules use it (Linux 6.1);
# ct-timeout delete refuses that unless --force:
#   ct-timeout delete dns_short
#   -> ct-timeout: policy dns_short is in use by 1 rules; remove them first
