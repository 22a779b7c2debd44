# ackmail - plain Makefile over pkg-config. See README.md.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
DATADIR	?= $(PREFIX)/share/ackmail
LIBEXECDIR ?= $(PREFIX)/lib/ackmail
DESTDIR	?=

CC	?= cc
PKGS	 = gmime-3.0 libpcre2-8 sqlite3 libetpan
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libetpan's .pc adds gcc-only link specs; keep only the libraries.
PKG_LIBS_DYN := $(filter-out -specs=% -Wl%,$(shell pkg-config --libs $(PKGS) 2>/dev/null))
# The MTA starts one process per message, and resolving the symbols of
# GLib, GIO and GMime dominates that start (docs/benchmarks.md): link them
# and their small dependencies statically, the rest dynamically as needed.
# STATIC=no links everything dynamically.
STATIC	?= yes
STATIC_LIBS = -lgmime-3.0 -lgio-2.0 -lgobject-2.0 -lgmodule-2.0 -lglib-2.0 \
	   -lsqlite3 -letpan -lgpgme -lassuan -lgpg-error -lffi -lselinux \
	   -lsepol -lblkid -lz -lpcre2-8
DYN_LIBS = -lidn2 -lmount -lgnutls -lsasl2 -ldb-5.3 -llockfile -lresolv -ldl
ifeq ($(STATIC),yes)
PKG_LIBS = -Wl,--as-needed -Wl,--gc-sections -Wl,-Bstatic $(STATIC_LIBS) \
	   -Wl,-Bdynamic $(DYN_LIBS) -pthread
else
PKG_LIBS = $(PKG_LIBS_DYN)
endif

WARN	 = -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wstrict-prototypes \
	   -Wshadow -Wwrite-strings -Wno-unused-parameter
WERROR	?= -Werror
OPT	?= -O2 -g
SAN	?=
BUILD	?= build
CFLAGS_ALL = -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(WERROR) $(SAN) \
	   -DACKMAIL_DATADIR='"$(DATADIR)"' \
	   -DACKMAIL_LIBEXECDIR='"$(LIBEXECDIR)"' \
	   $(foreach d,$(LIBDIRS),-I$(d)) $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

LIBDIRS	 = $(sort $(dir $(wildcard lib/*/*.h)))
LIB_SRCS = $(wildcard lib/*/*.c)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
FLT_SRCS = $(filter-out filter/lite.c,$(wildcard filter/*.c))
FLT_OBJS = $(FLT_SRCS:%.c=$(BUILD)/%.o)
LIBA	 = $(BUILD)/libackmail.a
# Two programs (filter/lite.c): ackmail runs a plain delivery itself and
# links libc only; everything else it hands to ackmail-full, the whole
# program, by execv().
PROG_DIR = $(if $(filter build,$(BUILD)),filter,$(BUILD))
PROG	 = $(PROG_DIR)/ackmail
FULL	 = $(PROG_DIR)/ackmail-full
LITE_OBJS = $(addprefix $(BUILD)/filter/,lite.o cmd-deliver.o config-find.o \
	   pipeline.o cmd-procmail.o cmd-formail.o)

UNIT_SRCS = $(wildcard tests/unit/test-*.c)
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRCS = $(wildcard tests/fuzz/fuzz-*.c)

.PHONY: all check asan unit fuzz fuzz-run bench difftest demo install clean \
	format format-check tidy

all: $(PROG) $(FULL)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c -o $@ $<

$(LIBA): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJS)

# the standard rules are built into the binary (.incbin)
$(BUILD)/filter/pipeline-support.o: rules/default.sieve

$(FULL): $(FLT_OBJS) $(LIBA)
	$(CC) $(LDFLAGS_ALL) -o $@ $(FLT_OBJS) $(LIBA) $(PKG_LIBS) -lm

$(PROG): $(LITE_OBJS) $(LIBA) | $(FULL)
	$(CC) $(LDFLAGS_ALL) -Wl,--wrap=pipeline_init -o $@ $(LITE_OBJS) \
	    $(LIBA) -lm

$(BUILD)/tests/%: tests/unit/%.c $(LIBA) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIBA) $(PKG_LIBS) -lcmocka -lm

unit: $(UNIT_BINS)

# The whole suite: unit tests, end-to-end tests (TAP, by prove), the
# Sieve conformance tests and the short fuzz runs. Last line:
# "N passed, N failed".
check: $(PROG) $(UNIT_BINS)
	@ACKMAIL=$(abspath $(PROG)) UNIT_DIR=$(abspath $(BUILD)/tests) \
	    sh tests/run-tests.sh

# The same suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan:
	$(MAKE) BUILD=build/asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" \
	    check

fuzz:
	$(MAKE) -f tests/fuzz/fuzz.mk

fuzz-run: fuzz
	sh tests/fuzz/run.sh 30

bench: $(PROG)
	sh tests/bench/run.sh

difftest: $(PROG)
	ACKMAIL=$(abspath $(PROG)) DIFFTEST_FULL=1 sh tests/difftest.sh

demo: $(PROG)
	sh contrib/demo/run.sh

install: $(PROG) $(FULL)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(DATADIR)/rules \
	    $(DESTDIR)$(DATADIR)/rules/templates \
	    $(DESTDIR)$(DATADIR)/rules/examples
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(PROG) $(DESTDIR)$(BINDIR)/ackmail
	install -m 755 $(FULL) $(DESTDIR)$(LIBEXECDIR)/ackmail-full
	for f in man/*.1; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANDIR)/man1/; done; true
	for f in man/*.5; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(MANDIR)/man5/; done; true
	for f in rules/*.sieve rules/*.procmailrc; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(DATADIR)/rules/; done; true
	for f in rules/templates/*; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(DATADIR)/rules/templates/; done; true
	for f in rules/examples/*; do [ -f "$$f" ] && install -m 644 $$f $(DESTDIR)$(DATADIR)/rules/examples/; done; true

format:
	clang-format -i $(LIB_SRCS) $(wildcard lib/*/*.h) $(FLT_SRCS) \
	    $(wildcard filter/*.h) $(UNIT_SRCS) $(FUZZ_SRCS)

format-check:
	clang-format --dry-run --Werror $(LIB_SRCS) $(wildcard lib/*/*.h) \
	    $(FLT_SRCS) filter/lite.c $(wildcard filter/*.h) $(UNIT_SRCS) \
	    tests/unit/unit.h $(FUZZ_SRCS)

clean:
	rm -rf build filter/ackmail filter/ackmail-full

-include $(LIB_OBJS:.o=.d) $(FLT_OBJS:.o=.d) $(BUILD)/filter/lite.d
