# dvk-observe top-level Makefile.
#
#   make          build everything (module, libdvk, tools, BPF + skeletons, dvktop)
#   make test     install dependencies, build, run the whole suite (host + VM)
#   make demo     install dependencies, build, boot a guest with DVK and show dvktop
#   make install  tools, libdvk (+ libdvk.pc), man pages... under PREFIX (docs/install.md)
#   make check    module with W=1 and sparse (C=2); fails on any warning
#   make test-debug  the in-VM tests on a debug kernel (KASAN, lockdep, kmemleak,
#                 UBSAN), built once per machine by scripts/debug-kernel
#
# The guest kernel is Debian's linux-image-amd64; the module is built against
# the headers of the version found in /lib/modules (never `uname -r`: the host
# may run another kernel).  Override with KVER=...

KVER ?= $(shell ls /lib/modules 2>/dev/null | sort -V | tail -n 1)
KDIR ?= /lib/modules/$(KVER)/build

B       := build
UAPI    := kernel/include/uapi
CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -Wall -Wextra -Werror -std=gnu11 -I$(UAPI) -Ilib -I$(B)/include
# a packager's CPPFLAGS and LDFLAGS (dpkg-buildflags: _FORTIFY_SOURCE, relro,
# bindnow) ride along with CFLAGS, which every compile and link here uses;
# gcc ignores the -Wl, ones where it does not link
CFLAGS  += $(CPPFLAGS) $(LDFLAGS)
# VERSION is the one place the package's version is kept: the tools print it
# from $(VERSION_H), make install and DKMS take it from here
VERSION   := $(shell cat VERSION)
VERSION_H := $(B)/include/dvk_version.h
CLANG   ?= clang
BPFTOOL ?= bpftool
# -mcpu=v3: the atomic compare-and-swap of bpf/stat.bpf.h (kernels >= 5.12)
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror \
	-I/usr/include/$(shell uname -m)-linux-gnu -I$(UAPI) -Ibpf

