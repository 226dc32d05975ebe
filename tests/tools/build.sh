#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# tools_build NAME: build the test tool tests/tools/NAME.c (test-only,
# so not part of `make`) into build/test-tools/ and print its path.
tools_build() {
	local src out dir
	dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
	src=$dir/$1.c
	out=$dir/../../build/test-tools/$1
	if [ ! -x "$out" ] || [ "$src" -nt "$out" ]; then
		mkdir -p "$(dirname "$out")"
		cc -O2 -Wall -Wextra -Werror -std=gnu11 -I"$dir/../../kernel/include" \
			-o "$out" "$src" $(pkg-config --cflags --libs libnftnl libmnl) ||
			return 1
	fi
	echo "$out"
}
