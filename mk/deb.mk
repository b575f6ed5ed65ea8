# Debian packages (included by the top-level Makefile after mk/install.mk).
#
#   make deb    the source package (3.0 (native): debian/ lives upstream)
#               and the petrel, petrel-dkms and petrel-dev .debs with
#               their -dbgsym packages in $(BUILD)/deb/; then
#               mk/deb-check.sh: the build log against dpkg-buildflags
#               (blhc, and CPPFLAGS on every host compile), the symbols
#               in the dbgsym packages, and lintian over the source and
#               every binary package, which must print nothing (its output
#               is kept in $(BUILD)/deb/lintian.txt)
#
# dpkg-buildpackage cleans the tree it builds in, so it builds in a copy:
# the files git knows (tracked, or new and not ignored), or, outside a git
# checkout, everything but build/. The source package is made from that
# copy, so it holds exactly what the repository does.
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/petrel-$(PETREL_VERSION)
DEB_VERSION := $(shell dpkg-parsechangelog -l $(CURDIR)/debian/changelog -S Version 2>/dev/null)
TENDER_VERSION := $(shell sed -n 's/^\#define PETREL_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	$(CURDIR)/tender/args.h)

.PHONY: deb version-check
deb: version-check
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_SRC)
	@if git -C $(CURDIR) rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git -C $(CURDIR) ls-files -z --cached --others --exclude-standard; \
	else \
		find . -path ./build -prune -o -path ./.git -prune -o ! -type d -printf '%P\0'; \
	fi | (cd $(CURDIR) && xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh) | \
		tar -C $(CURDIR) --null -T - -cf - | tar -C $(DEB_SRC) -xf -
	cd $(DEB_SRC) && env -u MAKEFLAGS -u MFLAGS -u BUILD -u CPPFLAGS -u CFLAGS \
		-u LDFLAGS dpkg-buildpackage -us -uc >$(DEB_DIR)/build.log 2>&1 || \
		{ tail -n 40 $(DEB_DIR)/build.log; echo "make deb: dpkg-buildpackage failed (log: $(DEB_DIR)/build.log)" >&2; exit 1; }
	rm -rf $(DEB_SRC)
	@ls -1 $(DEB_DIR)/*.dsc $(DEB_DIR)/*.deb
	$(CURDIR)/mk/deb-check.sh $(DEB_DIR) $(DEB_VERSION)

# One version everywhere: the package, DKMS and what `petrel --version` says.
version-check:
	@[ -n "$(PETREL_VERSION)" ] && [ "$(PETREL_VERSION)" = "$(DEB_VERSION)" ] && \
	[ "$(PETREL_VERSION)" = "$(TENDER_VERSION)" ] || { \
		echo "version mismatch: dkms.conf '$(PETREL_VERSION)'," \
			"debian/changelog '$(DEB_VERSION)', tender/args.h '$(TENDER_VERSION)'" >&2; \
		exit 1; }
