# Installing petrel (included by the top-level Makefile after KMOD_SRC).
#
#   make install [DESTDIR=...] [PREFIX=/usr/local]   everything below
#   make install-bin     tender, petrel-stat, their man pages, the JSON
#                        schema of petrel-stat's output (DATADIR/petrel),
#                        and the solo5-hvt links in SOLO5_COMPATDIR
#   make install-dev     bindings: solo5.h, solo5_notes.h (generated
#                        manifests include it), the guest runtime, the
#                        linker script, petrel-hvt.pc and petrel-elftool
#   make install-dkms    the module's source and dkms.conf in
#                        /usr/src/petrel-VERSION (then `dkms install
#                        petrel/VERSION` builds it for a kernel), and
#                        /usr/lib/modules-load.d/petrel.conf, which loads
#                        it at boot
#   make uninstall       removes what install-bin and install-dev installed
#   make uninstall-dkms  removes both (after `dkms remove petrel/VERSION
#                        --all`)
#
# SOLO5_COMPATDIR holds solo5-hvt and solo5-hvt.2, relative links to the
# tender: the names albatross looks for. A directory of petrel's own, so
# that nothing claims Solo5's name in the PATH unless the operator puts it
# there (or links the name into albatross's --dbdir).
#
# The module is not built here: DKMS builds it on the machine that runs it,
# for each installed kernel. /dev/petrel stays root-only (the module's own
# 0600), so no udev rule ships; nothing needs module options either.
# Nothing would load the module at boot (only petrel-stat's netlink request
# autoloads it), and tenders started before it is loaded run their guests
# on hypercalls, unlisted: hence the modules-load.d(5) entry, read by
# systemd-modules-load.service at boot.
#
# A unikernel builds against the installed copy with pkg-config:
#   cc $(pkg-config --cflags petrel-hvt) -c app.c manifest.c
#   cc $(pkg-config --libs petrel-hvt) app.o manifest.o -o app.hvt

