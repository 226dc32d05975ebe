#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Second stage of the nfext guest, PID 1 after switch_root: mount the
# pseudo file systems, run the command the host left in /nfext-out/cmd,
# store its exit status and the kernel log there, and power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8 TERM=${TERM:-dumb}
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# A fresh /tmp, unless the repository itself lives there (a clone under
# /tmp): the overlay root is writable anyway.
repo=$(cd "$(dirname "$0")/../.." && pwd)
case $repo/ in
/tmp/*) ;;
*) mount -t tmpfs tmpfs /tmp ;;
esac
mount -t tmpfs tmpfs /run
mkdir -p /run/netns /run/lock /var/run
mount -t tmpfs tmpfs /var/tmp
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t cgroup2 cgroup2 /sys/fs/cgroup 2>/dev/null
hostname nfext-guest
ip link set lo up
echo 1 > /proc/sys/kernel/sysrq
# A wedged kernel ends the guest at once, its report on the console, instead
# of holding the run until vm.sh's timeout: a soft lockup, an RCU stall and
# a task blocked for 120 s panic (panic=-1 and -no-reboot make QEMU exit).
# Each of them fails the run anyway (tests/check.sh's dmesg scan).
for s in softlockup_panic panic_on_rcu_stall hung_task_panic; do
	[ -w /proc/sys/kernel/$s ] && echo 1 > /proc/sys/kernel/$s
done
# With the stall: what every CPU was doing.
[ -w /proc/sys/kernel/softlockup_all_cpu_backtrace ] &&
	echo 1 > /proc/sys/kernel/softlockup_all_cpu_backtrace
# The host's /etc/modprobe.d may hold host-only settings; start clean.
rm -f /etc/modprobe.d/nfext*.conf

out=/nfext-out
cd "$repo" || cd /
# The static keys of the packet path stay on (why: tests/vm/keep-keys.sh).
"$repo/tests/vm/keep-keys.sh" >>$out/log 2>&1 ||
	echo "guest-init: tests/vm/keep-keys.sh failed (see above)" >>$out/log
if grep -q '^exec /bin/bash -i' $out/cmd; then
	setsid -c /bin/bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
	rc=$?
else
	/bin/bash $out/cmd </dev/null >>$out/log 2>&1
	rc=$?
fi
dmesg > $out/dmesg 2>/dev/null
echo "$rc" > $out/rc
sync
echo o > /proc/sysrq-trigger
sleep 10
