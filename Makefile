# The interface of the project. `make` (or `make help`) lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ENV_STAMP := $(VENV)/.instalado
REVEAL := node_modules/reveal.js/dist/reveal.js
MONTH ?=
YEAR ?=
# MONTH y YEAR llegan a Python por el entorno, nunca dentro del texto de una receta:
# un valor es un dato, no una orden (make report 'MONTH=2024-03"; touch x; "' no ejecuta
# nada y Python lo rechaza como mes). $(value …) guarda el valor tal como se escribió,
# sin que make expanda un $(…) que venga en él.
override MONTH := $(value MONTH)
override YEAR := $(value YEAR)
export MONTH YEAR
BENCH_ARGS ?=

.PHONY: help env report year bench test sample-data clean new-month lab sync-notebooks hooks

## Show this list of targets
help:
	@echo "Informe de Servicio y Atención al Usuario (ANM) — targets:"
	@awk '/^## /{desc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(desc){split($$0,t,":"); printf "  make %-14s %s\n", t[1], desc}; desc=""}' $(MAKEFILE_LIST)

$(ENV_STAMP): pyproject.toml
	@echo "Preparando el entorno de Python en $(VENV) (solo la primera vez)…"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

$(REVEAL): package.json package-lock.json
	@echo "Instalando reveal.js (npm) para el informe sin conexión…"
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

## Create the environment (Python packages and reveal.js); other targets do it when needed
env: $(ENV_STAMP) $(REVEAL)

## Build a month's deck and metrics: make report MONTH=2024-03
report: env
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make report MONTH=2024-03" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.build -- "$$MONTH"

## Prepare a new month to fill: params/<MES>.yaml and data/<MES>/ (make new-month MONTH=2024-04)
new-month: $(ENV_STAMP)
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make new-month MONTH=2024-04" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.scaffold -- "$$MONTH"

LAB_ARGS ?=
## Open JupyterLab on the section notebooks (each .ipynb saved together with its .py)
lab: $(ENV_STAMP)
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

## After editing a notebook's .py (or .ipynb) outside JupyterLab, bring its pair up to date
sync-notebooks: $(ENV_STAMP)
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]_*.ipynb

## Install the git hooks: notebooks committed without outputs and in sync with their .py
hooks: $(ENV_STAMP)
	$(BIN)/pre-commit install

## Build every month of a year that has data, on all cores: make year YEAR=2024
year: env
	@if [ -z "$${YEAR:-}" ]; then echo "Indique el año: make year YEAR=2024" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.build --anio="$$YEAR"

## Measure build speed as ratios to a floor measured in the same run (benchmarks/bench.py)
bench: env
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

## Run the whole test suite
test: env
	$(BIN)/python -m pytest

## Regenerate the sample data in data/ from anm_helpers/sample_targets.yaml (fixed seed)
sample-data: $(ENV_STAMP)
	$(BIN)/python -m anm_helpers.sample_data

## Remove generated reports (the environment stays)
clean:
	rm -rf reports
