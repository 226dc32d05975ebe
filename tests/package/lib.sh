# SPDX-License-Identifier: GPL-2.0
# Helpers of the package scenarios (sourced after ../lib/common.sh). The
# scenarios run in order in one guest and hand the system on: 10 installs
# version N with apt, 20 upgrades to N+1, 30 uses every rule form, 40 purges,
# 50 does the same round trip with make install / make uninstall.
unset XTABLES_LIBDIR	# the system's plugin directory, as on a real host
KVER=$(uname -r)
DEB=$NFEXT_REPO/build/deb
STATE=/tmp/nfext-package	# kept between the scenarios of one boot
mkdir -p "$STATE"
ver_of() { sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$NFEXT_REPO/debian/changelog"; }
VER=$(ver_of)
NEXT=$VER+next1
# every module the tree builds (make on the host): what DKMS must install
MODS=$(for k in "$NFEXT_REPO"/kernel/*/*.ko; do basename "$k" .ko; done)
XTLIBDIR=$(pkg-config --variable=xtlibdir xtables)

# snapshot NAME: the file lists of /lib/modules, /etc and the parts of
# /usr a package or make install can write to (all of /usr, 180000 files
# over 9p, takes minutes under TCG; the kernel headers are left out too).
# Whatever else nfext's packages held is checked with their dpkg -L lists.
SNAP_DIRS=(/lib/modules /etc /usr/src /usr/sbin /usr/bin /usr/lib/modprobe.d
	"$XTLIBDIR" /usr/share/man/man8 /usr/share/doc /usr/local /var/lib/dkms)
snapshot() {
	find "${SNAP_DIRS[@]}" -xdev -path '/usr/src/linux-headers-*' -prune -o -print \
		2>/dev/null | sort > "$STATE/$1"
}

# owned_files NAME: the files of the installed nfext packages (dpkg -L).
owned_files() { dpkg -L nfext nfext-dkms 2>/dev/null | sort -u > "$STATE/$1"; }

# same_files BEFORE: the file lists equal those of snapshot BEFORE.
same_files() {
	local d
	snapshot after
	d=$(diff "$STATE/$1" "$STATE/after" | grep '^[<>]' | grep -v -e ' /etc/ld.so.cache$' | head -n 20)
	if [ -z "$d" ]; then
		echo "ok: /lib/modules, /usr, /etc: the same files as before"
	else
		fail "files differ from before (< before, > now):"
		echo "$d"
	fi
}

# nfext_diversions: the stock paths diverted by nfext, sorted.
nfext_diversions() {
	dpkg-divert --list | sed -n 's/^diversion of \(.*\) to .* by nfext$/\1/p' | sort
}

# dpkg_clean: dpkg --verify finds no file of iptables or nftables changed.
dpkg_clean() {
	local out
	out=$(dpkg --verify iptables nftables 2>&1)
	eq "dpkg --verify iptables nftables" "$out" ""
}

# build_id FILE|MOD: the GNU build id of a module file, or of the loaded
# module MOD (its notes in sysfs). Debian's modules carry no srcversion.
build_id() {
	case $1 in
	*.ko) readelf -n "$1" 2>/dev/null | sed -n 's/.*Build ID: //p' ;;
	*) od -An -tx1 -v -j16 "/sys/module/$1/notes/.note.gnu.build-id" 2>/dev/null | tr -d ' \n' ;;
	esac
}

# is_dkms_ours MOD DIR: MOD is loaded, out of tree (taint O), and is the
# build of DIR/MOD.ko (DKMS's or make install's): the same build id.
is_dkms_ours() {
	local m=$1 dir=$2 id
	[ -d "/sys/module/$m" ] || { fail "$m is not loaded"; return; }
	grep -q O "/sys/module/$m/taint" || { fail "$m is not out of tree (taint)"; return; }
	id=$(build_id "$dir/$m.ko")
	[ -n "$id" ] || { fail "$dir/$m.ko: no build id"; return; }
	eq "$m: the loaded module is $dir/$m.ko (build id)" "$(build_id "$m")" "$id"
}

# intree MOD: MOD is loaded and is the kernel's own (no taint O).
intree() {
	[ -d "/sys/module/$1" ] || { fail "$1 is not loaded"; return; }
	if grep -q O "/sys/module/$1/taint"; then fail "$1 is out of tree"; else echo "ok: $1 is the in-tree module"; fi
}

# unload_all: no rule and no netfilter module of nfext's rule forms loaded.
unload_all() {
	local i t
	for i in iptables-legacy ip6tables-legacy iptables-nft ip6tables-nft; do
		for t in raw mangle filter; do $i -t $t -F 2>/dev/null; done
	done
	nft flush ruleset 2>/dev/null
	for n in $(ip netns list | awk '{ print $1 }'); do
		ip netns exec "$n" nft flush ruleset 2>/dev/null
		for i in iptables-legacy ip6tables-legacy; do
			for t in raw mangle filter; do ip netns exec "$n" $i -t $t -F 2>/dev/null; done
		done
	done
	# shellcheck disable=SC2086
	unload_mods xt_rpfilter ipt_rpfilter ip6t_rpfilter nft_fib_inet nft_fib_netdev \
		nft_fib_ipv4 nft_fib_ipv6 nft_fib xt_NFQUEUE xt_CT nfnetlink_queue
}

# The guest's /dev has no fd link; DKMS uses <(...).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# headers_link: the guest's /lib/modules comes from the kernel image alone;
# the headers package (installed on the host) would add this link, which
# DKMS looks for.
headers_link() {
	[ -e "/lib/modules/$KVER/build" ] ||
		ln -s "/usr/src/linux-headers-$KVER" "/lib/modules/$KVER/build"
}

# apt_install DEB...: install local packages with apt, no network.
apt_install() {
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		-o Dpkg::Use-Pty=0 "$@" > "$STATE/apt.log" 2>&1
	local rc=$?
	[ $rc -eq 0 ] || tail -n 30 "$STATE/apt.log"
	return $rc
}

# check_replaced deb|make: nfext diverts exactly the files of
# scripts/diversions.list, Debian's are kept beside them as .distrib, and
# each in place is nfext's: the nfext package's file (dpkg -S, and
# dpkg --verify nfext clean), or with make install the tree's build.
check_replaced() {
	local path file
	eq "nfext's diversions" "$(nfext_diversions)" "$("$NFEXT_REPO/scripts/diversions.sh" paths | sort)"
	while read -r path file; do
		if [ "$1" = deb ]; then
			contains "$path belongs to nfext" "$(dpkg -S "$path" 2>&1)" "nfext: $path"
		else
			ok "$path is the tree's $file" cmp -s "$path" "$NFEXT_REPO/$file"
		fi
		ok "the stock file kept as $path.distrib" test -f "$path.distrib"
	done < <(sed -e 's/#.*//' -e "s|@XTLIBDIR@|$XTLIBDIR|" "$NFEXT_REPO/scripts/diversions.list" | awk 'NF == 2')
	[ "$1" = deb ] && eq "dpkg --verify nfext" "$(dpkg --verify nfext 2>&1)" ""
}

# modules_in DIR: modprobe finds every module of dkms.conf in DIR.
modules_in() {
	local m
	for m in $MODS; do
		eq "modprobe finds $m in $1" "$(modinfo -n "$m" 2>&1)" "/lib/modules/$KVER/$1/$m.ko"
	done
}
