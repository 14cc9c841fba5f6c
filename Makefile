# smtpreply: build, install and test everything.
#
#   make demo     build the library and explain a bundled sample reply with the C example
#   make test     every test: Rust, C (shared, static, ASan/UBSan, threads, C++), Python, install
#   make install  PREFIX=/usr/local (library, header, pkg-config file)

PREFIX     ?= /usr/local
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
CARGO      ?= cargo
PYTHON     ?= python3

VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
MAJOR   := $(word 1,$(subst ., ,$(VERSION)))
RELEASE := target/release

.PHONY: all build demo test test-rust test-c test-python test-install check-symbols install uninstall bench fuzz clean

all: build

build:
	$(CARGO) build --release --lib

# A mail client's connection log, explained step by step (c-examples/samples has more).
demo: build
	$(MAKE) -C c-examples
	./c-examples/build/smtp-explain --log c-examples/samples/connection-log.txt

test: test-rust build check-symbols test-c test-python test-install
	@echo "make test: all tests passed"

test-rust:
	$(CARGO) test --all-targets

test-c: build
	$(MAKE) -C c-examples all test

test-python: build
	$(PYTHON) -m unittest discover -s python/tests -t python -v

# Every symbol the shared library exports starts with smtpreply_.
check-symbols: build
	@bad=$$(nm -D --defined-only $(RELEASE)/libsmtpreply.so | awk '$$2 ~ /^[TDBRVW]$$/ {print $$3}' | grep -v '^smtpreply_' || true); \
	if [ -n "$$bad" ]; then echo "exported symbols without the smtpreply_ prefix:"; echo "$$bad"; exit 1; fi; \
	n=$$(nm -D --defined-only $(RELEASE)/libsmtpreply.so | grep -c ' T smtpreply_'); \
	soname=$$(objdump -p $(RELEASE)/libsmtpreply.so | awk '/SONAME/ {print $$2}'); \
	test "$$soname" = "libsmtpreply.so.$(MAJOR)" || { echo "soname is '$$soname', expected libsmtpreply.so.$(MAJOR)"; exit 1; }; \
	echo "check-symbols: $$n functions, all prefixed smtpreply_; soname $$soname"

# Install into a scratch prefix, then build and run a program against it through pkg-config.
test-install: build
	./tests/install-check.sh

install: build
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCLUDEDIR)
	install -m 0644 include/smtpreply.h $(DESTDIR)$(INCLUDEDIR)/smtpreply.h
	install -m 0755 $(RELEASE)/libsmtpreply.so $(DESTDIR)$(LIBDIR)/libsmtpreply.so.$(VERSION)
	ln -sf libsmtpreply.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libsmtpreply.so.$(MAJOR)
	ln -sf libsmtpreply.so.$(MAJOR) $(DESTDIR)$(LIBDIR)/libsmtpreply.so
	install -m 0644 $(RELEASE)/libsmtpreply.a $(DESTDIR)$(LIBDIR)/libsmtpreply.a
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' \
	    -e 's|@VERSION@|$(VERSION)|g' smtpreply.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/smtpreply.pc

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/smtpreply.h $(DESTDIR)$(LIBDIR)/libsmtpreply.so* \
	      $(DESTDIR)$(LIBDIR)/libsmtpreply.a $(DESTDIR)$(LIBDIR)/pkgconfig/smtpreply.pc

bench:
	$(CARGO) bench
	$(PYTHON) python/bench_parse.py
	$(PYTHON) python/bench_classify.py

clean:
	$(CARGO) clean
	$(MAKE) -C c-examples clean
