# Tiedote: `make demo` runs the tool on the sample workspace, `make test` runs every test.
# Both install what they need on a fresh Debian machine (as root, or with sudo available).

SWIFT      ?= swift
VENV       ?= .venv
PY         := $(VENV)/bin/python
APT_PKGS   := libcurl4-openssl-dev libcmark-dev pkg-config ca-certificates openssl tzdata dovecot-imapd chromium chromium-driver
PY_PKGS    := pytest aiosmtpd icalendar vobject jsonschema feedparser selenium
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN        := .build/debug/tiedote
MONTH      ?= 2026-12

.PHONY: demo test deps venv build swift-test integration-test bench bench-deps clean

# System packages, installed only when missing. Chromium and its driver run the browser test
# of the web pages (Tests/integration/test_browser.py), headless.
deps:
	@# dovecot-imapd: the real IMAP server the `tiedote inbox` tests start on 127.0.0.1.
	@if ! pkg-config --exists libcmark libcurl 2>/dev/null || ! command -v openssl >/dev/null || [ ! -f /usr/share/zoneinfo/Europe/Helsinki ] \
		|| ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || [ ! -x /usr/sbin/dovecot ]; then \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(APT_PKGS); \
	fi

# Python test tools, in a venv of their own.
$(VENV)/.installed: Makefile
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PY_PKGS)
	touch $@

venv: $(VENV)/.installed

build: deps
	$(SWIFT) build

demo: build
	@# The unsubscribe links are signed with a secret that never goes into git.
	@[ -f .tiedote-secret ] || { (umask 077 && openssl rand -hex 32 > .tiedote-secret) && echo "created .tiedote-secret"; }
	$(BIN) check
	$(BIN) compose $(MONTH)
	$(BIN) send $(MONTH) --list members
	$(BIN) status $(MONTH) --list members
	$(BIN) export ical --month $(MONTH)
	$(BIN) export menoinfo --month $(MONTH)
	$(BIN) export kalenteri --month $(MONTH)
	$(BIN) export jsonld --month $(MONTH)
	$(BIN) publish kalenteri --month $(MONTH) --dry-run
	@echo
	@echo "Newsletter:   out/$(MONTH)/newsletter.html, .txt, .eml"
	@echo "Sent:         out/outbox/new/ (one message per subscriber; open them in a mail client)"
	@echo "Journal:      Sent/$(MONTH)--members.journal"
	@echo "Exports:      out/exports/$(MONTH)/"

swift-test: deps
	$(SWIFT) test

integration-test: build venv
	$(PY) -m pytest -q Tests/integration

test: swift-test integration-test

# Benchmarks (never part of `make test`): Postfix's smtp-sink/smtp-source as the SMTP anchor,
# GNU time for peak memory, and a Python reference sender in a venv of its own. The Postfix
# package is installed without configuration and its daemon is never started. bench/web.py
# loads `tiedote serve` with wrk beside nginx serving the same site (both on loopback, started
# and stopped by the script; nginx's own service is never used).
BENCH_APT  := postfix time wrk nginx
BENCH_VENV ?= .venv-bench
BENCH_PY_PKGS := jinja2 markdown pyyaml

bench-deps: deps
	@if ! command -v smtp-sink >/dev/null || ! command -v smtp-source >/dev/null || [ ! -x /usr/bin/time ] \
		|| ! command -v wrk >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
		echo "postfix postfix/main_mailer_type select No configuration" | $(SUDO) debconf-set-selections && \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(BENCH_APT); \
	fi

$(BENCH_VENV)/.installed: Makefile
	python3 -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(BENCH_PY_PKGS)
	touch $@

bench: bench-deps $(BENCH_VENV)/.installed
	$(SWIFT) build -c release --product tiedote
	$(SWIFT) build -c release --product tiedote-bench
	$(BENCH_VENV)/bin/python bench/run.py $(BENCH_ARGS)
	$(BENCH_VENV)/bin/python bench/web.py

clean:
	rm -rf .build out
