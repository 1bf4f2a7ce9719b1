"""No typed numbers in narrative: what the check lets through by rule, what it
refuses and how it names the place; the build stops on one."""
import shutil
from pathlib import Path

import nbformat
import pytest

from anm_helpers.figures.context import build_context
from anm_helpers.core.errors import CifrasEscritas, InformeError, NarrativaInvalida
from anm_helpers.figures.typed_numbers import Checker, check_typed_numbers, typed_numbers

from conftest import run_build


def found(text):
    return [text[a:b].strip() for a, b in typed_numbers(text)]


@pytest.mark.parametrize("text", [
    "el próximo 17 de abril",
    "Los días 01 y 04 de marzo, y durante los días 12 y\n13 de marzo",
    "del 1 al 15 de marzo",
    "corte al 2024-03-31 y al 31/03/2024",
    "durante la vigencia del año 2024",
    "referentes al mes anterior ({periodo.mes_anterior} de 2024)",
    "Marzo 2024",
    "Bogotá: (571) 220 19 99 y línea gratuita nacional: 01 8000 933 833",
    "las 24 horas del día, los 7 días de la semana",
    "a las 8:00 a. m.",
    "1. Primero\n2. Segundo",
    "el 3.º informe y el 2do encuentro",
    "según la Ley 1755 de 2015 y la norma ISO 9001",
    "el radicado AT-202403-000001",
    "personas que califican entre 4 y 5",
    "escriba a contacto2024@anm.gov.co",
    "Total **{interacciones.total}** interacciones, {cambio.interacciones.total}",
])
def test_allowed_by_rule(text):
    assert found(text) == []


@pytest.mark.parametrize("text,numbers", [
    ("Se atendieron 1.000 personas", ["1.000"]),
    ("un 92,9% de solución", ["92,9%"]),
    ("72 interacciones recibidas", ["72"]),
    ("5,709 interacciones", ["5,709"]),
    ("2024 interacciones", ["2024"]),
    ("aforo de 8 participantes el 19 de marzo", ["8"]),
    ("un incremento de 2,01 puntos", ["2,01"]),
    ("la meta de 85 %", ["85 %"]),
])
def test_typed_numbers_are_found(text, numbers):
    assert found(text) == numbers


@pytest.fixture(scope="module")
def ctx_2024_03():
    return build_context("2024-03")


def test_shipped_notebooks_and_params_pass(ctx_2024_03):
    check_typed_numbers(ctx_2024_03)
    check_typed_numbers(build_context("2026-02"))


def test_stale_figure_in_params_is_named_with_its_place(ctx_2024_03, tmp_path, monkeypatch):
    from anm_helpers.core import config

    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / "2024-03.yaml"
    text = path.read_text(encoding="utf-8")
    # February's presencial figure left in March's text, next to a date
    text = text.replace("{analistas.orientaciones_funcionarios} interacciones recibidas",
                        "1.142 interacciones recibidas el 5 de marzo")
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    with pytest.raises(CifrasEscritas) as exc:
        check_typed_numbers(ctx_2024_03)
    assert isinstance(exc.value, InformeError)
    [cifra] = exc.value.cifras
    line = next(n for n, l in enumerate(text.splitlines(), start=1) if "1.142 interacciones" in l)
    assert cifra.lugar == (f"params/2024-03.yaml, línea {line} "
                           "(entregas_valor › «Otras entregas de valor» › punto 1)")
    assert cifra.numero == "1.142"
    assert "cifras_analistas" in cifra.sugerencia  # not one of March's figures


def test_typed_figure_of_the_month_gets_its_name(ctx_2024_03):
    checker = Checker("2024-03", ctx_2024_03["cifras"])
    checker.text("aquí", "Se atendieron 1.000 personas con 92,9% de solución; 72 orientaciones")
    hints = {c.numero: c.sugerencia for c in checker.found}
    assert "{presencial.atendidas}" in hints["1.000"]
    assert "{presencial.primer_contacto}" in hints["92,9%"]
    assert "{analistas.orientaciones_funcionarios}" in hints["72"]
    checker.text("aquí", "2024 interacciones")
    assert "{periodo.anio}" not in checker.found[-1].sugerencia  # a count that looks like a year


