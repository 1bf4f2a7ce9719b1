"""Words that read right (issue 15): labels say what the figure is under the
month's survey method, the ANM index is not labelled as a question's
consolidated value, and `make year` says each month's method."""
from __future__ import annotations

import re

from anm_helpers.builder.year import survey_methods
from anm_helpers.figures.context import MEDIDA, build_context
from conftest import slides_markup


def test_survey_figures_say_what_they_measure():
    assert build_context("2024-03")["cifras"]["encuestas.medida"] == MEDIDA["promedio"]
    assert build_context("2026-02")["cifras"]["encuestas.medida"] == MEDIDA["top2"]
    assert "promedio" in MEDIDA["promedio"] and "4 o 5" in MEDIDA["top2"]


def test_a_mean_is_never_read_as_a_share_of_users(built_2024_03):
    deck = slides_markup((built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8"))
    text = re.sub(r"<[^>]+>", " ", deck)
    assert "escogen" not in text and "de los usuarios que calificaron" not in text
    assert "La satisfacción consolidada de marzo es del 98,92% (promedio de las calificaciones de 1 a 5" in \
        re.sub(r"\s+", " ", text)


def test_the_anm_index_and_a_consolidated_question_have_different_labels(built_2024_03):
    deck = slides_markup((built_2024_03[0] / "informe-2024-03.html").read_text(encoding="utf-8"))
    headings = [re.sub(r"<[^>]+>|\s+", " ", h).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", deck, re.S)]
    assert any(h.startswith("Índice de satisfacción ANM") for h in headings)
    assert not any(h.startswith("Satisfacción consolidada") for h in headings)


def test_make_year_says_each_months_method_and_warns_on_a_mix(tmp_path, monkeypatch):
    from anm_helpers.core import config

    assert survey_methods(["2024-01", "2024-02", "2024-03"]) == [
        "  método de las encuestas: enero promedio; febrero promedio; marzo promedio"]
    params = tmp_path / "params"
    params.mkdir()
    (params / "2024-01.yaml").write_text('mes: "2024-01"\nmetodo_encuestas: top2\n', encoding="utf-8")
    (params / "2024-02.yaml").write_text('mes: "2024-02"\nmetodo_encuestas: promedio\n', encoding="utf-8")
    monkeypatch.setattr(config, "PARAMS_DIR", params)
    lines = survey_methods(["2024-01", "2024-02", "2024-03"])
    assert lines[0] == "  método de las encuestas: enero top2; febrero promedio; marzo top2 (por defecto: sin params)"
    assert lines[1].startswith("  ! aviso: los meses del año mezclan métodos de encuesta (top2: enero, marzo; "
                               "promedio: febrero)")


def test_a_section_run_on_its_own_looks_like_the_deck(monkeypatch):
    """In JupyterLab (no build context) the helpers' outputs carry the deck's
    styles: its style sheet once (without rules for the whole page) and each
    output inside the deck's wrapper. In a build they are the deck's markup alone."""
    import IPython.display

    from anm_helpers.slides import seccion

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append(a[0]))
    monkeypatch.setattr(seccion, "_interactivo", False)  # restored after the test: abrir() sets it
    s = seccion.abrir("2024-03")
    s.tarjetas(("presencial.atendidas", "Interacciones atendidas", "presencial"))
    style, card = shown
    assert style.data.startswith("<style>") and ".anm-tarjeta" in style.data and "@font-face" in style.data
    assert "html, body" not in style.data  # JupyterLab's own page is left alone
    assert card["text/html"].startswith('<div class="reveal anm-interactivo"><div class="anm-tarjetas">')
    assert "1.000" in card["text/html"]
    monkeypatch.setattr(seccion, "_interactivo", False)  # what a build's abrir(mes, contexto) sets
    s.tarjetas(("presencial.atendidas", "Interacciones atendidas", "presencial"))
    assert shown[-1]["text/html"].startswith('<div class="anm-tarjetas">')


def test_a_title_with_figures_shows_filled_in_when_run_on_its_own(monkeypatch):
    """A title that names figures is a helper call (``s.titulo``): JupyterLab shows
    it filled in and styled, as the deck does; it starts a new slide."""
    import IPython.display

    from anm_helpers.slides import model as modelo, seccion

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: shown.append((a[0], k)))
    monkeypatch.setattr(seccion, "_interactivo", False)  # restored after the test: abrir() sets it
    s = seccion.abrir("2024-03")
    s.titulo("Canales {periodo.mes_titulo}")
    bundle, kwargs = shown[-1]
    assert bundle["text/html"] == '<div class="reveal anm-interactivo"><h2>Canales Marzo</h2></div>'
    assert bundle[modelo.MIME]["elementos"] == [modelo.titulo("Canales Marzo")]
    assert kwargs["metadata"] == seccion.NUEVA_DIAPOSITIVA


def test_no_shipped_slide_text_waits_for_the_build_to_be_filled_in():
    """JupyterLab renders a markdown cell itself, without the kernel: a ``{nombre}``
    there would show raw. Every shipped text that names a figure is a helper call,
    but «Lo principal del mes», whose slide the build fills so that editing the
    points' settings re-runs no section: its notebook shows the points run on its own."""
    import nbformat

    from anm_helpers.core.config import section_notebooks

    raw = [(path.name, i) for path in section_notebooks()
           for i, cell in enumerate(nbformat.read(path, as_version=4).cells, start=1)
           if cell.cell_type == "markdown" and cell.metadata.get("slideshow", {}).get("slide_type") != "skip"
           and "{" in cell.source and "{principales." not in cell.source]
    assert raw == []
