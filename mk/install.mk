# mk/install.mk - man pages, `make install`/`uninstall`, the DKMS source tree
# (included by the top-level Makefile; what goes where: docs/install.md).
#
#   make man              scdoc man/NAME.S.scd -> build/man/NAME.S
#   make install          PREFIX (default /usr/local), DESTDIR and the *DIR
#                         variables below; builds what it installs (not dvk.ko)
#   make uninstall        removes what install put there (same variables)
#   make install-dkms     the module's source + dkms.conf in $(DKMS_SRCDIR)
#                         (then: dkms add/build/install dvk/$(VERSION))

# libdvk's ABI version: libdvk.so.$(LIBDVK_ABI) is the soname
LIBDVK_ABI  := 1
LIBDVK_REAL := libdvk.so.$(LIBDVK_ABI).0.0

PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
SBINDIR     ?= $(PREFIX)/sbin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
LIBEXECDIR  ?= $(PREFIX)/libexec
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
# /etc whatever the prefix: the tools read /etc/dvk/ (docs/config.md)
SYSCONFDIR  ?= /etc
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
PKGCONFIGDIR   ?= $(LIBDIR)/pkgconfig
BASHCOMPDIR    ?= $(DATADIR)/bash-completion/completions
DOCDIR         ?= $(DATADIR)/doc/dvk-observe
DKMS_SRCDIR    ?= /usr/src/dvk-$(VERSION)

