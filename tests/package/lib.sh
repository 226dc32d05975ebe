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
ARCH=$(dpkg --print-architecture)

# File lists. The guest's root and /lib/modules are overlays whose lower
# layers (the host's root, the kernel image's modules) do not change during
# a run; tests/vm/vm.sh shows the layers under /nfext-layers. Only a folder
# present in the upper layer can list other entries than the lower one, so
# the file list of a whole tree is known from those folders alone: a full
# `find /usr` (180000 files over 9p) would take 5 minutes under TCG.
# SNAP_ROOTS: "TREE UPPER LOWER" for every tree compared.
L=/nfext-layers
SNAP_ROOTS=("/usr $L/rw/upper/usr $L/lower/usr" "/etc $L/rw/upper/etc $L/lower/etc"
	"/var/lib/dkms $L/rw/upper/var/lib/dkms $L/lower/var/lib/dkms"
	"/lib/modules $L/rw/mupper $L/rw/mlower")
[ -d $L/rw/upper ] && [ -d $L/rw/mupper ] || die "no overlay layers under $L (tests/vm/vm.sh)"

# entries DIR NAME: "NAME/ENTRY" for every entry of folder DIR, if any.
entries() { [ -d "$1" ] && find "$1" -mindepth 1 -maxdepth 1 -printf '%f\n' | sed "s|^|$2/|"; }

# snapshot NAME: the folders of the compared trees present in the upper
# layers ($STATE/NAME.dirs) and every entry of those folders ($STATE/NAME).
snapshot() {
	local r m u l d
	for r in "${SNAP_ROOTS[@]}"; do
		read -r m u l <<< "$r"
		[ -d "$u" ] && (cd "$u" && find . -type d) | sed "s|^\.|$m|"
	done | sort > "$STATE/$1.dirs"
	while read -r d; do entries "$d" "$d"; done < "$STATE/$1.dirs" | sort > "$STATE/$1"
}

