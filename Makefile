# SPDX-License-Identifier: Apache-2.0
# kensa build. Plain GNU make; sources are globbed so adding a file needs no edit here.
#
#   make                 development build in build/ (-Werror), the CLI is build/kensa
#   make SAN=1           AddressSanitizer + UndefinedBehaviorSanitizer build in build-san/
#   make check           quick + full tests on the dev build, then unit/fuzz/CLI tests under ASan+UBSan
#   make check-quick     unit tests, fuzz corpus replay and the fast CLI tests (no images)
#   make fuzz            libFuzzer targets (clang) in build-fuzz/
#   make demo            the README's main job: load the feeds, scan a real image
#   make bench           benchmarks against the peer (see bench/)

SAN ?= 0
ifeq ($(SAN),1)
B ?= build-san
# float-cast-overflow: GCC leaves it out of "undefined" (clang includes it); converting an
# out-of-range double read from a document is undefined behaviour we want caught
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow -fno-omit-frame-pointer
OPT ?= -O1
else
B ?= build
SANFLAGS :=
OPT ?= -O2
endif

CC ?= cc
PKGS := libarchive sqlite3 libcurl libcrypto yaml-0.1 libcjson zlib libpcre2-8 libbpf libelf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS)) -ldb-5.3 -lm -lpthread

WARN := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter \
	-Wformat=2 -Wno-format-nonliteral
ifeq ($(findstring clang,$(CC)),)
WARN += -Wshadow=local
endif
CFLAGS ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 $(WARN) $(CFLAGS) $(SANFLAGS) \
	-Iinclude -Ilib -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
LIB_CFLAGS := $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DKENSA_BUILDING_LIBRARY
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard lib/*/*.c))
CLI_SRC := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test-*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/*.c))
BPF_SRC := $(sort $(wildcard bpf/*.bpf.c))

LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(B)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
FUZZ_REPLAY := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz-replay/%)
BPF_SKEL := $(BPF_SRC:bpf/%.bpf.c=$(B)/gen/%.skel.h)

all: $(B)/kensa $(B)/libkensa.so

# ---------------------------------------------------------------- eBPF (skeletons are generated, never committed)
$(B)/gen/vmlinux.h:
	@mkdir -p $(@D)
	bpftool btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(B)/bpf/%.bpf.o: bpf/%.bpf.c $(B)/gen/vmlinux.h $(wildcard bpf/*.h)
	@mkdir -p $(@D)
	clang -g -O2 -target bpf -D__TARGET_ARCH_x86 -I$(B)/gen -Ibpf -c $< -o $@
	llvm-strip -g $@ 2>/dev/null || true

$(B)/gen/%.skel.h: $(B)/bpf/%.bpf.o
	bpftool gen skeleton $< > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- library and CLI
$(LIB_OBJ): | $(BPF_SKEL)

$(B)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c $< -o $@

$(B)/cli/%.o: cli/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Icli -c $< -o $@

$(B)/libkensa.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/libkensa.so: $(LIB_OBJ)
	$(CC) -shared $(LDFLAGS_ALL) -o $@ $^ $(PKG_LIBS)

$(B)/kensa: $(CLI_OBJ) $(B)/libkensa.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJ) $(B)/libkensa.a $(PKG_LIBS)

# ---------------------------------------------------------------- tests
$(B)/tests/%: tests/unit/%.c $(B)/libkensa.a tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(B)/libkensa.a $(PKG_LIBS) -lcmocka

$(B)/fuzz-replay/%: fuzz/%.c fuzz/replay.h $(B)/libkensa.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -DKS_FUZZ_REPLAY -include fuzz/replay.h -o $@ $< $(B)/libkensa.a $(PKG_LIBS)

unit: $(UNIT_BIN) $(FUZZ_REPLAY) $(B)/kensa

check-quick: all unit
	B=$(B) tests/run.sh quick

check-full: all unit
	B=$(B) tests/run.sh full

# The README's test command: everything, dev build first, then the sanitizer build.
check:
	$(MAKE) check-full
	$(MAKE) SAN=1 unit
	B=build-san tests/run.sh san

# ---------------------------------------------------------------- fuzzing (clang libFuzzer)
fuzz:
	$(MAKE) B=build-fuzz CC=clang SAN=0 \
		SANFLAGS="-fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer" \
		build-fuzz/libkensa.a
	@mkdir -p build-fuzz/fuzz
	for f in $(FUZZ_SRC); do n=$$(basename $$f .c); \
		clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=address,undefined,fuzzer \
		-Iinclude -Ilib $(PKG_CFLAGS) -o build-fuzz/fuzz/$$n $$f build-fuzz/libkensa.a $(PKG_LIBS) || exit 1; \
	done

demo: all
	scripts/demo.sh

bench: all
	bench/run.sh

clean:
	rm -rf build build-san build-fuzz

.PHONY: all unit check check-quick check-full fuzz demo bench clean
.SECONDARY:

-include $(shell find $(B) -name '*.d' 2>/dev/null)
