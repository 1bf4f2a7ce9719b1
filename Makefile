# La interfaz del proyecto. `make` (o `make help`) lista los objetivos.
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
override FILE := $(value FILE)
override TABLE := $(value TABLE)
override FILTRO := $(value FILTRO)
export MONTH YEAR FILE TABLE FILTRO
# PORT de make preview, igual que MONTH: por el entorno, tal como se escribió (Python lo valida)
override PORT := $(value PORT)
export PORT
BENCH_ARGS ?=

.PHONY: help env report check cifras map-export year sitio bench test hostil sample-data clean new-month lab sync-notebooks hooks

## Muestra esta lista de objetivos
help:
	@echo "Informe de Servicio y Atención al Usuario (ANM) — objetivos:"
	@awk '/^## /{desc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(desc){split($$0,t,":"); printf "  make %-14s %s\n", t[1], desc}; desc=""}' $(MAKEFILE_LIST)

$(ENV_STAMP): pyproject.toml
	@echo "Preparando el entorno de Python en $(VENV) (solo la primera vez, unos minutos)…"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --quiet --disable-pip-version-check -e '.[dev]'
	@echo "  ✓ paquetes de Python instalados"
	@touch $@

$(REVEAL): package.json package-lock.json
	@echo "Instalando reveal.js (npm) para el informe sin conexión…"
	@npm ci --no-audit --no-fund --silent
	@echo "  ✓ reveal.js instalado"
	@touch $@

## Prepara el entorno (paquetes de Python y reveal.js); los demás objetivos lo hacen cuando falta
env: $(ENV_STAMP) $(REVEAL)

## Construye el informe y las cifras de un mes: make report MONTH=2024-03
report: env
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make report MONTH=2024-03" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.builder.report -- "$$MONTH"

.PHONY: preview
## Vista previa en el navegador que se actualiza al guardar: make preview MONTH=2024-03 [PORT=8765]
preview: env
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make preview MONTH=2024-03" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.preview.app -- "$$MONTH"

## Revisa un mes sin construir nada (datos, fuentes.yaml, catálogo, params, narrativa): make check MONTH=2024-03
check: $(ENV_STAMP)
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make check MONTH=2024-03" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.figures.check -- "$$MONTH"

## Lista las cifras que la narrativa puede nombrar, con su valor: make cifras MONTH=2024-03 [FILTRO=presencial]
cifras: $(ENV_STAMP)
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make cifras MONTH=2024-03" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.figures.check --cifras="$${FILTRO:-}" -- "$$MONTH"

## Propone la entrada de data/fuentes.yaml de una exportación nueva: make map-export FILE=exportación.xlsx TABLE=atenciones
map-export: $(ENV_STAMP)
	@if [ -z "$${FILE:-}" ] || [ -z "$${TABLE:-}" ]; then echo "Indique la exportación y la tabla: make map-export FILE=ruta/exportación.xlsx TABLE=atenciones" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.inputs.map_export -- "$$FILE" "$$TABLE"

## Prepara un mes nuevo para llenar: params/<MES>.yaml y data/<MES>/ (make new-month MONTH=2024-04)
new-month: $(ENV_STAMP)
	@if [ -z "$${MONTH:-}" ]; then echo "Indique el mes: make new-month MONTH=2024-04" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.inputs.scaffold -- "$$MONTH"

LAB_ARGS ?=
## Abre JupyterLab en la carpeta del proyecto, con notebooks/ y params/ a mano (cada .ipynb se guarda junto con su .py)
lab: $(ENV_STAMP)
	$(BIN)/jupyter lab --notebook-dir=. --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

## Pone al día cada cuaderno con su .py (make report y make check ya lo hacen solos)
sync-notebooks: $(ENV_STAMP)
	@$(BIN)/python -m anm_helpers.inputs.sync

## Instala los ganchos de git: cuadernos sin salidas y sincronizados con su .py
hooks: $(ENV_STAMP)
	$(BIN)/pre-commit install

## Construye todos los meses con datos de un año y el informe anual (reports/AAAA/): make year YEAR=2024
year: env
	@if [ -z "$${YEAR:-}" ]; then echo "Indique el año: make year YEAR=2024" >&2; exit 2; fi
	@$(BIN)/python -m anm_helpers.builder.report --anio="$$YEAR"

## Escribe el sitio de publicación reports/sitio/: todos los meses y años, con sus archivos y cifras
sitio: env
	@$(BIN)/python -m anm_helpers.builder.site

## Mide la velocidad de construcción frente a un piso medido en la misma corrida (benchmarks/bench.py)
bench: env
	$(BIN)/python -m benchmarks.bench $(BENCH_ARGS)

## Ejecuta todas las pruebas (en todos los núcleos)
test: env
	$(BIN)/python -m pytest -n auto

## Batería de entradas hostiles, la matriz completa de fallas × órdenes y las pruebas con construcción propia
hostil: env
	ANM_MATRIZ=completa $(BIN)/python -m pytest -q -p no:cacheprovider tests/bateria_hostil.py tests/test_matriz.py
	ANM_PRUEBAS_LARGAS=si $(BIN)/python -m pytest -q -p no:cacheprovider -m larga tests/

## Regenera los datos de ejemplo de data/ desde anm_helpers/sample_targets.yaml (semilla fija)
sample-data: $(ENV_STAMP)
	$(BIN)/python -m anm_helpers.inputs.sample_data

## Borra los informes generados (el entorno se conserva)
clean:
	rm -rf reports
