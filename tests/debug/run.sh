#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the make check suite on the debug guest kernel (KASAN,
# lockdep, kmemleak, UBSAN; tests/debug/kernel.sh builds and caches it).
# nfext's modules are built against that kernel in build/debug/ (the tree's
# own kernel/*/*.ko stay those for Debian's kernel); scenarios find them
# through NFEXT_KO_ROOT, wait NFEXT_TIME_SCALE times longer, and every area
# ends with a kmemleak scan. Any report fails the area.
#
#   tests/debug/run.sh [AREA...] [-- FILTER]      (default: every guest area)
#   tests/debug/run.sh --soak                     (make soak on that kernel)
set -eu
cd "$(dirname "$0")/../.."
REPO=$PWD
kdir=$(tests/debug/kernel.sh) || exit 2
kver=$(cat "$kdir/kver")

out=$REPO/build/debug
rm -rf "$out/kernel"
mkdir -p "$out"
cp -r kernel "$out/"
for kb in "$out"/kernel/*/Kbuild; do
	d=$(dirname "$kb")
	find "$d" \( -name '*.o' -o -name '*.ko' -o -name '*.mod*' \
		-o -name '.*.cmd' -o -name Module.symvers -o -name modules.order \) \
		-delete
	make -s -C "$kdir/build" M="$d" W=1 modules ||
		{ echo "check-debug: cannot build $d against $kver"; exit 2; }
done

soak=0
if [ "${1:-}" = --soak ]; then
	soak=1
	shift
elif [ $# -eq 0 ] || [ "$1" = -- ]; then
	areas=()
	for d in tests/*/; do
		a=$(basename "$d")
		case $a in lib|vm|bench|host|debug) continue ;; esac
		[ -f "$d/manual" ] && continue
		ls "$d"[0-9]*.sh >/dev/null 2>&1 && areas+=("$a")
	done
	set -- "${areas[@]}" "$@"
fi

scale=${NFEXT_TIME_SCALE:-4}
export NFEXT_VM_IMG=$kdir/img NFEXT_KVER=$kver NFEXT_KO_ROOT=$out
export NFEXT_TIME_SCALE=$scale
export NFEXT_VM_MEM=${NFEXT_VM_MEM:-4096}
# 4-level paging. With QEMU's "max" CPU the guest runs on 5-level paging
# (LA57), and 6.1's identify_cpu() clears the boot CPU's feature bits
# before reading them again, with interrupts on: an interrupt in between
# sees pgtable_l5_enabled() false, so KASAN takes its 5-level addresses
# for wild ones ("wild-memory-access in do_raw_spin_lock" from
# handle_edge_irq, at about 3 s, nothing of nfext loaded yet).
export NFEXT_VM_CPU=${NFEXT_VM_CPU:-max,la57=off}
export NFEXT_VM_TIMEOUT=$(( ${NFEXT_VM_TIMEOUT:-2400} * scale ))
echo "check-debug: kernel $kver ($kdir), modules in $out, time scale $scale"
start=$(date +%s)
rc=0
if [ $soak = 1 ]; then
	# the soak's traffic runs its NFEXT_SOAK_SECONDS; only its waits scale
	tests/abuse/soak-run.sh || rc=$?
else
	tests/check.sh "$@" || rc=$?
fi
echo "check-debug: $(( ($(date +%s) - start) / 60 )) minutes"
exit $rc