PETREL_VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\([^"]*\)"$$/\1/p' \
	$(CURDIR)/dkms.conf)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
LIBEXECDIR ?= $(PREFIX)/libexec
SOLO5_COMPATDIR ?= $(LIBEXECDIR)/petrel/solo5-compat
SOLO5_NAMES := solo5-hvt solo5-hvt.2
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
# Where the bindings live: the runtime object and the linker script.
PETREL_LIBDIR := $(LIBDIR)/petrel
PETREL_INCDIR := $(INCLUDEDIR)/petrel
# DKMS only looks in /usr/src, whatever the PREFIX; systemd only in
# /usr/lib/modules-load.d (and /etc, /run, which are the admin's).
DKMS_SRCDIR := /usr/src/petrel-$(PETREL_VERSION)
MODULES_LOAD_DIR := /usr/lib/modules-load.d
INSTALL ?= install

# The userspace parts install-bin and install-dev need built.
INSTALL_TARGETS ?= tender petrel-stat bindings

# Man pages: petrel-elftool's belong to the bindings, the rest to the tools.
MAN_PAGES := $(wildcard man/*.[1-8])
MAN_DEV := $(filter man/petrel-elftool.%,$(MAN_PAGES))
MAN_BIN := $(filter-out $(MAN_DEV),$(MAN_PAGES))

# petrel-hvt.pc: guest.mk's flags minus the ones about warnings, language
# and optimisation, which are the application's own choice.
PETREL_TOP ?= $(CURDIR)
include $(CURDIR)/bindings/guest.mk
comma := ,
PC_CFLAGS := $(filter-out -std=% -O% -g -W% -I%,$(GUEST_CFLAGS))
PC_LDFLAGS := $(filter-out -Wl$(comma)-T$(comma)%,$(GUEST_LDFLAGS))

.PHONY: install install-bin install-dev install-dkms uninstall uninstall-dkms \
	userspace
install: install-bin install-dev

userspace: $(INSTALL_TARGETS)

install-bin: $(INSTALL_TARGETS)
	$(INSTALL) -D -m 0755 $(BUILD)/tender/petrel $(DESTDIR)$(BINDIR)/petrel
	$(INSTALL) -D -m 0755 $(BUILD)/tools/petrel-stat $(DESTDIR)$(BINDIR)/petrel-stat
	$(INSTALL) -D -m 0644 tools/petrel-stat/petrel-stat.schema.json \
		$(DESTDIR)$(DATADIR)/petrel/petrel-stat.schema.json
	$(INSTALL) -d $(DESTDIR)$(SOLO5_COMPATDIR)
	rel=$$(realpath -m --relative-to=$(SOLO5_COMPATDIR) $(BINDIR)/petrel) && \
	for n in $(SOLO5_NAMES); do \
		ln -sfn "$$rel" $(DESTDIR)$(SOLO5_COMPATDIR)/$$n || exit 1; \
	done
	@$(call install_man,$(MAN_BIN))

install-dev: $(INSTALL_TARGETS)
	$(INSTALL) -D -m 0755 $(BUILD)/bindings/petrel-elftool $(DESTDIR)$(BINDIR)/petrel-elftool
	$(INSTALL) -D -m 0644 bindings/include/solo5.h $(DESTDIR)$(PETREL_INCDIR)/solo5.h
	$(INSTALL) -D -m 0644 abi/solo5_notes.h $(DESTDIR)$(PETREL_INCDIR)/solo5_notes.h
	$(INSTALL) -D -m 0644 $(BUILD)/bindings/petrel-hvt.o $(DESTDIR)$(PETREL_LIBDIR)/petrel-hvt.o
	$(INSTALL) -D -m 0644 bindings/petrel-hvt.ld $(DESTDIR)$(PETREL_LIBDIR)/petrel-hvt.ld
	$(INSTALL) -d $(DESTDIR)$(PKGCONFIGDIR)
	@echo "generate $(DESTDIR)$(PKGCONFIGDIR)/petrel-hvt.pc"
	@printf '%s\n' \
		'prefix=$(PREFIX)' \
		'includedir=$(PETREL_INCDIR)' \
		'bindingsdir=$(PETREL_LIBDIR)' \
		'ldscript=$${bindingsdir}/petrel-hvt.ld' \
		'runtime=$${bindingsdir}/petrel-hvt.o' \
		'' \
		'Name: petrel-hvt' \
		'Description: Solo5 hvt guest bindings for the petrel tender (link the runtime first)' \
		'Version: $(PETREL_VERSION)' \
		'Cflags: -I$${includedir} $(PC_CFLAGS)' \
		'Libs: $(PC_LDFLAGS) -Wl,-T,$${ldscript} $${runtime}' \
		>$(DESTDIR)$(PKGCONFIGDIR)/petrel-hvt.pc
	chmod 0644 $(DESTDIR)$(PKGCONFIGDIR)/petrel-hvt.pc
	@$(call install_man,$(MAN_DEV))

# The exact list the module build reads (KMOD_SRC), so DKMS gets what
# `make modules` compiles and nothing else.
install-dkms:
	@[ -n "$(PETREL_VERSION)" ] || { echo "no PACKAGE_VERSION in dkms.conf" >&2; exit 1; }
	for f in $(KMOD_SRC) dkms.conf; do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; \
	done
	$(INSTALL) -d $(DESTDIR)$(MODULES_LOAD_DIR)
	@echo "generate $(DESTDIR)$(MODULES_LOAD_DIR)/petrel.conf"
	@printf '%s\n' \
		'# petrel.ko, loaded at boot (modules-load.d(5)): a tender finds' \
		'# /dev/petrel only if the module is loaded when it starts; without it' \
		'# the guests network through hypercalls and petrel-stat lists none.' \
		'petrel' \
		>$(DESTDIR)$(MODULES_LOAD_DIR)/petrel.conf
	chmod 0644 $(DESTDIR)$(MODULES_LOAD_DIR)/petrel.conf

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/petrel $(DESTDIR)$(BINDIR)/petrel-stat \
		$(DESTDIR)$(BINDIR)/petrel-elftool \
		$(DESTDIR)$(DATADIR)/petrel/petrel-stat.schema.json \
		$(DESTDIR)$(PETREL_INCDIR)/solo5.h \
		$(DESTDIR)$(PETREL_INCDIR)/solo5_notes.h \
		$(DESTDIR)$(PETREL_LIBDIR)/petrel-hvt.o \
		$(DESTDIR)$(PETREL_LIBDIR)/petrel-hvt.ld \
		$(DESTDIR)$(PKGCONFIGDIR)/petrel-hvt.pc \
		$(SOLO5_NAMES:%=$(DESTDIR)$(SOLO5_COMPATDIR)/%) \
		$(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
	-rmdir $(DESTDIR)$(PETREL_INCDIR) $(DESTDIR)$(PETREL_LIBDIR) \
		$(DESTDIR)$(DATADIR)/petrel \
		$(DESTDIR)$(SOLO5_COMPATDIR) $(dir $(DESTDIR)$(SOLO5_COMPATDIR)) 2>/dev/null

uninstall-dkms:
	rm -rf $(DESTDIR)$(DKMS_SRCDIR)
	rm -f $(DESTDIR)$(MODULES_LOAD_DIR)/petrel.conf

# install_man PAGES: each page into man<section>/ under MANDIR.
install_man = for m in $(1); do \
		d=$(DESTDIR)$(MANDIR)/man$$(echo "$$m" | sed 's/.*\.//'); \
		echo "$(INSTALL) -D -m 0644 $$m $$d/"; \
		$(INSTALL) -D -m 0644 "$$m" "$$d/$$(basename "$$m")" || exit 1; \
	done