# lower_entries DIR: entries of DIR (a path in a compared tree) in the
# lower layer, i.e. before anything in the guest changed DIR.
lower_entries() {
	local r m u l
	for r in "${SNAP_ROOTS[@]}"; do
		read -r m u l <<< "$r"
		case $1/ in "$m"/*) entries "$l${1#"$m"}" "$1"; return ;; esac
	done
}

# files_diff BEFORE: the entries of /usr, /etc, /var/lib/dkms and
# /lib/modules that differ from snapshot BEFORE ("< gone", "> new"). A
# folder in the upper layer only now had its lower entries then; one in it
# only then has what the merged tree shows now.
files_diff() {
	local b=$STATE/$1 a=$STATE/after d
	snapshot after
	diff <( { cat "$b"; comm -13 "$b.dirs" "$a.dirs" |
			while read -r d; do lower_entries "$d"; done; } | sort -u) \
		<( { cat "$a"; comm -23 "$b.dirs" "$a.dirs" |
			while read -r d; do entries "$d" "$d"; done; } | sort -u) | grep '^[<>]'
}

# same_files BEFORE: the file lists equal those of snapshot BEFORE.
same_files() {
	local d
	d=$(files_diff "$1")
	if [ -z "$d" ]; then
		echo "ok: /usr, /etc, /var/lib/dkms, /lib/modules: the same files as before"
	else
		fail "files differ from before (< before, > now):"
		echo "$d" | head -n 30
	fi
}

# owned_files NAME: the files of the installed nfext packages (dpkg -L).
owned_files() { dpkg -L nfext nfext-dkms 2>/dev/null | sort -u > "$STATE/$1"; }

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

# No man-db index rebuild on every apt run (a trigger that rereads every
# man page, minutes under TCG; nfext's pages are checked as files).
rm -f /var/lib/man-db/auto-update

# The guest's /dev has no fd link; DKMS uses <(...).
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# headers_link: the guest's /lib/modules comes from the kernel image alone;
# the headers package (installed on the host) would add this link, which
# DKMS looks for.
headers_link() {
	[ -e "/lib/modules/$KVER/build" ] ||
		ln -s "/usr/src/linux-headers-$KVER" "/lib/modules/$KVER/build"
}

# apt_get ARG...: apt-get, no network, no questions. The archive's package
# lists are left out (parsing them takes a minute per run under TCG): the
# local packages' dependencies are installed already, as on the host.
apt_get() {
	DEBIAN_FRONTEND=noninteractive apt-get -y -q -o Dpkg::Use-Pty=0 \
		-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=/dev/null "$@"
}

# apt_install DEB...: install local packages with apt.
apt_install() {
	apt_get install "$@" > "$STATE/apt.log" 2>&1
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
			# "nfext, iptables: PATH" (iptables' copy is diverted)
			ok "$path belongs to nfext" grep -Eq "^(.*, )?nfext(, .*)?: $path\$" <<< "$(dpkg -S "$path" 2>&1)"
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

# pkg_install DIR V: apt installs nfext-dkms and nfext version V from DIR.
# The host's DKMS build of V (DIR/nfext-V.dkms.tar.gz, host-setup.sh) waits
# where the postinst of nfext-dkms (dh_dkms: /usr/lib/dkms/common.postinst)
# loads prebuilt modules from, /usr/share/nfext-dkms/nfext-V.dkms.tar.gz: no
# module is compiled under TCG. It is removed after (the package does not
# own it). With NFEXT_PKG_GUEST_BUILD=1, DKMS compiles every module here.
PREBUILT=/usr/share/nfext-dkms
pkg_install() {
	local dir=$1 v=$2 rc
	if [ "${NFEXT_PKG_GUEST_BUILD:-0}" != 1 ]; then
		mkdir -p "$PREBUILT"
		cp "$dir/nfext-$v.dkms.tar.gz" "$PREBUILT/" || return 1
	fi
	apt_install "$dir/nfext-dkms_${v}_all.deb" "$dir/nfext_${v}_${ARCH}.deb"
	rc=$?
	rm -f "$PREBUILT/nfext-$v.dkms.tar.gz"
	rmdir "$PREBUILT" 2>/dev/null
	return $rc
}

# dkms_installed DIR V: DKMS installed every module of V's dkms.conf (all
# the tree builds) into updates/dkms as its build of V, and that build is
# the host's (the build ids of DIR/nfext-V.dkms.tar.gz) or, with
# NFEXT_PKG_GUEST_BUILD=1, the guest's own.
dkms_installed() {
	local dir=$1 v=$2 m id t mods
	mods=$(sed -n 's/^BUILT_MODULE_NAME\[[0-9]*\]="\(.*\)"$/\1/p' "/usr/src/nfext-$v/dkms.conf" | sort)
	eq "dkms.conf of $v names every module of the tree" "$(echo "$mods" | xargs)" "$(echo "$MODS" | sort | xargs)"
	if [ "${NFEXT_PKG_GUEST_BUILD:-0}" != 1 ]; then
		contains "postinst loaded the host's build (dkms ldtarball)" "$(cat "$STATE/apt.log")" "Loading tarball for nfext-$v"
		t=$(mktemp -d)
		tar -xzf "$dir/nfext-$v.dkms.tar.gz" -C "$t"
	else
		contains "DKMS built the modules in the guest" "$(cat "$STATE/apt.log")" "Building initial module for $KVER"
	fi
	for m in $mods; do
		id=$(build_id "/lib/modules/$KVER/updates/dkms/$m.ko")
		eq "$m in updates/dkms is DKMS's build of $v (build id)" "$id" \
			"$(build_id "/var/lib/dkms/nfext/$v/$KVER/$(uname -m)/module/$m.ko")"
		[ -z "$t" ] || eq "$m is the host's DKMS build (build id)" "$id" \
			"$(build_id "$t/dkms_main_tree/$KVER/$(uname -m)/module/$m.ko")"
	done
	[ -z "$t" ] || rm -rf "$t"
}
