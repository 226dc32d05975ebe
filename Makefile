# SPDX-License-Identifier: GPL-2.0
#
# nfext top-level Makefile. Every kernel/*/ folder with a Kbuild file is a
# kbuild external module directory; every userspace/*/ folder with a
# Makefile is a userspace part (it installs its build products into
# build/xtables and build/bin, and into the system on `make install`).

KDIR ?= $(shell if [ -d /lib/modules/$$(uname -r)/build ]; then \
	echo /lib/modules/$$(uname -r)/build; else \
	ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -n1; fi)
KVER ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)

KMOD_DIRS := $(patsubst %/Kbuild,%,$(wildcard kernel/*/Kbuild))
USER_DIRS := $(patsubst %/Makefile,%,$(wildcard userspace/*/Makefile))
TOOL_DIRS := $(patsubst %/Makefile,%,$(wildcard tests/tools/*/Makefile))
# The one place for nfext's version: the first line of debian/changelog.
VERSION := $(shell sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' debian/changelog 2>/dev/null)

BUILD := $(CURDIR)/build
export NFEXT_XTLIBDIR := $(BUILD)/xtables
export NFEXT_BINDIR := $(BUILD)/bin
export NFEXT_KDIR := $(KDIR)
DESTDIR ?=
PREFIX ?= /usr/local
MODDIR := $(DESTDIR)/lib/modules/$(KVER)/updates/nfext

.PHONY: all deps modules userspace tools iptables-patches nftables-patches \
	man install uninstall install-files deb lint check check-debug run bench \
	mainline-selftests clean help kdir-check rpfilter-diff abuse soak soak-debug \
	bench-insns

all: modules userspace tools iptables-patches nftables-patches man

help:
	@echo "make deps | all | check | check-debug | abuse | soak | soak-debug | run | bench | bench-insns | mainline-selftests | rpfilter-diff | deb | install | uninstall | lint | clean"

deps:
	@tests/deps.sh

kdir-check:
	@test -n "$(KDIR)" -a -d "$(KDIR)" || \
		{ echo "no kernel headers: run 'make deps' (or set KDIR)"; exit 1; }

modules: kdir-check
	@set -e; for d in $(KMOD_DIRS); do \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$$d W=1 modules; done

userspace:
	@mkdir -p $(NFEXT_XTLIBDIR) $(NFEXT_BINDIR)
	@set -e; for d in $(USER_DIRS); do $(MAKE) -C $$d; done

tools:
	@mkdir -p $(NFEXT_BINDIR)
	@set -e; for d in $(TOOL_DIRS); do $(MAKE) -C $$d; done

iptables-patches:
	@if ls iptables-patches/*.patch >/dev/null 2>&1; then \
		iptables-patches/build.sh; fi

# Installation. One layout for `make install` and for the packages
# (debian/rules runs install-files with DESTDIR=debian/tmp PREFIX=/usr):
#   /usr/src/nfext-VERSION     kernel/ sources and dkms.conf (nfext-dkms)
#   /lib/modprobe.d/nfext.conf the kernel/*/*.modprobe.conf lines (nfext-dkms)
#   scripts/diversions.list    nfext's files that replace Debian's own, each
#                              installed at the stock path after the stock
#                              file was moved aside with dpkg-divert (by
#                              `make install` here, by the maintainer
#                              scripts for the package)
#   PREFIX                     the userspace parts' programs and man pages,
#                              nfext.8, the examples in share/doc/nfext
# `make install` also puts the built modules into updates/nfext (no DKMS
# needed) and notes every directory it creates, so that `make uninstall`
# leaves the system as it was.
SRCDIR = $(DESTDIR)/usr/src/nfext-$(VERSION)
MANDIR = $(DESTDIR)$(PREFIX)/share/man
DOCDIR = $(DESTDIR)$(PREFIX)/share/doc/nfext
XTLIBDIR := $(shell pkg-config --variable=xtlibdir xtables 2>/dev/null)
DIRLOG := /var/lib/nfext/make-install.dirs
INSTALL_DIRS = $(SRCDIR) $(DESTDIR)/lib/modprobe.d $(DESTDIR)$(PREFIX)/sbin \
	$(MANDIR)/man8 $(DOCDIR)/examples $(DESTDIR)$(XTLIBDIR)
KSRC_EXCLUDE := --exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
	--exclude='*.mod.c' --exclude='*.cmd' --exclude='modules.order' \
	--exclude='Module.symvers' --exclude='*.d' --exclude='*.a' \
	--exclude='.tmp_versions'

build/dkms.conf: $(wildcard kernel/*/Kbuild) scripts/gen-dkms-conf.sh debian/changelog
	@mkdir -p build
	scripts/gen-dkms-conf.sh > $@

man: iptables-patches
	@mkdir -p build/man
	scripts/gen-nfext-man.sh > build/man/nfext.8

install-files: build/dkms.conf man
	@test -n "$(VERSION)" || { echo "no version in debian/changelog"; exit 1; }
	mkdir -p $(INSTALL_DIRS)
	tar -c $(KSRC_EXCLUDE) kernel | tar -x -C $(SRCDIR)
	install -m 644 build/dkms.conf $(SRCDIR)/dkms.conf
	cat /dev/null $(wildcard kernel/*/*.modprobe.conf) > $(DESTDIR)/lib/modprobe.d/nfext.conf
	scripts/diversions.sh install $(DESTDIR)
	@set -e; for d in $(USER_DIRS); do \
		$(MAKE) -C $$d install DESTDIR=$(DESTDIR) PREFIX=$(PREFIX); done
	install -m 644 build/man/nfext.8 $(MANDIR)/man8/nfext.8
	install -m 644 README.md $(DOCDIR)/README.md
	install -m 644 $(wildcard examples/* userspace/*/examples/*) $(DOCDIR)/examples/

# the patched nft and its man page, in build/nftables/out, when Debian's
# nftables source can be fetched (see nftables-patches/build.sh)
nftables-patches:
	@nftables-patches/build.sh

# The modules make install puts in $(MODDIR): each must be built for
# $(KVER), or modprobe would meet a wrong version magic only at load time.
KOS = $(foreach d,$(KMOD_DIRS),$(wildcard $(d)/*.ko))

install: all
	@for m in $(KOS); do \
		v=$$(modinfo -F vermagic $$m | cut -d' ' -f1); \
		[ "$$v" = "$(KVER)" ] || { echo "make install: $$m is built" \
			"for kernel $$v, not $(KVER): run make (or set KDIR)" >&2; \
			exit 1; }; done
	@if [ -z "$(DESTDIR)" ]; then \
		mkdir -p $(dir $(DIRLOG)); \
		LC_ALL=C mkdir -pv $(INSTALL_DIRS) $(MODDIR) | \
		sed -n "s/^mkdir: created directory '\(.*\)'$$/\1/p" >> $(DIRLOG); \
		scripts/diversions.sh add; fi
	$(MAKE) install-files
	install -d $(MODDIR)
	install -m 644 $(KOS) $(MODDIR)/
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

uninstall:
	rm -rf $(MODDIR) $(SRCDIR) $(DOCDIR) $(DESTDIR)/lib/modprobe.d/nfext.conf \
		$(MANDIR)/man8/nfext.8
	@set -e; for d in $(USER_DIRS); do \
		$(MAKE) -C $$d uninstall DESTDIR=$(DESTDIR) PREFIX=$(PREFIX); done
	scripts/diversions.sh remove $(DESTDIR)
	@if [ -z "$(DESTDIR)" ] && [ -f $(DIRLOG) ]; then \
		tac $(DIRLOG) | xargs -r rmdir --ignore-fail-on-non-empty; \
		rm -f $(DIRLOG); rmdir $(dir $(DIRLOG)); fi
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

# Debian packages nfext-dkms and nfext into build/deb (scripts/mkdeb.sh).
deb:
	scripts/mkdeb.sh

lint:
	@tests/lint.sh

check: deps
	@$(MAKE) -s all
	@tests/check.sh $(T)

check-debug: deps
	@$(MAKE) -s all
	@tests/debug/run.sh $(T)

run: deps
	@$(MAKE) -s all
	@tests/vm/vm.sh run tests/demo/demo.sh

bench: deps
	@$(MAKE) -s all
	@tests/bench/run.sh

# Instructions per queued packet, counted by a QEMU plugin (tests/bench/insns.sh).
bench-insns: deps
	@$(MAKE) -s all
	@tests/bench/insns.sh

mainline-selftests: deps
	@$(MAKE) -s all
	@tests/mainline/run.sh $(T)

# The differential test of rpfilter against nft fib (tests/rpfilter/20-urpf-differential.sh),
# bigger than in `make check`: more seeds, routes and packets.
rpfilter-diff: deps
	@$(MAKE) -s all
	@mkdir -p $(BUILD)/rpfilter-diff
	@NFEXT_VM_OUT=$(BUILD)/rpfilter-diff tests/vm/vm.sh run env \
		RPF_DIFF_SEEDS="$${SEEDS:-1 2 3 4 5 6 7 8}" RPF_DIFF_ROUTES=40 \
		RPF_DIFF_PKTS=300 tests/run-suite.sh rpfilter -- 20-urpf-differential
	@cat $(BUILD)/rpfilter-diff/results; ! grep -q '^fail' $(BUILD)/rpfilter-diff/results

# The abuse suite at full size (tests/abuse/README.md), and the soak.
abuse: deps
	@$(MAKE) -s all
	@NFEXT_ABUSE_FULL=1 NFEXT_SCENARIO_TIMEOUT=$${NFEXT_SCENARIO_TIMEOUT:-2400} \
		tests/check.sh abuse $(if $(T),-- $(T))

soak: deps
	@$(MAKE) -s all
	@tests/abuse/soak-run.sh

soak-debug: deps
	@$(MAKE) -s all
	@tests/debug/run.sh --soak

clean:
	@for d in $(KMOD_DIRS); do \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$$d clean >/dev/null; done
	@for d in $(USER_DIRS) $(TOOL_DIRS); do $(MAKE) -C $$d clean; done
	rm -rf build/xtables build/bin build/test-results build/iptables \
		build/dkms.conf build/man build/deb \
		build/nftables/src build/nftables/out build/nftables/stamp
