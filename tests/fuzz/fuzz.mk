# fuzz.mk - libFuzzer targets (clang): make fuzz
# Each tests/fuzz/fuzz-*.c defines LLVMFuzzerTestOneInput.
CC	 = clang
BUILD	 = build/fuzz
PKGS	 = gmime-3.0 libpcre2-8 sqlite3 libetpan
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(filter-out -specs=% -Wl%,$(shell pkg-config --libs $(PKGS)))
LIBDIRS	 = $(sort $(dir $(wildcard lib/*/*.h)))
CFLAGS_F = -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer-no-link,address,undefined \
	   -DACKMAIL_DATADIR='"."' $(foreach d,$(LIBDIRS),-I$(d)) $(PKG_CFLAGS)
LIB_SRCS = $(wildcard lib/*/*.c)
LIB_OBJS = $(LIB_SRCS:%.c=$(BUILD)/%.o)
TARGETS	 = $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(wildcard tests/fuzz/fuzz-*.c))

all: $(TARGETS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_F) -c -o $@ $<

$(BUILD)/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_OBJS)
	$(CC) $(CFLAGS_F) -fsanitize=fuzzer -o $@ $< $(LIB_OBJS) $(PKG_LIBS) -lm
