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
# test-only programs (never installed)
TOOL_DIRS := $(patsubst %/Makefile,%,$(wildcard tests/tools/*/Makefile))

BUILD := $(CURDIR)/build
export NFEXT_XTLIBDIR := $(BUILD)/xtables
export NFEXT_BINDIR := $(BUILD)/bin
export NFEXT_KDIR := $(KDIR)
DESTDIR ?=
MODDIR := $(DESTDIR)/lib/modules/$(KVER)/updates/nfext

.PHONY: all deps modules userspace iptables-patches install uninstall \
	lint check check-debug run bench mainline-selftests clean help kdir-check \
	tools abuse soak

all: modules userspace tools iptables-patches

help:
	@echo "make deps | all | check | abuse | soak | check-debug | run | bench | mainline-selftests | install | uninstall | lint | clean"

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

install: all
	install -d $(MODDIR)
	@set -e; for d in $(KMOD_DIRS); do \
		install -m 644 $$d/*.ko $(MODDIR)/; \
		for c in $$d/*.modprobe.conf; do [ -e "$$c" ] || continue; \
			install -D -m 644 $$c \
			$(DESTDIR)/etc/modprobe.d/nfext-$$(basename $$c .modprobe.conf).conf; \
		done; done
	@set -e; for d in $(USER_DIRS); do $(MAKE) -C $$d install; done
	@if [ -d $(BUILD)/iptables/out ]; then \
		install -m 644 $(BUILD)/iptables/out/*.so \
		$(DESTDIR)$$(pkg-config --variable=xtlibdir xtables)/; fi
	install -d $(DESTDIR)/usr/src/nfext-0.1
	cp -r Makefile dkms.conf kernel $(DESTDIR)/usr/src/nfext-0.1/
	$(MAKE) -s -C $(DESTDIR)/usr/src/nfext-0.1 KDIR=$(KDIR) clean >/dev/null 2>&1 || true
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

uninstall:
	rm -rf $(MODDIR) $(DESTDIR)/usr/src/nfext-0.1
	rm -f $(DESTDIR)/etc/modprobe.d/nfext-*.conf
	@set -e; for d in $(USER_DIRS); do $(MAKE) -C $$d uninstall; done
	@if [ -z "$(DESTDIR)" ]; then depmod -a $(KVER); fi

dkms.conf: $(wildcard kernel/*/Kbuild) scripts/gen-dkms-conf.sh
	scripts/gen-dkms-conf.sh > $@

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

mainline-selftests: deps
	@$(MAKE) -s all
	@tests/mainline/run.sh $(T)

# The abuse suite at full size (tests/abuse/README.md), and the soak.
abuse: deps
	@$(MAKE) -s all
	@NFEXT_ABUSE_FULL=1 NFEXT_SCENARIO_TIMEOUT=$${NFEXT_SCENARIO_TIMEOUT:-2400} \
		tests/check.sh abuse $(if $(T),-- $(T))

soak: deps
	@$(MAKE) -s all
	@tests/abuse/soak-run.sh

clean:
	@for d in $(KMOD_DIRS); do \
		$(MAKE) -C $(KDIR) M=$(CURDIR)/$$d clean >/dev/null; done
	@for d in $(USER_DIRS) $(TOOL_DIRS); do $(MAKE) -C $$d clean; done
	rm -rf build/xtables build/bin build/test-results build/iptables