# Every archive is written afresh (rm -f, then ar): `ar r` into an old one
# would keep members that left its list
LIB_SRCS  := $(wildcard lib/*.c)
LIB_OBJS  := $(patsubst lib/%.c,$(B)/lib/%.o,$(LIB_SRCS))
LIBDVK_A  := $(B)/lib/libdvk.a
LIBDVK_SO := $(B)/lib/libdvk.so
DVKVIEW_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(wildcard lib/dvkview/*.c))
DVKVIEW_A    := $(B)/lib/libdvkview.a
DVKARCHIVE_OBJS := $(patsubst lib/%.c,$(B)/lib/%.o,$(wildcard lib/dvkarchive/*.c))
DVKARCHIVE_A    := $(B)/lib/libdvkarchive.a
DVKARCHIVE_LIBS := -larchive -ljson-c

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(B)/bpf/%.skel.h,$(BPF_SRCS))

DVKTOP_SRCS := $(wildcard dvktop/*.c)
DVKTOP_OBJS := $(patsubst dvktop/%.c,$(B)/dvktop/%.o,$(DVKTOP_SRCS))
DVKTOP      := $(B)/bin/dvktop
# libdvktopdata.a: dvktop's data side (the live source's BPF and debugfs
# readers, the replay source, the model, the clocks), built once from dvktop/
# and linked by dvktop and dvk-exporter, so there is one copy of the BPF readers
# (the replay source needs $(DVKARCHIVE_A) and $(DVKARCHIVE_LIBS))
DVKTOPDATA_SRCS := dvktop/source_live.c dvktop/source_replay.c dvktop/sample_json.c dvktop/json.c \
		   dvktop/clock.c dvktop/hist.c dvktop/table.c $(wildcard dvktop/model*.c)
DVKTOPDATA_OBJS := $(patsubst dvktop/%.c,$(B)/dvktop/%.o,$(DVKTOPDATA_SRCS))
DVKTOPDATA_A    := $(B)/lib/libdvktopdata.a
DVKTOPDATA_LIBS := -lbpf -lelf -lz -lm
DVKTOP_OWN_OBJS := $(filter-out $(DVKTOPDATA_OBJS),$(DVKTOP_OBJS))

DVKEXPORTER_SRCS := $(wildcard tools/dvk-exporter/*.c)
DVKEXPORTER      := $(B)/bin/dvk-exporter

DVKCTL      := $(B)/bin/dvkctl
DVKPROXY    := $(B)/bin/dvk-proxy
DVKLOAD     := $(B)/bin/dvkload
DVKBENCH    := $(B)/bin/dvkbench
DVKTRACE    := $(B)/bin/dvk-trace
DVKCAPHELP  := $(B)/bin/dvk-capture-helper
DVKSNOOP    := $(B)/bin/dvksnoop

# tests/kernel: exactly the C programs of tests/kernel/tests.list (which the
# guest suite and tests/run read too); tests-list checks the list against the sources
KTEST_LIST     := $(sort $(filter-out %.sh,$(shell sed 's/\#.*//' tests/kernel/tests.list | awk 'NF { print $$1 }')))
KTEST_SOURCES  := $(patsubst tests/kernel/%.c,%,$(wildcard tests/kernel/*.c))
KTEST_UNLISTED := $(filter-out $(KTEST_LIST),$(KTEST_SOURCES))
KTEST_MISSING  := $(filter-out $(KTEST_SOURCES),$(KTEST_LIST))
TEST_SRCS   := $(patsubst %,tests/kernel/%.c,$(filter $(KTEST_SOURCES),$(KTEST_LIST))) $(wildcard tests/unit/*.c)
TEST_BINS   := $(patsubst tests/%.c,$(B)/tests/%,$(TEST_SRCS))
# tests/lib's archive: defined before any rule names it as a prerequisite
# (make expands those at once; an undefined one is empty, and -j2 then links
# before the archive exists)
TESTLIB_OBJS := $(patsubst tests/lib/%.c,$(B)/tests/lib/%.o,$(wildcard tests/lib/*.c))
TESTLIB_A    := $(B)/tests/lib/libdvktest.a

# tests/compat: programs written as original DVK programs are (the original
# header names, through tests/compat/include -> lib/dvk-compat), for the guest suite
COMPAT_SRCS := $(wildcard tests/compat/dvk-tests/*.c)
COMPAT_BINS := $(patsubst tests/compat/dvk-tests/%.c,$(B)/tests/compat/%,$(COMPAT_SRCS))
COMPAT_HDRS := lib/dvk_compat.h lib/dvk_compat_fmt.h $(wildcard lib/dvk-compat/*/*.h)

.PHONY: all module lib bpf tools dvktop tests check test demo bench bench-module bench-nousdt setup clean \
	debug-module test-debug
.SECONDARY: $(BPF_OBJS)
all: module lib bpf tools dvktop tests

setup:
	./scripts/setup.sh

# ---- kernel module --------------------------------------------------------
module:
	@test -d "$(KDIR)" || { echo "no kernel build tree at $(KDIR): run scripts/setup.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel modules
	./scripts/module-btf $(KVER) kernel/dvk.ko

# Warning-free with W=1 and sparse; kbuild only rebuilds what changed, so force it.
check:
	@test -d "$(KDIR)" || { echo "no kernel build tree at $(KDIR): run scripts/setup.sh" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean >/dev/null
	@mkdir -p $(B)
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel W=1 C=2 modules 2>&1 | tee $(B)/check.log
	@if grep -E 'warning:|error:|sparse:' $(B)/check.log; then \
		echo "make check: warnings found (see above)" >&2; exit 1; fi
	@echo "make check: module clean with W=1 and sparse"
	./scripts/module-btf $(KVER) kernel/dvk.ko

# The baseline of `make bench`: the same module with every trace_dvk_*()
# call compiled out (NOTRACE; the events stay defined in dvk_trace.c), built
# from a copy of kernel/ and tracepoints/ under $(B)/bench/notrace.
NOTRACE_DIR := $(CURDIR)/$(B)/bench/notrace
bench-module:
	@test -d "$(KDIR)" || { echo "no kernel build tree at $(KDIR): run scripts/setup.sh" >&2; exit 1; }
	@mkdir -p $(NOTRACE_DIR)/kernel $(NOTRACE_DIR)/tracepoints
	rm -f $(NOTRACE_DIR)/kernel/*.[ch] $(NOTRACE_DIR)/tracepoints/*
	cp -p kernel/*.c kernel/*.h kernel/Makefile $(NOTRACE_DIR)/kernel/
	cp -pR kernel/include $(NOTRACE_DIR)/kernel/
	cp -p tracepoints/* $(NOTRACE_DIR)/tracepoints/
	printf '%s\n' 'include $$(src)/Makefile' 'ccflags-y += -DNOTRACE' \
		'CFLAGS_REMOVE_dvk_trace.o += -DNOTRACE' 'CFLAGS_REMOVE_dvk_trace_rmt.o += -DNOTRACE' >$(NOTRACE_DIR)/kernel/Kbuild
	$(MAKE) -C $(KDIR) M=$(NOTRACE_DIR)/kernel modules

# The baseline of the USDT probes' cost in `make bench`: libdvk built with
# the probes compiled out (-DDVK_NO_USDT) and dvkbench linked with it, under
# $(B)/bench/nousdt (scripts/bench-guest's loop dvk-nousdt).
NOUSDT_DIR  := $(B)/bench/nousdt
NOUSDT_OBJS := $(patsubst lib/%.c,$(NOUSDT_DIR)/lib/%.o,$(LIB_SRCS))
bench-nousdt: $(NOUSDT_DIR)/dvkbench
$(NOUSDT_DIR)/lib/%.o: lib/%.c lib/*.h $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DDVK_NO_USDT -fPIC -c $< -o $@
$(NOUSDT_DIR)/libdvk.a: $(NOUSDT_OBJS)
	rm -f $@ && ar rcs $@ $^
$(NOUSDT_DIR)/dvkbench: tools/dvkbench/*.[ch] tools/common/*.[ch] $(NOUSDT_DIR)/libdvk.a
	$(CC) $(CFLAGS) -o $@ tools/dvkbench/*.c tools/common/*.c $(NOUSDT_DIR)/libdvk.a -lpthread

# dvk.ko for the debug kernel (scripts/debug-kernel builds that kernel once per
# machine, cached outside the tree), from a copy of kernel/ and tracepoints/
# under $(B)/debug, as bench-module does: kernel/dvk.ko stays Debian's.  No
# scripts/module-btf: the debug kernel has BTF, so kbuild adds dvk.ko's own.
DEBUG_DIR := $(CURDIR)/$(B)/debug
debug-module:
	@mkdir -p $(DEBUG_DIR)/kernel $(DEBUG_DIR)/tracepoints
	rm -f $(DEBUG_DIR)/kernel/*.[ch] $(DEBUG_DIR)/tracepoints/*
	cp -p kernel/*.c kernel/*.h kernel/Makefile $(DEBUG_DIR)/kernel/
	cp -pR kernel/include $(DEBUG_DIR)/kernel/
	cp -p tracepoints/* $(DEBUG_DIR)/tracepoints/
	./scripts/debug-kernel >/dev/null
	$(MAKE) -C "$$(./scripts/debug-kernel --check)" M=$(DEBUG_DIR)/kernel modules

# ---- libdvk -----------------------------------------------------------------
lib: $(LIBDVK_A) $(LIBDVK_SO) $(LIBDVK_SO).1 $(DVKARCHIVE_A)

$(B)/lib/%.o: lib/%.c lib/*.h $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -c $< -o $@

$(LIBDVK_A): $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(LIBDVK_SO): $(LIB_OBJS)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libdvk.so.1 -o $@ $^ -lpthread

# the soname: what programs linked against libdvk.so load
$(LIBDVK_SO).1: $(LIBDVK_SO)
	ln -sf libdvk.so $@

# ---- BPF programs and skeletons ---------------------------------------------
bpf: $(BPF_SKELS)

$(B)/bpf/%.bpf.o: bpf/%.bpf.c bpf/*.h $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/bpf/%.skel.h: $(B)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@.tmp && mv $@.tmp $@

# ---- tools ------------------------------------------------------------------
tools: $(DVKCTL) $(DVKLOAD) $(DVKBENCH) $(DVKPROXY) $(DVKCAPHELP)
tools: $(DVKTRACE) $(DVKSNOOP) $(DVKEXPORTER) $(B)/bin/dvk-service

# dvk-service is a script: a copy in build/bin, beside the dvk-proxy and
# dvkctl it runs (it looks for them in its own directory first), and what
# make install takes from there (SBIN_PROGS)
$(B)/bin/dvk-service: tools/dvk-service/dvk-service
	@mkdir -p $(@D)
	install -m 755 $< $@

# dvk-trace: capture archives -> Perfetto JSON, summary (docs/support.md)
DVKTRACE_CFLAGS := $(shell pkg-config --cflags libtracecmd json-c)
DVKTRACE_LIBS   := $(shell pkg-config --libs libtracecmd) $(DVKARCHIVE_LIBS)
$(B)/dvk-trace/%.o: tools/dvk-trace/%.c tools/dvk-trace/*.h lib/dvkarchive/*.h lib/libdvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(DVKTRACE_CFLAGS) -c $< -o $@
DVKTRACE_OBJS := $(patsubst tools/dvk-trace/%.c,$(B)/dvk-trace/%.o,$(wildcard tools/dvk-trace/*.c))
$(DVKTRACE): $(DVKTRACE_OBJS) $(DVKARCHIVE_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(DVKTRACE_OBJS) $(DVKARCHIVE_A) $(LIBDVK_A) $(DVKTRACE_LIBS) -lpthread

# dvk-capture is a script (tools/dvk-capture/dvk-capture); its helper pairs the
# clocks and maps call and error names to numbers (docs/support.md)
$(DVKCAPHELP): tools/dvk-capture/helper.c $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $<

$(DVKPROXY): tools/dvk-proxy/*.c tools/dvk-proxy/*.h tools/common/*.[ch] $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ tools/dvk-proxy/*.c tools/common/*.c $(LIBDVK_A) -lpthread -lz -lcrypto

$(DVKLOAD): tools/dvkload/*.c tools/dvkload/*.h tools/common/*.[ch] $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ tools/dvkload/*.c tools/common/*.c $(LIBDVK_A) -lpthread

$(DVKBENCH): tools/dvkbench/*.[ch] tools/common/*.[ch] $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ tools/dvkbench/*.c tools/common/*.c $(LIBDVK_A) -lpthread

# dvkctl keygen writes the proxies' key file (tools/dvk-proxy/keyfile.c);
# dvkctl waits builds the wait-for graph with lib/dvkview (-j: json-c)
$(DVKCTL): tools/dvkctl/*.[ch] tools/dvk-proxy/keyfile.[ch] $(DVKVIEW_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools/dvk-proxy -o $@ tools/dvkctl/*.c tools/dvk-proxy/keyfile.c $(DVKVIEW_A) $(LIBDVK_A) -ljson-c -lpthread

# dvksnoop: one line per DVK call, from bpf/dvksnoop.bpf.c's ring buffer
# (docs/probes.md); the DVS node id through lib/dvkview, names from libdvk
$(DVKSNOOP): tools/dvksnoop/*.[ch] tools/common/*.[ch] bpf/dvksnoop.h $(B)/bpf/dvksnoop.skel.h $(DVKVIEW_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(B)/bpf -Ibpf -Itools/common -o $@ tools/dvksnoop/*.c tools/common/cli.c \
		$(DVKVIEW_A) $(LIBDVK_A) -lbpf -lelf -lz

# ---- dvktop -----------------------------------------------------------------
dvktop: $(DVKTOP)

$(B)/dvktop/%.o: dvktop/%.c dvktop/*.h bpf/*.h $(BPF_SKELS) $(UAPI)/dvk.h lib/libdvk.h lib/dvkview/*.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(B)/bpf -Ibpf -Idvktop -c $< -o $@

# the replay source opens capture archives with lib/dvkarchive; the samples
# of --record and -r are JSON (json-c, in DVKARCHIVE_LIBS)
$(DVKTOP): $(DVKTOP_OWN_OBJS) $(DVKTOPDATA_A) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(DVKTOP_OWN_OBJS) $(DVKTOPDATA_A) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A) $(DVKTOPDATA_LIBS) -lncursesw -ltinfo -lpthread $(DVKARCHIVE_LIBS)

$(DVKTOPDATA_A): $(DVKTOPDATA_OBJS)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# dvk-exporter: /metrics over HTTP (libmicrohttpd) from dvktop's live source
# and model (libdvktopdata.a); docs/metrics.md
$(DVKEXPORTER): $(DVKEXPORTER_SRCS) tools/common/cli.[ch] tools/dvk-exporter/*.h dvktop/*.h bpf/*.h $(BPF_SKELS) $(DVKTOPDATA_A) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(B)/bpf -Ibpf -Idvktop -Itools/dvk-exporter -Itools/common -o $@ $(DVKEXPORTER_SRCS) tools/common/cli.c \
		$(DVKTOPDATA_A) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A) $(DVKTOPDATA_LIBS) $(DVKARCHIVE_LIBS) \
		-lmicrohttpd -lpthread


# lib/dvkview (DVKVIEW_A): the parsers of dvk.ko's text views, one per
# format, for dvktop and the tests that read the same files
$(DVKVIEW_OBJS): lib/dvkview/*.h
$(DVKVIEW_A): $(DVKVIEW_OBJS)
	rm -f $@ && ar rcs $@ $^

# lib/dvkarchive (DVKARCHIVE_A): opens the capture archives of dvk-capture
# (docs/support.md) for dvktop -r and dvk-trace; link with $(DVKARCHIVE_LIBS)
$(DVKARCHIVE_OBJS): lib/dvkarchive/*.h
$(DVKARCHIVE_A): $(DVKARCHIVE_OBJS)
	rm -f $@ && ar rcs $@ $^

$(B)/tests/unit/test_dvkarchive: tests/unit/test_dvkarchive.c tests/*.h lib/dvkarchive/*.h $(DVKARCHIVE_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(DVKARCHIVE_A) $(DVKARCHIVE_LIBS)

# test_usdt reads the USDT notes of libdvk.so and of a static tool with libelf
$(B)/tests/unit/test_usdt: tests/unit/test_usdt.c tests/*.h $(LIBDVK_SO) $(DVKBENCH) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -o $@ $< -lelf

# dvk-trace's estimator, joins and writer on synthetic events (no trace-cmd)
DVKTRACE_TESTED := $(filter-out tools/dvk-trace/main.c tools/dvk-trace/load.c,$(wildcard tools/dvk-trace/*.c))
$(B)/tests/unit/test_dvk_trace: tests/unit/test_dvk_trace.c tests/*.h $(DVKTRACE_TESTED) tools/dvk-trace/*.h $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itools/dvk-trace $(shell pkg-config --cflags json-c) -o $@ $< $(DVKTRACE_TESTED) $(LIBDVK_A) -ljson-c -lpthread

# test_endpoints reads debugfs dvk/endpoints with the same parser as dvktop
$(B)/tests/kernel/test_endpoints: tests/kernel/test_endpoints.c tests/*.h tests/lib/*.h $(TESTLIB_A) $(DVKVIEW_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -Ibpf -o $@ $< $(TESTLIB_A) $(DVKVIEW_A) $(LIBDVK_A) -lpthread

# read_cost times a debugfs view's read and lib/dvkview's parse of it (scripts/bench-guest)
$(B)/tests/kernel/read_cost: tests/kernel/read_cost.c lib/dvkview/*.h $(DVKVIEW_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(DVKVIEW_A)

# test_waits: the waits graph of lib/dvkview on fixture rows
$(B)/tests/unit/test_waits: tests/unit/test_waits.c tests/*.h lib/dvkview/*.h $(DVKVIEW_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -o $@ $< $(DVKVIEW_A)

# ---- test programs ----------------------------------------------------------
# tests/unit: host unit tests (dvktop's model is pure C and linked in);
# tests/kernel: programs run inside the guests against dvk.ko.
tests: tests-list $(TEST_BINS) $(COMPAT_BINS)

.PHONY: tests-list
tests-list:
	@$(if $(KTEST_UNLISTED),echo "tests/kernel/tests.list has no line for $(KTEST_UNLISTED): list it (a test is built only to be run)" >&2; exit 1)
	@$(if $(KTEST_MISSING),echo "tests/kernel/tests.list names $(KTEST_MISSING) but tests/kernel/ has no such .c" >&2; exit 1)
	@sed 's/#.*//' tests/kernel/tests.list | awk 'NF && $$2 !~ /^(suite|proxied|cluster2|cluster3|helper)$$/ { \
		print "tests/kernel/tests.list: " $$1 " has an unknown group " $$2 " (see the list'"'"'s header)" > "/dev/stderr"; bad = 1 } \
		NF && $$2 != "helper" && $$3 !~ /^[1-9][0-9]*$$/ { \
		print "tests/kernel/tests.list: " $$1 " has no TIMEOUT in seconds (see the list'"'"'s header)" > "/dev/stderr"; bad = 1 } \
		END { exit bad }'

# tests/lib: what the kernel tests share (process helpers, the local and remote
# set-ups, the cluster barriers), compiled once and linked into each of them
$(B)/tests/lib/%.o: tests/lib/%.c tests/lib/*.h tests/check.h lib/libdvk.h lib/dvk_params.h $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -c $< -o $@

$(TESTLIB_A): $(TESTLIB_OBJS)
	rm -f $@ && ar rcs $@ $^

# the pure-C part of dvktop (no libbpf, no ncurses), linked into its unit tests
MODEL_SRCS := $(filter-out dvktop/main.c dvktop/source_live.c dvktop/view_tui.c dvktop/tui_%.c dvktop/view_batch.c,$(DVKTOP_SRCS))
MODEL_UNIT_TESTS := $(B)/tests/unit/test_model $(B)/tests/unit/test_proxies_view $(B)/tests/unit/test_replay \
		    $(B)/tests/unit/test_waits_view
$(MODEL_UNIT_TESTS): $(B)/tests/unit/%: tests/unit/%.c tests/*.h $(MODEL_SRCS) dvktop/*.h bpf/*.h $(UAPI)/dvk.h $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Idvktop -Ibpf -o $@ $< $(MODEL_SRCS) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A) -lm $(DVKARCHIVE_LIBS)

# the exposition writer on fixture models (no libbpf, no HTTP): the pure-C
# model files and tools/dvk-exporter/expo.c
$(B)/tests/unit/test_exporter: tests/unit/test_exporter.c tests/*.h tools/dvk-exporter/expo.[ch] $(MODEL_SRCS) dvktop/*.h bpf/*.h $(UAPI)/dvk.h $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Idvktop -Ibpf -Itools/dvk-exporter -o $@ $< tools/dvk-exporter/expo.c $(MODEL_SRCS) $(DVKVIEW_A) $(DVKARCHIVE_A) $(LIBDVK_A) -lm $(DVKARCHIVE_LIBS)

$(B)/tests/unit/test_proxy_wire: tests/unit/test_proxy_wire.c tests/*.h tools/dvk-proxy/wire.[ch] $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itools/dvk-proxy -o $@ $< tools/dvk-proxy/wire.c $(LIBDVK_A) -lz

# dvk-proxy's logger (journald levels) and stats file, without dvk.ko
$(B)/tests/unit/test_proxy_log: tests/unit/test_proxy_log.c tests/*.h tools/dvk-proxy/log.c tools/dvk-proxy/wire.c tools/dvk-proxy/*.h tools/common/dvkconf.h $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itools/dvk-proxy -o $@ $< tools/dvk-proxy/log.c tools/dvk-proxy/wire.c $(LIBDVK_A) -lz -lpthread

PROXY_SECURE_SRCS := tools/dvk-proxy/wire.c tools/dvk-proxy/record.c tools/dvk-proxy/handshake.c tools/dvk-proxy/keyfile.c
$(B)/tests/unit/test_proxy_secure: tests/unit/test_proxy_secure.c tests/*.h $(PROXY_SECURE_SRCS) tools/dvk-proxy/*.h $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itools/dvk-proxy -o $@ $< $(PROXY_SECURE_SRCS) $(LIBDVK_A) -lz -lcrypto

# proxy_attack's fuzz mode builds its frames with tests/kernel/fuzz/frames.c
$(B)/tests/kernel/proxy_attack: tests/kernel/proxy_attack.c tests/kernel/fuzz/frames.[ch] tests/kernel/fuzz/fuzz.h tests/*.h $(PROXY_SECURE_SRCS) tools/dvk-proxy/*.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -Itests/kernel -Itools/dvk-proxy -o $@ $< tests/kernel/fuzz/frames.c $(PROXY_SECURE_SRCS) $(TESTLIB_A) $(LIBDVK_A) -lpthread -lz -lcrypto

# usdt_calls: linked against libdvk.so (found by its run path), so that
# tests/kernel/usdt.sh attaches bpftrace to the shared library's probes
$(B)/tests/kernel/usdt_calls: tests/kernel/usdt_calls.c $(LIBDVK_SO) $(LIBDVK_SO).1 $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< -L$(B)/lib -ldvk -Wl,-rpath,$(CURDIR)/$(B)/lib -lpthread

# test_privs: the runner plus its parts in tests/kernel/privs/ (which the
# wildcard tests/kernel/*.c does not see).
PRIVS_SRCS := $(wildcard tests/kernel/privs/*.c)
$(B)/tests/kernel/test_privs: tests/kernel/test_privs.c $(PRIVS_SRCS) tests/kernel/privs/*.h tests/*.h tests/lib/*.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -Ibpf -o $@ $< $(PRIVS_SRCS) $(TESTLIB_A) $(LIBDVK_A) -lpthread

# test_dc, test_rpc: the runner plus its parts in tests/kernel/dc/, tests/kernel/rpc/.
DC_SRCS := $(wildcard tests/kernel/dc/*.c)
$(B)/tests/kernel/test_dc: tests/kernel/test_dc.c $(DC_SRCS) tests/kernel/dc/*.h tests/*.h tests/lib/*.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -o $@ $< $(DC_SRCS) $(TESTLIB_A) $(LIBDVK_A) -lpthread

RPC_SRCS := $(wildcard tests/kernel/rpc/*.c)
$(B)/tests/kernel/test_rpc: tests/kernel/test_rpc.c $(RPC_SRCS) tests/kernel/rpc/*.h tests/*.h tests/lib/*.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -o $@ $< $(RPC_SRCS) $(TESTLIB_A) $(LIBDVK_A) -lpthread

# dvk_fuzz: the runner plus its parts in tests/kernel/fuzz/ (docs/fuzzing.md).
FUZZ_SRCS := $(addprefix tests/kernel/fuzz/,arena.c gen.c actor.c monitor.c reader.c repro.c replay.c checks.c findings.c)
$(B)/tests/kernel/dvk_fuzz: tests/kernel/dvk_fuzz.c $(FUZZ_SRCS) tests/kernel/fuzz/*.h tests/*.h tests/lib/*.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -o $@ $< $(FUZZ_SRCS) $(TESTLIB_A) $(LIBDVK_A) -lpthread

# The original-style programs build with the usual flags, unchanged.
$(B)/tests/compat/%: tests/compat/dvk-tests/%.c tests/compat/dvk-tests/*.h $(COMPAT_HDRS) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LIBDVK_A) -lpthread

$(B)/tests/unit/test_dvk_compat: $(COMPAT_HDRS)

# the library wrappers' unit tests run against the fake /dev/dvk of tests/unit/fake
FAKE_DVK_TESTS := $(B)/tests/unit/test_compat $(B)/tests/unit/test_dvk_compat
$(FAKE_DVK_TESTS): $(B)/tests/unit/%: tests/unit/%.c tests/unit/fake/fake_dvk.[ch] tests/*.h $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/unit/fake -o $@ $< tests/unit/fake/fake_dvk.c $(LIBDVK_A) -lpthread -lm

$(B)/tests/unit/%: tests/unit/%.c tests/*.h $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Ibpf -o $@ $< $(LIBDVK_A) -lpthread -lm

$(B)/tests/kernel/%: tests/kernel/%.c tests/*.h tests/lib/*.h lib/dvk_params.h $(TESTLIB_A) $(LIBDVK_A) $(UAPI)/dvk.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests -Itests/lib -Ibpf -o $@ $< $(TESTLIB_A) $(LIBDVK_A) -lpthread

# ---- the two commands of README.md ------------------------------------------
test: setup
	$(MAKE) all
	./tests/run

demo: setup
	$(MAKE) all
	./scripts/demo

# The debug lane (README.md): builds the debug kernel the first time (~20 min),
# then runs the guest suite, the clusters and the fuzzer on it (tests/run debug).
test-debug:
	./scripts/setup.sh --debug-kernel
	$(MAKE) all
	$(MAKE) debug-module
	./tests/run debug

# A long run of the call fuzzer in a guest (docs/fuzzing.md): FUZZ_SECONDS
# seconds if given, else FUZZ_CALLS calls (10 million, about 40 min under
# TCG); FUZZ_SEED to repeat one.  Reproducers and outputs in build/fuzz/.
.PHONY: fuzz
FUZZ_SECONDS ?= 0
FUZZ_CALLS ?= $(if $(filter-out 0,$(FUZZ_SECONDS)),0,10000000)
FUZZ_VM_TIMEOUT = $(shell echo $$(( $(FUZZ_SECONDS) > 0 ? $(FUZZ_SECONDS) + 900 : $(FUZZ_CALLS) / 500 + 900 )))
fuzz: setup
	$(MAKE) all
	@mkdir -p $(B)/fuzz
	./scripts/vm-run --timeout $(FUZZ_VM_TIMEOUT) --log $(B)/fuzz/console --dmesg $(B)/fuzz/guest.dmesg -- \
		env FUZZ_CALLS=$(FUZZ_CALLS) FUZZ_SECONDS=$(FUZZ_SECONDS) $(if $(FUZZ_SEED),FUZZ_SEED=$(FUZZ_SEED)) \
		tests/kernel/fuzz.sh
	./scripts/klog-check $(B)/fuzz/guest.dmesg

# A script printing numbers (not a test): see docs/performance.md.
bench: setup
	./scripts/bench

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/kernel clean >/dev/null 2>&1
	rm -rf $(B)

$(VERSION_H): VERSION
	@mkdir -p $(@D)
	printf '/* generated from VERSION by the Makefile */\n#define DVK_PACKAGE_VERSION "%s"\n' '$(VERSION)' >$@

# the tools print the version: they are rebuilt when it changes
$(B)/dvk-trace/main.o $(B)/dvktop/main.o $(B)/dvktop/help.o $(B)/dvktop/view_text.o \
	$(DVKCTL) $(DVKLOAD) $(DVKBENCH) $(DVKPROXY) $(DVKSNOOP) $(DVKEXPORTER) \
	$(B)/tests/unit/test_exporter: $(VERSION_H)

# dvk.h is made of parts (kernel/include/uapi/dvk_abi_*.h): whatever the
# rules above rebuild when dvk.h changes depends on its parts too.
$(LIB_OBJS) $(BPF_OBJS) $(DVKTOP_OBJS) $(TEST_BINS) $(COMPAT_BINS) $(DVKCTL) $(DVKLOAD) $(DVKBENCH) \
	$(DVKPROXY) $(DVKCAPHELP) $(DVKSNOOP) $(DVKEXPORTER): $(wildcard $(UAPI)/dvk_abi_*.h)

# man pages, make install/uninstall, the DKMS source tree (docs/install.md)
include mk/install.mk