# user tools in BINDIR, daemons in SBINDIR (all from build/bin); dvk-capture is a script: it and its
# helper in LIBEXECDIR/dvk, a link in BINDIR, its parts (sourced shell) in DATADIR/dvk/capture
BIN_PROGS   := dvktop dvkctl dvkload dvkbench dvksnoop dvk-trace
SBIN_PROGS  := dvk-proxy dvk-service dvk-exporter
CAPTURE_PARTS := $(wildcard tools/dvk-capture/*.sh)
MAN_PAGES   := $(patsubst man/%.scd,$(B)/man/%,$(wildcard man/*.scd))
UNITS       := $(patsubst systemd/%.in,%,$(wildcard systemd/*.in))
BT_TOOLS    := $(wildcard bpf/bpftrace/*.bt)
BT_EXAMPLES := $(wildcard bpf/bpftrace/*_example.txt)
UAPI_HDRS   := $(UAPI)/dvk.h $(wildcard $(UAPI)/dvk_abi_*.h)
COMPLETIONS := $(wildcard completions/bash/*)
DOCS        := $(wildcard docs/*.md)

.PHONY: man install install-dkms uninstall
all: man

man: $(MAN_PAGES)
# the footer names the package and its version, the header the manual
$(B)/man/%: man/%.scd VERSION mk/install.mk
	@mkdir -p $(@D)
	sed '1s/$$/ "dvk-observe $(VERSION)" "DVK Manual"/' $< | scdoc >$@.tmp && mv $@.tmp $@

# make print-VAR: the value of VAR (the install test reads SBIN_PROGS)
print-%:
	@echo $($*)

$(B)/lib/libdvk.pc: lib/libdvk.pc.in VERSION FORCE
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' $< >$@
.PHONY: FORCE
FORCE:

# the @...@ of systemd/*.in, for the unit files
UNIT_SED := -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	    -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@LIBEXECDIR@|$(LIBEXECDIR)|g'

D := $(DESTDIR)
install: lib tools dvktop man $(B)/lib/libdvk.pc
	install -d $(D)$(BINDIR) $(D)$(SBINDIR) $(D)$(LIBEXECDIR)/dvk
	install -m 755 $(addprefix $(B)/bin/,$(BIN_PROGS)) $(D)$(BINDIR)/
	$(if $(SBIN_PROGS),install -m 755 $(addprefix $(B)/bin/,$(SBIN_PROGS)) $(D)$(SBINDIR)/)
	install -m 755 tools/dvk-capture/dvk-capture $(B)/bin/dvk-capture-helper $(D)$(LIBEXECDIR)/dvk/
	sed -i 's|^VERSION=.*|VERSION=$(VERSION)|' $(D)$(LIBEXECDIR)/dvk/dvk-capture $(D)$(SBINDIR)/dvk-service
	sed -i "s|^parts=.*|parts=\$$here/$$(realpath -m --relative-to=$(LIBEXECDIR)/dvk $(DATADIR)/dvk/capture)|" \
		$(D)$(LIBEXECDIR)/dvk/dvk-capture
	install -D -m 644 -t $(D)$(DATADIR)/dvk/capture $(CAPTURE_PARTS)
	ln -sfr $(D)$(LIBEXECDIR)/dvk/dvk-capture $(D)$(BINDIR)/dvk-capture
	install -D -m 644 $(LIBDVK_A) $(D)$(LIBDIR)/libdvk.a
	install -D -m 755 $(LIBDVK_SO) $(D)$(LIBDIR)/$(LIBDVK_REAL)
	ln -sf $(LIBDVK_REAL) $(D)$(LIBDIR)/libdvk.so.$(LIBDVK_ABI)
	ln -sf libdvk.so.$(LIBDVK_ABI) $(D)$(LIBDIR)/libdvk.so
	install -D -m 644 $(B)/lib/libdvk.pc $(D)$(PKGCONFIGDIR)/libdvk.pc
	install -d $(D)$(INCLUDEDIR)/dvk
	install -m 644 lib/libdvk.h $(UAPI_HDRS) $(D)$(INCLUDEDIR)/dvk/
	install -d $(D)$(DATADIR)/dvk/bpftrace $(D)$(DOCDIR)/examples/bpftrace
	install -m 755 $(BT_TOOLS) $(D)$(DATADIR)/dvk/bpftrace/
	install -m 644 $(BT_EXAMPLES) $(D)$(DOCDIR)/examples/bpftrace/
	install -m 644 README.md $(DOCS) $(D)$(DOCDIR)/
	for p in $(MAN_PAGES); do s=$${p##*.}; install -D -m 644 $$p $(D)$(MANDIR)/man$$s/$${p##*/} || exit 1; done
	for c in $(COMPLETIONS); do install -D -m 644 $$c $(D)$(BASHCOMPDIR)/$${c##*/} || exit 1; done
	for u in $(UNITS); do install -d $(D)$(SYSTEMDUNITDIR) && \
		sed $(UNIT_SED) systemd/$$u.in >$(D)$(SYSTEMDUNITDIR)/$$u && chmod 644 $(D)$(SYSTEMDUNITDIR)/$$u || exit 1; done
	$(if $(wildcard etc/dvk.conf),install -D -m 644 etc/dvk.conf $(D)$(DOCDIR)/examples/dvk.conf)
	$(if $(wildcard etc/dvk.conf),test -e $(D)$(SYSCONFDIR)/dvk/dvk.conf || install -D -m 644 etc/dvk.conf $(D)$(SYSCONFDIR)/dvk/dvk.conf)
	@# the loader's cache, when installing for real (not into a staging root)
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

# Everything install puts there except $(SYSCONFDIR)/dvk/dvk.conf (the
# operator's, perhaps edited: left alone, like dpkg's conffiles on remove).
uninstall:
	rm -f $(addprefix $(D)$(BINDIR)/,$(BIN_PROGS) dvk-capture) $(addprefix $(D)$(SBINDIR)/,$(SBIN_PROGS))
	rm -rf $(D)$(LIBEXECDIR)/dvk $(D)$(INCLUDEDIR)/dvk $(D)$(DATADIR)/dvk $(D)$(DOCDIR)
	rm -f $(addprefix $(D)$(LIBDIR)/,libdvk.a libdvk.so libdvk.so.$(LIBDVK_ABI) $(LIBDVK_REAL)) $(D)$(PKGCONFIGDIR)/libdvk.pc
	for p in $(notdir $(MAN_PAGES)); do rm -f $(D)$(MANDIR)/man$${p##*.}/$$p; done
	rm -f $(addprefix $(D)$(BASHCOMPDIR)/,$(notdir $(COMPLETIONS))) $(addprefix $(D)$(SYSTEMDUNITDIR)/,$(UNITS))
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then ldconfig; fi

# The module's source as DKMS wants it: dkms.conf at the top, kernel/ (the
# Kbuild dir, with include/uapi) and tracepoints/ beside it, module-btf.
# debian/rules hands $(B)/dkms.conf to dh_dkms.
$(B)/dkms.conf: dkms/dkms.conf.in VERSION
	@mkdir -p $(@D)
	sed 's|@VERSION@|$(VERSION)|' $< >$@
install-dkms: $(B)/dkms.conf
	install -d $(D)$(DKMS_SRCDIR)/kernel/include/uapi $(D)$(DKMS_SRCDIR)/tracepoints
	install -m 644 $(B)/dkms.conf $(D)$(DKMS_SRCDIR)/dkms.conf
	install -m 644 kernel/Makefile kernel/*.c kernel/*.h $(D)$(DKMS_SRCDIR)/kernel/
	install -m 644 $(UAPI_HDRS) $(D)$(DKMS_SRCDIR)/kernel/include/uapi/
	install -m 644 tracepoints/*.h $(D)$(DKMS_SRCDIR)/tracepoints/
	install -m 755 scripts/module-btf $(D)$(DKMS_SRCDIR)/module-btf

# The DKMS build of the install test (tests/install/dkms-build): dkms add +
# build for $(KVER) with its trees under build/dkms, nothing system-wide
# (no signing either: dkms would make a MOK key in /var/lib/dkms; the
# guest kernel does not enforce module signatures).
DKMS_T := $(CURDIR)/$(B)/dkms
.PHONY: dkms-build
dkms-build:
	rm -rf $(DKMS_T)
	$(MAKE) install-dkms DESTDIR= DKMS_SRCDIR=$(DKMS_T)/src/dvk-$(VERSION)
	mkdir -p $(DKMS_T)/tree $(DKMS_T)/install
	dkms add --dkmstree $(DKMS_T)/tree --sourcetree $(DKMS_T)/src --installtree $(DKMS_T)/install dvk/$(VERSION)
	sign_file=/nonexistent/no-signing dkms build --dkmstree $(DKMS_T)/tree --sourcetree $(DKMS_T)/src --installtree $(DKMS_T)/install \
		-k $(KVER) dvk/$(VERSION) || { cat $(DKMS_T)/tree/dvk/$(VERSION)/build/make.log; exit 1; }
