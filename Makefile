# The README's two commands: `make run` and `make test`. Both work on a fresh clone.
VENV   ?= .venv
PY     := $(VENV)/bin/python
INDEX  ?= .verbatim/index
HOST   ?= 127.0.0.1
PORT   ?= 7860

# No request leaves the machine: analytics and hub look-ups off.
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export HF_HUB_DISABLE_TELEMETRY := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install run index test lint browser screenshot clean

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## The `ray` extra, for the Ray build and replica tests (tests/test_ray.py).
$(VENV)/.ray-installed: $(VENV)/.installed
	$(PY) -m pip install -q -c constraints.txt -e ".[dev,ray]"
	touch $@

## Index corpus/ (only what changed since the last run) and tune it (its names embedded for
## aliases, the learned ranking: what docs/quality.md measures; an index tuned already is not
## tuned again), then open the chat UI. The first run embeds the shipped archive (62
## transcripts, ~9,700 passages) with a progress bar and an estimate; later runs find the stamp
## newer than everything in corpus/ (a file added, changed or removed touches its folder) and
## open the UI without loading the indexer.
STAMP := $(INDEX)/.indexed

index: install
	$(VENV)/bin/verbatim index corpus --index $(INDEX)
	$(VENV)/bin/verbatim tune --index $(INDEX)
	touch $(STAMP)

run: install
	@if [ ! -f $(STAMP) ] || [ $(VENV)/.installed -nt $(STAMP) ] \
	    || [ -n "$$(find corpus -newer $(STAMP) -print -quit)" ]; then $(MAKE) --no-print-directory index; fi
	$(VENV)/bin/verbatim serve --index $(INDEX) --host $(HOST) --port $(PORT)

## Debian's chromium for the browser tests; skipped (the tests then skip) where apt is unavailable.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "warning: could not install chromium; browser tests will skip"; \
	  else echo "note: chromium missing and cannot apt-get it; browser tests will skip"; fi; }

test: install $(VENV)/.ray-installed browser
	$(VENV)/bin/ruff check assistant embeddings ui tests benchmarks
	$(PY) -m pytest -q -p no:cacheprovider

## Refresh docs/screenshot.png from a real answered page.
screenshot: install browser
	$(PY) -m ui.screenshot --out docs/screenshot.png

lint: install
	$(VENV)/bin/ruff check assistant embeddings ui tests benchmarks
	$(VENV)/bin/ruff format --check assistant embeddings ui tests benchmarks

clean:
	rm -rf $(VENV) .verbatim
