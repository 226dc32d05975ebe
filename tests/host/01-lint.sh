#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Kernel code passes checkpatch.pl --no-tree -f and builds with W=1 warning-free.
cd "$(dirname "$0")/../.." && exec tests/lint.sh
