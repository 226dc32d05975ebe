#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of `make check`: run the host checks (tests/host), then boot one
# guest per area (tests/AREA with a scenario in it) and run its scenarios
# there; scan every guest's kernel log; print the tally.
#
#   tests/check.sh [AREA...] [-- FILTER]     (default: every area)
set -u
REPO=$(cd "$(dirname "$0")/.." && pwd)
cd "$REPO" || exit 2
OUT=$REPO/build/test-results
rm -rf "$OUT"
mkdir -p "$OUT"
areas=()
filter=
while [ $# -gt 0 ]; do
	case $1 in
	--) filter=${2:-}; break ;;
	*) areas+=("$1") ;;
	esac
	shift
done
if [ ${#areas[@]} -eq 0 ]; then
	for d in tests/*/; do
		a=$(basename "$d")
		case $a in lib|vm|bench) continue ;; esac
		# an area with a "manual" file runs only when named
		[ -f "$d/manual" ] && continue
		ls "$d"[0-9]*.sh >/dev/null 2>&1 && areas+=("$a")
	done
fi

RESULTS=$OUT/results
: > "$RESULTS"

# Kernel messages that fail a run wherever they appear (the debug kernel's
# KASAN, lockdep, UBSAN and kmemleak reports included).
BAD='BUG:|WARNING:|Oops|general protection fault|Kernel panic|kernel BUG|refcount_t:|list_add corruption|list_del corruption|UBSAN:|stack-protector|Unable to handle|soft lockup|hung_task|blocked for more than|rcu_sched detected stalls|rcu_preempt detected stalls|self-detected stall|RCU stall|KASAN:|INFO: (possible|trying to register|lockdep|suspicious|inconsistent)|DEBUG_LOCKS_WARN_ON|suspected memory leak|BUG [^ ]+ \((Not t|T)ainted\)|Poison overwritten|Redzone overwritten'

# Settings a scenario in the guest must see (make check-debug sets them).
guest_env=(env)
for v in NFEXT_KO_ROOT NFEXT_TIME_SCALE NFEXT_SCENARIO_TIMEOUT NFEXT_ABUSE_FULL NFEXT_SOAK_SECONDS \
	NFEXT_PKG_GUEST_BUILD; do
	[ -n "${!v:-}" ] && guest_env+=("$v=${!v}")
done

for area in "${areas[@]}"; do
	if [ "$area" = host ]; then
		for t in tests/host/[0-9]*.sh; do
			name=host/$(basename "$t" .sh)
			case $name in *"$filter"*) ;; *) continue ;; esac
			echo "=== $name"
			start=$(date +%s)
			"$t"
			rc=$?
			secs=$(( $(date +%s) - start ))
			case $rc in
			0) r=pass ;; 77) r=skip ;; *) r=fail ;;
			esac
			echo "--- $r $name (${secs}s)"
			echo "$r $name $secs" >> "$RESULTS"
		done
		continue
	fi
	# An area's host side first (tests/AREA/host-setup.sh, e.g. building
	# the packages tests/package installs).
	if [ -x "tests/$area/host-setup.sh" ]; then
		echo "##### host setup of tests/$area"
		if ! "tests/$area/host-setup.sh"; then
			echo "--- fail $area/host-setup"
			echo "fail $area/host-setup 0" >> "$RESULTS"
			continue
		fi
	fi
	echo "##### booting a guest for tests/$area"
	vmout=$OUT/vm-$area
	mkdir -p "$vmout"
	NFEXT_VM_OUT=$vmout tests/vm/vm.sh run "${guest_env[@]}" \
		tests/run-suite.sh "$area" -- "$filter"
	vmrc=$?
	[ -f "$vmout/results" ] && cat "$vmout/results" >> "$RESULTS"
	if [ "$vmrc" -ne 0 ]; then
		echo "--- fail $area/guest: the guest did not finish (status $vmrc)"
		echo "fail $area/guest 0" >> "$RESULTS"
	fi
	if [ -f "$vmout/dmesg" ] && ! grep -Eq "$BAD" "$vmout/dmesg"; then
		echo "--- pass $area/dmesg-clean"
		echo "pass $area/dmesg-clean 0" >> "$RESULTS"
	else
		echo "--- fail $area/dmesg-clean: the guest's kernel log shows trouble:"
		grep -E -B2 -A20 "$BAD" "$vmout/dmesg" "$vmout/console" 2>/dev/null | head -n 60
		echo "fail $area/dmesg-clean 0" >> "$RESULTS"
	fi
done

echo
echo "Results:"
sort -k2 "$RESULTS" | awk '{ printf "  %-5s %-50s %ss\n", $1, $2, $3 }'
p=$(grep -c '^pass ' "$RESULTS")
f=$(grep -c '^fail ' "$RESULTS")
s=$(grep -c '^skip ' "$RESULTS")
echo "$p passed, $f failed, $s skipped"
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]
