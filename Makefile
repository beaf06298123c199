# The two commands of the quick start, and the checks CI runs.
PYTHON ?= python3
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo install test test-deps chromium services lint messages bench bench-smoke fuzz

install:
	$(PYTHON) -m pip install --quiet -e .

demo: install
	$(PYTHON) run.py --demo

# Debian's Chromium for the browser tests (no browser download is possible or needed), and
# Debian's Japanese fonts whether or not Chromium was already there: without them every
# screenshot shows empty boxes and the layout tests measure the wrong glyphs
# (tests/browser/test_room_fit.py fails when Chromium has no Japanese font).
chromium:
	@missing=""; \
	[ -x "$(CHROMIUM)" ] || missing="chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian's$$missing for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# PostgreSQL (running, trusting local tests) and nginx, for the PostgreSQL and several-process
# tests; installed from Debian and started when missing.
services:
	bash .ci/services.sh

test-deps: chromium services
	$(PYTHON) -m pip install --quiet -e '.[test]'

lint:
	$(PYTHON) -m ruff check board tests bench run.py
	$(PYTHON) -m ruff format --check board tests bench run.py
	$(PYTHON) -m mypy
	$(PYTHON) -m board.catalog check

# The whole suite: lint, types, catalogs, then every test including the slow browser and
# load tests that a plain `pytest` run skips, on SQLite (with the several-process tests,
# which always use PostgreSQL) and again with PostgreSQL as the store.
test: test-deps lint
	$(PYTHON) -m pytest -m "" -q
	BOARD_TEST_STORE=postgres $(PYTHON) -m pytest -m "" -q --ignore=tests/scale

# The property-based fuzz of every action and page (tests/security/test_fuzz.py) with many
# more examples than the bounded run in `make test`.
fuzz: test-deps
	HYPOTHESIS_PROFILE=fuzz $(PYTHON) -m pytest -q tests/security/test_fuzz.py

messages:
	$(PYTHON) -m board.catalog update

# The live-push benchmark (about 10 minutes on 2 cores; README, "Benchmarks"), and its
# few-seconds smoke run.
bench:
	$(PYTHON) -m bench

bench-smoke:
	$(PYTHON) -m bench --smoke
	$(PYTHON) -m bench.search --quick
