# renewcast — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared
DB     ?= $(CURDIR)/.renewcast/renewcast.db

.PHONY: setup run test lint typecheck unit bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# Imports the embedded data (../shared/data), stores the weekly forecasts and answers the seed's
# question. The forecasts are computed once, after the news (each import would otherwise recompute
# the weeks it changes).
run: $(STAMP)
	mkdir -p $(dir $(DB))
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast sync --from $(SHARED)/data --no-forecasts
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast news add $(SHARED)/data/news/articles.jsonl
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast news add $(SHARED)/seed/partner-track-season-2.txt --published 2022-09-01
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast forecast --refresh
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast ask "Partner Track" --as-of 2022-09-01
	RENEWCAST_DB=sqlite:///$(DB) $(BIN)/renewcast ask "Partner Track"

lint: $(STAMP)
	$(BIN)/ruff check renewcast tests bench
	$(BIN)/ruff format --check renewcast tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# two workers, each test file on one of them (its module fixtures built once), files in the
# order tests/conftest.py gives (slow ones first); the stores the session fixtures build are
# shared between the workers (tests/conftest.py, built_once)
unit: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadfile --no-loadscope-reorder

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .renewcast .pytest_cache .mypy_cache .ruff_cache
