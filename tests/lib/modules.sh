# SPDX-License-Identifier: GPL-2.0
# Loading nfext's modules in the guest (sourced).

# load_ko FILE: modprobe FILE's in-image dependencies, then insmod FILE.
load_ko() {
	local f=$1 name dep
	name=$(modinfo -F name "$f") || return 1
	[ -d "/sys/module/$name" ] && return 0
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		[ -d "/sys/module/$dep" ] && continue
		modprobe "$dep" || { echo "cannot load $dep for $name"; return 1; }
	done
	insmod "$f"
}

# load_area_modules DIR: the .ko files DIR/modules lists (relative to the
# repository, or to NFEXT_KO_ROOT when the modules were built elsewhere).
load_area_modules() {
	local dir=$1 m rc=0 root=${NFEXT_KO_ROOT:-$NFEXT_REPO}
	[ -f "$dir/modules" ] || return 0
	while read -r m; do
		case $m in ''|'#'*) continue ;; esac
		if [ ! -f "$root/$m" ]; then
			echo "FAIL: $m is not built (in $root)"
			rc=1
		elif ! load_ko "$root/$m"; then
			echo "FAIL: cannot load $m"
			rc=1
		fi
	done < "$dir/modules"
	return $rc
}

# block_area_modules DIR: in-tree modules DIR/block names never autoload.
block_area_modules() {
	local m
	[ -f "$1/block" ] || return 0
	grep -v '^#' "$1/block" | while read -r m; do
		[ -n "$m" ] && echo "install $m /bin/false"
	done >> /etc/modprobe.d/nfext-block.conf
}

# unload_mods MODULE...: rmmod each loaded MODULE in turn, retrying for up
# to 6 s while it is still in use; status 1 (the module in UNLOAD_STUCK)
# when one stays loaded.
unload_mods() {
	local m i
	UNLOAD_STUCK=
	for m in "$@"; do
		for i in $(seq 30); do
			[ -d "/sys/module/$m" ] || break
			rmmod "$m" 2>/dev/null && break
			sleep 0.2
		done
		if [ -d "/sys/module/$m" ]; then
			UNLOAD_STUCK=$m
			return 1
		fi
	done
}
