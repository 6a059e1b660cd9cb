# kvale: `make demo` runs the main job, `make test` the tests. Both set up
# everything they need (venv, Python packages, Debian packages when root).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.kvale-installed
APT_PACKAGES := libportaudio2 libasound2-data libasound2-plugins espeak-ng sox pulseaudio tmux strace e2fsprogs

.PHONY: setup demo test check bench fmt clean i18n

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; fi; \
	fi
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, from the CPU build: otherwise pip takes a CUDA build of several GB.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[openai,models,dev]'
	# openai-whisper without its deps: they are listed in the 'openai' extra,
	# less triton (~1 GB, used only on GPUs).
	$(PY) -m pip install -q --no-deps openai-whisper==20250625
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/kvale demo

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

check: $(STAMP)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q -p no:cacheprovider

fmt: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# extract the marked strings, merge them into each .po, compile the .mo files (commit all)
i18n: $(STAMP)
	$(PY) -m kvale_i18n.catalog

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) build *.egg-info
