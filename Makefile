# oncobank - GNU Make build. `make` builds build/oncobank; `make check` runs
# every test (plain build, then AddressSanitizer + UBSan build); `make demo`
# builds a demo database and serves it; `make bench` prints the benchmarks.

PKGS      := sqlite3 libsodium jansson libmicrohttpd cairo htslib libpq
CC        ?= cc
WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
CSTD      := -std=c17 -D_GNU_SOURCE
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lzint -lm -lpthread
PKG_OK     := $(shell pkg-config --exists $(PKGS) 2>/dev/null && echo yes)
CFLAGS    ?= -O2 -g
ALL_CFLAGS = $(CSTD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -I$(BUILD)/gen

BUILD     ?= build
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
TSAN_FLAGS := -O1 -g -fsanitize=thread
# What the ThreadSanitizer build runs: the server's threads (scripts/run-tests
# runs these unit tests and the serving scripts of a build/tsan).
TSAN_BIN  := $(BUILD)/oncobank $(BUILD)/tests/http/test_dispatch $(BUILD)/tests/http/test_routes_bank

LIB_SRC   := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
CLI_MAIN  := src/cli/main.c
MIGRATIONS := $(sort $(wildcard migrations/*.sql))
# Text files the binary carries (the OpenAPI document): src/**/NAME.json
# becomes the C string ob_text_NAME in build/gen/text_NAME.c.
EMBED     := $(wildcard src/http/*.json)
EMBED_OBJ := $(patsubst src/http/%.json,$(BUILD)/obj/gen/text_%.o,$(EMBED))
# Data the product ships (curated tables, data/TOPIC/NAME.tsv) becomes the C
# string ob_data_TOPIC_NAME ('-' and '.' as '_') in build/gen/data/.
DATA      := $(wildcard data/*/*.tsv)
DATA_OBJ  := $(patsubst data/%.tsv,$(BUILD)/obj/gen/data/%.o,$(DATA))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/migrations.o $(EMBED_OBJ) $(DATA_OBJ)
TEST_SRC  := $(wildcard tests/*/test_*.c)
TEST_BIN  := $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TEST_SUPPORT := $(wildcard tests/support/*.c)

.PHONY: all pkgcheck deps check check-plain check-asan tsan demo bench clean format
all: $(BUILD)/oncobank $(TEST_BIN)

# pkg-config's flags are read when this file is parsed, so a target that
# installs packages first (deps) builds in a second make that parses anew:
# on a fresh machine the first make ran before cairo's or libpq's .pc files
# existed. The recipe runs under `make -n` too ('+'): nothing after it can be
# planned without the packages. DEPS names the installer (tests swap it).
DEPS      ?= bash scripts/install-deps
deps:
	+@$(DEPS)

$(BUILD)/gen/migrations.c: $(MIGRATIONS) scripts/embed-sql
	@mkdir -p $(dir $@)
	bash scripts/embed-sql $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/migrations.o: $(BUILD)/gen/migrations.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -c $< -o $@

$(BUILD)/gen/text_%.c: src/http/%.json scripts/embed-text
	@mkdir -p $(dir $@)
	bash scripts/embed-text ob_text_$(subst -,_,$*) $< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/text_%.o: $(BUILD)/gen/text_%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/gen/data/%.c: data/%.tsv scripts/embed-text
	@mkdir -p $(dir $@)
	bash scripts/embed-text ob_data_$(subst /,_,$(subst .,_,$(subst -,_,$*))) $< > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/data/%.o: $(BUILD)/gen/data/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# Compiling without the libraries' flags fails on a missing header; say why.
pkgcheck:
ifneq ($(PKG_OK),yes)
	@echo "make: the libraries ($(PKGS)) are not all installed; run 'make deps' (make demo and make check do)" >&2
	@exit 1
endif

$(BUILD)/obj/%.o: %.c | pkgcheck
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libob.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/oncobank: $(BUILD)/obj/src/cli/main.o $(BUILD)/libob.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/%: tests/%.c $(TEST_SUPPORT) $(BUILD)/libob.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -o $@ $< $(TEST_SUPPORT) $(BUILD)/libob.a $(PKG_LIBS) $$(pkg-config --libs cmocka)

# The whole suite twice: plain, then under ASan+UBSan; then the server's
# tests under ThreadSanitizer (build/tsan); one closing line.
check: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory BUILD=build/asan CFLAGS="$(SAN_FLAGS)" all
	@$(MAKE) --no-print-directory BUILD=build/tsan CFLAGS="$(TSAN_FLAGS)" tsan
	@bash scripts/run-tests build build/asan build/tsan

tsan: $(TSAN_BIN)

check-plain: all
	@bash scripts/run-tests build

demo: deps
	@$(MAKE) --no-print-directory all
	@bash scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@bash bench/run

format:
	clang-format -i $(wildcard src/*/*.c src/*/*.h tests/*/*.c)

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