def test_notebook_place_names_cell_and_line_of_its_py(ctx_2024_03, tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("<!-- nota: 99 -->", metadata={"slideshow": {"slide_type": "skip"}}),
        nbformat.v4.new_code_cell('mes: str = "2024-03"  # YYYY-MM', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("## Canales\n\nEn marzo hubo 4.924 interacciones."),
        nbformat.v4.new_code_cell('s.texto("Total de 16.468 en el año",\n        clase="x")'),
    ])
    path = tmp_path / "99_prueba.ipynb"
    nbformat.write(nb, path)
    import jupytext

    jupytext.write(nb, tmp_path / "99_prueba.py", fmt="py:percent")
    py = (tmp_path / "99_prueba.py").read_text().splitlines()
    checker = Checker("2024-03", ctx_2024_03["cifras"])
    checker.notebook(path)
    places = {c.numero: c.lugar for c in checker.found}
    assert set(places) == {"4.924", "16.468"}  # skipped notes and the parameters cell are not narrative
    md_line = next(n for n, l in enumerate(py, start=1) if "4.924" in l)
    code_line = next(n for n, l in enumerate(py, start=1) if "16.468" in l)
    assert places["4.924"] == f"notebooks/99_prueba.ipynb, celda 3 (notebooks/99_prueba.py, línea {md_line})"
    assert places["16.468"] == f"notebooks/99_prueba.ipynb, celda 4 (notebooks/99_prueba.py, línea {code_line})"


def test_build_refuses_a_typed_number_naming_its_place(tmp_path):
    from anm_helpers.core import config

    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / "2024-03.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{encuestas.preguntas.satisfaccion.presencial.tasa_respuesta}, con", "88,87%, con"),
        encoding="utf-8")
    result = run_build("2024-03", tmp_path / "reports", params=params)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("ERROR: La narrativa tiene 1 cifra(s) escrita(s) a mano")
    assert 'params/2024-03.yaml, línea' in result.stderr and '"88,87%"' in result.stderr
    assert "Entregas de valor canal presencial" in result.stderr and "punto 14" in result.stderr
    assert not (tmp_path / "reports" / "2024-03").exists()


# --- a corpus of real narrative: no false positive, every hand-typed figure ---------

CORPUS = Path(__file__).with_name("corpus_narrativa.txt")


def _corpus() -> list[tuple[str, list[str]]]:
    import re

    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        out.append((line.replace("⟦", "").replace("⟧", ""), re.findall(r"⟦([^⟧]+)⟧", line)))
    return out


def test_the_corpus_is_large_and_has_both_kinds():
    corpus = _corpus()
    assert len(corpus) >= 200
    assert sum(1 for _, marks in corpus if marks) >= 60 and sum(1 for _, marks in corpus if not marks) >= 80


@pytest.mark.parametrize("text,expected", _corpus(), ids=lambda x: x[:40] if isinstance(x, str) else "")
def test_corpus_sentence(text, expected):
    assert [text[a:b] for a, b in typed_numbers(text)] == expected


def test_a_place_in_a_folded_paragraph_is_the_line_that_holds_it(ctx_2024_03, tmp_path, monkeypatch):
    """A ``>-`` paragraph is one text to YAML: the place is the line of the file where the
    number or the name is, not the paragraph's first line."""
    from anm_helpers.core import config

    params = tmp_path / "params"
    shutil.copytree(config.PARAMS_DIR, params)
    path = params / "2024-03.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    en la que vamos teniendo más personas",
        "    en la que vamos teniendo 1.234 personas más, y {periodo.mesx}\n    con más personas", 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    with pytest.raises(NarrativaInvalida) as exc:
        check_typed_numbers(ctx_2024_03)
    line = next(n for n, l in enumerate(text.splitlines(), start=1) if "1.234 personas" in l)
    assert text.splitlines()[line - 2].strip().startswith("La medición")  # not the paragraph's first line
    assert exc.value.cifras[0].lugar.startswith(f"params/2024-03.yaml, línea {line} (comentarios › satisfaccion)")
    assert exc.value.nombres[0].lugar.startswith(f"params/2024-03.yaml, línea {line} (comentarios")


def test_a_figure_matched_by_value_only_is_asked_not_asserted(ctx_2024_03):
    """80 % may be the survey threshold or a call-answering goal: the hint asks."""
    checker = Checker("2024-03", ctx_2024_03["cifras"])
    checker.text("aquí", "La meta de llamadas contestadas es del 80%")
    [cifra] = checker.found
    assert cifra.sugerencia.startswith("¿es la cifra {analistas.umbral_confianza}") and "Si es esa" in cifra.sugerencia
    assert "si es otra" in cifra.sugerencia and "cifras_analistas" in cifra.sugerencia
