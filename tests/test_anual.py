"""The year in one deck (``make year``): the year's figures from the months' published
metrics.json and their checks (``figures.year``), and the year's deck, PDF and
PowerPoint (``builder.year``) built by the command from the shipped 2024 months."""
from __future__ import annotations

import copy
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from anm_helpers.core.errors import AnioInconsistente
from anm_helpers.figures import year
from conftest import built_month, run_build, slides_markup

CANALES = ("presencial", "telefonico", "virtual")
MESES_SIN_DATOS = ["abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]


# --- the year's figures, from dicts -------------------------------------------------------
def _earlier(march: dict, mes: str) -> dict:
    """An earlier month's metrics.json as its own build would have written it, from a real
    March: its interactions are what March's year to date says of it, its year to date
    the months up to it. The rest of March's figures stand in for its own."""
    m = copy.deepcopy(march)
    m["mes"] = mes
    own = march["acumulado"]["meses"][mes]
    m["interacciones"] = {**own, "total": sum(own.values())}
    meses = copy.deepcopy({k: v for k, v in march["acumulado"]["meses"].items() if k <= mes})
    total = {c: sum(v[c] for v in meses.values()) for c in CANALES}
    m["acumulado"] = {"meses": meses, "total": {**total, "total": sum(total.values())}}
    return m


@pytest.fixture(scope="module")
def months(built_2024_03) -> dict:
    """January to March 2024 as dicts: the real published March, and January and
    February derived from it (``_earlier``)."""
    march = json.loads((built_2024_03[0] / "metrics.json").read_text(encoding="utf-8"))
    return {"2024-01": _earlier(march, "2024-01"), "2024-02": _earlier(march, "2024-02"), "2024-03": march}


def test_year_figures_are_the_sum_of_the_months(months):
    y = year.year_metrics("2024", copy.deepcopy(months))
    for canal in CANALES:
        assert y["total"][canal] == sum(m["interacciones"][canal] for m in months.values())
        assert y["total"][canal] == months["2024-03"]["acumulado"]["total"][canal]
    assert y["total"]["total"] == sum(m["interacciones"]["total"] for m in months.values())
    assert y["meses_con_datos"] == ["2024-01", "2024-02", "2024-03"]
    assert y["meses_sin_datos"] == [f"2024-{n:02d}" for n in range(4, 13)]
    assert all(y["meses"][m] is None for m in y["meses_sin_datos"])
    assert y["trimestres"]["T1"]["total"] == y["total"]["total"] and y["trimestres"]["T1"]["meses_sin_datos"] == []
    assert y["trimestres"]["T2"]["presencial"] is None
    assert y["trimestres"]["T2"]["meses_sin_datos"] == ["2024-04", "2024-05", "2024-06"]
    march = y["meses"]["2024-03"]
    assert march["primer_contacto"]["telefonico"] == months["2024-03"]["telefonico"]["primer_contacto"]
    assert march["llamadas"]["contestadas"] == months["2024-03"]["telefonico"]["contestadas"]
    assert march["satisfaccion"] == {"metodo": "promedio", "consolidado":
                                     months["2024-03"]["encuestas"]["preguntas"]["satisfaccion"]["consolidado"]}
    # the offices' ranking: presencial interactions summed over the months, largest first
    sums: dict = {}
    for m in months.values():
        for punto, n in m["presencial"]["por_punto"].items():
            sums[punto] = sums.get(punto, 0) + n
    ranking = y["ranking_puntos"]
    assert {r["punto"]: r["interacciones"] for r in ranking} == sums
    assert [r["interacciones"] for r in ranking] == sorted(sums.values(), reverse=True)


def test_a_year_to_date_that_differs_from_an_earlier_month_is_an_error(months):
    altered = copy.deepcopy(months)
    altered["2024-03"]["acumulado"]["meses"]["2024-01"]["virtual"] += 1
    own = months["2024-01"]["interacciones"]["virtual"]
    with pytest.raises(AnioInconsistente) as error:
        year.year_metrics("2024", altered)
    message = str(error.value)
    line = next(d for d in error.value.diferencias if "acumulado.meses.2024-01.virtual" in d)
    assert "marzo" in line and "enero" in line
    assert f"{own + 1:,}".replace(",", ".") in line and f"{own:,}".replace(",", ".") in line
    assert "make report" in message and "Traceback" not in message


def test_a_last_month_total_that_differs_from_the_sum_of_the_months_is_an_error(months):
    altered = copy.deepcopy(months)
    altered["2024-03"]["acumulado"]["total"]["presencial"] += 7
    with pytest.raises(AnioInconsistente) as error:
        year.year_metrics("2024", altered)
    summed = sum(m["interacciones"]["presencial"] for m in months.values())
    lines = [d for d in error.value.diferencias if "acumulado.total.presencial" in d]
    assert lines, error.value.diferencias
    shown = [f"{summed:,}".replace(",", "."), f"{summed + 7:,}".replace(",", ".")]
    assert all(v in " ".join(lines) for v in shown)
    assert any("marzo" in d for d in lines)


def test_a_month_whose_own_figure_changed_since_is_an_error(months):
    altered = copy.deepcopy(months)
    altered["2024-02"]["interacciones"]["telefonico"] += 5
    with pytest.raises(AnioInconsistente, match=r"febrero.*interacciones\.telefonico"):
        year.year_metrics("2024", altered)


def test_satisfaction_is_split_by_method_on_the_slide(months, monkeypatch):
    """Two survey methods in a year: one series per method, each holding only its months."""
    from anm_helpers.slides import anual, seccion

    altered = copy.deepcopy(months)
    altered["2024-02"]["encuestas"]["metodo"] = "top2"
    ctx = year.year_context("2024", altered)
    assert ctx["metricas"]["metodos_encuesta"] == {"promedio": ["2024-01", "2024-03"], "top2": ["2024-02"]}
    shown = []
    monkeypatch.setattr(seccion, "_display", lambda markup, nueva=False: shown.extend(markup.elementos))
    anual.Anio(ctx).satisfaccion()
    chart = next(e for e in shown if e["tipo"] == "grafico")
    series = {s["nombre"]: s["valores"] for s in chart["series"]}
    assert set(series) == {"Método promedio", "Método top2"}
    assert [v is not None for v in series["Método top2"]] == [False, True] + [False] * 10
    assert [v is not None for v in series["Método promedio"]] == [True, False, True] + [False] * 9
    note = next(e for e in shown if e["tipo"] == "texto")["markdown"]
    assert "no son comparables" in note and "febrero" in note


# --- the command, on the shipped 2024 months ---------------------------------------------
@pytest.fixture(scope="module")
def year_2024(tmp_path_factory) -> tuple[Path, object]:
    """``make year YEAR=2024`` once (shared with every test that asks for it): the year's
    folder and the command's result."""
    folder, result = built_month("2024-03", tmp_path_factory, anio=True)
    return folder.parent / "2024", result


def _deck_slides(folder: Path) -> list[str]:
    markup = slides_markup((folder / "informe-2024.html").read_text(encoding="utf-8"))
    return re.split(r"</section></section><section><section>", markup)


def test_make_year_writes_the_year_deck_in_every_format(year_2024):
    folder, result = year_2024
    for name in ("informe-2024.html", "informe-2024.pdf", "informe-2024.pptx", "metrics.json"):
        assert (folder / name).is_file(), name
    assert re.search(r"Listo: .*2024/ \(informe-2024\.html, informe-2024\.pdf, informe-2024\.pptx y metrics\.json\)",
                     result.stdout)
    assert "Informe anual 2024" in result.stdout


def test_the_year_figures_equal_the_sum_of_the_published_months(year_2024):
    folder, _ = year_2024
    y = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    months = {m: json.loads((folder.parent / m / "metrics.json").read_text(encoding="utf-8"))
              for m in ("2024-01", "2024-02", "2024-03")}
    for canal in (*CANALES, "total"):
        assert y["total"][canal] == sum(m["interacciones"][canal] for m in months.values()), canal
    for mes, m in months.items():
        assert y["meses"][mes]["interacciones"] == m["interacciones"]
    assert y["meses_sin_datos"] == [f"2024-{n:02d}" for n in range(4, 13)]


def test_the_deck_names_the_months_without_data(year_2024):
    folder, _ = year_2024
    slides = _deck_slides(folder)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", s)) for s in slides)
    text = " ".join(text.split())
    listed = re.search(r"Sin datos: ([^()]*) \(sin informe publicado", text)
    assert listed, text[:500]
    assert re.split(r", | y ", listed.group(1)) == MESES_SIN_DATOS
    # the chart of the months says it too (its text alternative), never 0
    alt = re.search(r'aria-label="(Gráfico de columnas agrupadas, interacciones por mes y canal[^"]*)"', "".join(slides))
    assert alt and "Abril: Presencial sin datos" in html.unescape(alt.group(1))
    page = (folder / "informe-2024.html").read_text(encoding="utf-8")
    assert "<title>Informe anual de Servicio y Atención al Usuario · 2024</title>" in page


def test_pdf_pages_and_pptx_slides_are_the_deck_slides(year_2024):
    import pikepdf
    from pptx import Presentation

    folder, _ = year_2024
    slides = len(_deck_slides(folder))
    assert slides >= 8
    with pikepdf.open(folder / "informe-2024.pdf") as pdf:
        assert len(pdf.pages) == slides
        assert str(pdf.docinfo["/Title"]) == "Informe anual de Servicio y Atención al Usuario · 2024"
    prs = Presentation(str(folder / "informe-2024.pptx"))
    assert len(prs.slides) == slides
    assert prs.core_properties.title == "Informe anual de Servicio y Atención al Usuario · 2024"


def test_published_months_that_disagree_stop_the_year_and_keep_the_last_one(year_2024, tmp_path, monkeypatch):
    """A month's published metrics.json that disagrees with a later month's (altered here,
    its build stamp made to match so that make year does not rebuild and heal it): the
    year is refused with the months, the figure and both values, in Spanish, and the
    published year stays as it was."""
    from anm_helpers.builder.freshness import HUELLA, build_fingerprint
    from anm_helpers.core import config

    folder, _ = year_2024
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    path = reports / "2024-02" / "metrics.json"
    february = json.loads(path.read_text(encoding="utf-8"))
    february["interacciones"]["virtual"] += 10
    path.write_text(json.dumps(february, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    for mes in ("2024-02", "2024-03"):  # the later months' fingerprints hold February's published figures
        (reports / mes / HUELLA).write_text(build_fingerprint(mes) + "\n")
    before = (reports / "2024" / "informe-2024.html").read_bytes()
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert "febrero" in result.stderr and "marzo" in result.stderr
    assert "acumulado.meses.2024-02.virtual" in result.stderr
    assert "4.348" in result.stderr and "4.358" in result.stderr
    assert (reports / "2024" / "informe-2024.html").read_bytes() == before
    assert not list(reports.glob(".construyendo-*"))


@pytest.mark.larga
def test_two_year_builds_give_the_same_bytes(year_2024, tmp_path):
    """make year again: nothing changed, the year says so; its stamp removed, the year is
    built again, byte for byte the same files."""
    folder, _ = year_2024
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "Informe anual 2024: sin cambios desde la última construcción" in result.stdout
    (reports / "2024" / ".huella").unlink()
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "PDF escrito: informe-2024.pdf" in result.stdout
    for name in ("informe-2024.html", "informe-2024.pdf", "informe-2024.pptx", "metrics.json"):
        assert (reports / "2024" / name).read_bytes() == (folder / name).read_bytes(), name


def test_a_month_published_as_a_draft_makes_the_year_a_draft(year_2024, tmp_path, monkeypatch):
    """A month whose published report is marked BORRADOR (its diapositivas.json) makes the
    year deck a draft: the command says which month, the cover and every footer carry the
    mark, and the year's metrics.json names the month."""
    from anm_helpers.builder.freshness import HUELLA, build_fingerprint
    from anm_helpers.core import config

    folder, _ = year_2024
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    path = reports / "2024-02" / "diapositivas.json"
    texts = json.loads(path.read_text(encoding="utf-8"))
    assert texts["borrador"] is False and "BORRADOR" not in (folder / "informe-2024.html").read_text(encoding="utf-8")
    texts["borrador"] = True
    path.write_text(json.dumps(texts, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    for mes in ("2024-01", "2024-02", "2024-03"):  # the months stay published as they are
        (reports / mes / HUELLA).write_text(build_fingerprint(mes) + "\n")
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode == 0, result.stderr + result.stdout
    assert "! el informe de febrero de 2024 está marcado BORRADOR: el informe anual también se marca BORRADOR" in result.stdout, result.stdout
    assert json.loads((reports / "2024" / "metrics.json").read_text(encoding="utf-8"))["meses_borrador"] == ["2024-02"]
    deck = (reports / "2024" / "informe-2024.html").read_text(encoding="utf-8")
    assert json.dumps("BORRADOR · Agencia Nacional de Minería")[1:-1] in deck  # every footer (the deck's script)
    assert "BORRADOR" in _deck_slides(reports / "2024")[0]  # the cover


def test_a_number_typed_into_the_year_narrative_stops_the_year(year_2024, tmp_path, monkeypatch):
    """The year's notebook is checked like a month's narrative: a figure typed by hand stops
    make year with its place and the name to write instead, in the year's words; the
    published year stays as it was."""
    from anm_helpers.builder.freshness import HUELLA, build_fingerprint
    from anm_helpers.core import config, fmt

    folder, _ = year_2024
    reports, notebooks = tmp_path / "reports", tmp_path / "notebooks"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    total = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["total"]["total"]
    py = notebooks / "anual" / "01_anio.py"
    typed = f"Las {fmt.numero(total)} interacciones por mes y canal"
    py.write_text(py.read_text(encoding="utf-8").replace('"Interacciones por mes y canal"', f'"{typed}"'),
                  encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", notebooks)
    for mes in ("2024-01", "2024-02", "2024-03"):  # the months stay published as they are
        (reports / mes / HUELLA).write_text(build_fingerprint(mes) + "\n")
    before = (reports / "2024" / "informe-2024.html").read_bytes()
    result = run_build(None, reports, notebooks=notebooks, args=("--anio", "2024"))
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr + result.stdout
    assert f"«{typed}»" in result.stderr and "{total.total}" in result.stderr, result.stderr
    assert "con los datos del año" in result.stderr and "params/2024.yaml" not in result.stderr
    assert (reports / "2024" / "informe-2024.html").read_bytes() == before


def test_a_copied_reports_folder_stays_up_to_date(year_2024, tmp_path):
    """The published months and year copied elsewhere (a backup restored, a moved folder):
    make year finds every month and the year up to date, builds nothing."""
    folder, _ = year_2024
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode == 0, result.stderr + result.stdout
    for mes in ("2024-01", "2024-02", "2024-03"):
        assert f"Informe {mes}: sin cambios desde la última construcción" in result.stdout, result.stdout
    assert "Informe anual 2024: sin cambios desde la última construcción" in result.stdout
    assert "ejecutad" not in result.stdout


def test_a_months_unreadable_draft_mark_is_said(year_2024, tmp_path, monkeypatch):
    """A month's diapositivas.json that cannot be read: make year says it does not know whether
    the month is a draft, and which month, instead of taking it silently for a finished one."""
    from anm_helpers.builder.freshness import HUELLA, build_fingerprint
    from anm_helpers.core import config

    folder, _ = year_2024
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    (reports / "2024-02" / "diapositivas.json").write_text('{"borrador": tr', encoding="utf-8")
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    for mes in ("2024-01", "2024-02", "2024-03"):  # the months stay published as they are
        (reports / mes / HUELLA).write_text(build_fingerprint(mes) + "\n")
    result = run_build(None, reports, args=("--anio", "2024"))
    assert result.returncode == 0, result.stderr + result.stdout
    assert ("! aviso: no se pudo leer reports/2024-02/diapositivas.json: no se sabe si el mes es BORRADOR"
            in result.stdout), result.stdout
    assert "Traceback" not in result.stdout + result.stderr
