"""The editable PowerPoint (``informe-<MES>.pptx``), read back with python-pptx:
one slide per deck slide with the deck's titles and text, every chart native
and carrying the figures of metrics.json, alternative text on every chart,
picture and table, a title in every slide's title placeholder, shapes in reading
order; LibreOffice Impress converts it; another template can replace ours."""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from anm_helpers.slides import model as modelo, seccion
from anm_helpers.outputs import pptx as powerpoint
from anm_helpers.core.errors import ConstruccionFallida
from conftest import get, slides_markup

SOFFICE = shutil.which("soffice")
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="sin LibreOffice (apt-get install libreoffice-impress)")
EMU_IN = 914400


@pytest.fixture(params=["2024-03", "2026-02"])
def month(request):
    """(mes, the built month's folder, the build's result)."""
    fixture = {"2024-03": "built_2024_03", "2026-02": "built_2026_02"}[request.param]
    folder, result = request.getfixturevalue(fixture)
    return request.param, folder, result


# --- reading the deck and the presentation ---------------------------------------------------
def deck_slides(folder: Path, mes: str) -> list[str]:
    """The markup of each slide of the deck."""
    markup = slides_markup((folder / f"informe-{mes}.html").read_text(encoding="utf-8"))
    return re.split(r"</section></section><section><section>", markup)


def text_of(markup: str) -> str:
    markup = re.sub(r"<svg\b.*?</svg>|<figcaption\b.*?</figcaption>|<a class=\"anchor-link\".*?</a>", "", markup,
                    flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def deck_title(markup: str) -> str:
    match = re.search(r"<h([12])\b[^>]*>(.*?)</h\1>", markup, re.S)
    return text_of(match.group(2)) if match else ""


def shapes_of(container):
    """Every shape, groups opened, in document (reading) order."""
    for shape in container:
        yield shape
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from shapes_of(shape.shapes)


def slide_text(slide) -> str:
    """Its shapes' and tables' text, and its speaker notes (the deck carries them too)."""
    parts = [slide.notes_slide.notes_text_frame.text] if slide.has_notes_slide else []
    for shape in shapes_of(slide.shapes):
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def descr(shape) -> str:
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr", "")


def is_decorative(shape) -> bool:
    return bool(shape._element.xpath(".//*[local-name()='decorative'][@val='1']"))


def title_of(slide) -> str:
    for ph in slide.placeholders:
        if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            return ph.text_frame.text
    return ""


def presentation(folder: Path, mes: str):
    return Presentation(str(folder / f"informe-{mes}.pptx"))


# --- the tests ---------------------------------------------------------------------------------
def test_the_build_writes_it_and_says_so(month):
    mes, folder, result = month
    slides = len(deck_slides(folder, mes))
    assert re.search(rf"✓ PowerPoint escrito: informe-{mes}\.pptx \({slides} diapositivas\) .* \d+,\d s", result.stdout)
    assert (folder / f"informe-{mes}.pptx").stat().st_size > 20_000


def test_one_slide_per_deck_slide_same_titles_and_text(month):
    """Same order and titles; every word the deck shows on a slide (its figures,
    labels, narrative, table cells, legends) is text on the PowerPoint slide."""
    mes, folder, _ = month
    deck = deck_slides(folder, mes)
    prs = presentation(folder, mes)
    assert len(prs.slides) == len(deck)
    for n, (markup, slide) in enumerate(zip(deck, prs.slides), start=1):
        assert title_of(slide) == deck_title(markup), f"diapositiva {n}"
        words = set(re.findall(r"\w[\w.,%]*\w|\w", text_of(markup)))
        missing = words - set(re.findall(r"\w[\w.,%]*\w|\w", slide_text(slide)))
        assert not missing, f"diapositiva {n} ({title_of(slide)!r}): falta {sorted(missing)[:10]}"


def test_every_slide_has_a_title_in_its_title_placeholder(month):
    mes, folder, _ = month
    for n, slide in enumerate(presentation(folder, mes).slides, start=1):
        assert title_of(slide).strip(), f"diapositiva {n} sin título"


def test_charts_are_native_and_carry_the_months_figures(month):
    """Each chart's embedded series are the figures of metrics.json at the path its name says."""
    mes, folder, _ = month
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    names = {**seccion.NOMBRE_MEDIO, **seccion.NOMBRE_TIPO_PUNTO}
    charts = [s for slide in presentation(folder, mes).slides for s in shapes_of(slide.shapes) if s.has_chart]
    assert len(charts) >= 6
    for frame in charts:
        chart = frame.chart
        path = frame.name.removeprefix("Gráfico ")
        plot = chart.plots[0]
        categories = list(plot.categories)
        if path == "acumulado.meses":
            assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
            months = metrics["acumulado"]["meses"]
            assert len(categories) == len(months)
            for serie, canal in zip(plot.series, seccion.NOMBRE_CANAL):
                assert serie.name == seccion.NOMBRE_CANAL[canal]
                assert list(serie.values) == [m[canal] for m in months.values()], path
        else:
            figures = get(metrics, path)
            expected = {"presencial.por_tipo_punto": XL_CHART_TYPE.DOUGHNUT,
                        "virtual.por_medio_entrada": XL_CHART_TYPE.COLUMN_CLUSTERED}.get(path, XL_CHART_TYPE.BAR_CLUSTERED)
            assert chart.chart_type == expected, path
            assert categories == [names.get(k, k) for k in figures], path
            (serie,) = plot.series
            assert list(serie.values) == list(figures.values()), path
        if chart.chart_type != XL_CHART_TYPE.DOUGHNUT:
            labels = plot.data_labels
            assert labels.number_format == powerpoint.FORMATO_NUMERO == "#,##0" and not labels.number_format_is_linked


def test_alt_text_on_every_chart_picture_table_and_the_decks_sentences(month):
    mes, folder, _ = month
    prs = presentation(folder, mes)
    deck_alts = [html.unescape(a) for a in
                 re.findall(r'<figure aria-label="([^"]*)"', slides_markup(
                     (folder / f"informe-{mes}.html").read_text(encoding="utf-8")))]
    chart_alts, kinds = [], set()
    for n, slide in enumerate(prs.slides, start=1):
        for shape in shapes_of(slide.shapes):
            if shape.shape_type in (MSO_SHAPE_TYPE.PICTURE, MSO_SHAPE_TYPE.TABLE, MSO_SHAPE_TYPE.CHART,
                                    MSO_SHAPE_TYPE.GROUP) or getattr(shape, "has_chart", False):
                assert descr(shape).strip(), f"diapositiva {n}: «{shape.name}» sin texto alternativo"
                kinds.add("chart" if shape.has_chart else str(shape.shape_type))
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart_alts.append(descr(shape))
    assert chart_alts == deck_alts
    assert all(a.startswith("Gráfico de ") for a in chart_alts)
    assert {"chart", str(MSO_SHAPE_TYPE.TABLE), str(MSO_SHAPE_TYPE.GROUP)} <= kinds


def test_cards_and_tables_are_real_text_and_the_annex_is_there(month):
    mes, folder, _ = month
    prs = presentation(folder, mes)
    slides = list(prs.slides)
    canales = next(s for s in slides if title_of(s).startswith("Canales"))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    texts = [s.text_frame.text for s in shapes_of(canales.shapes) if s.has_text_frame]
    from anm_helpers.core.fmt import numero

    for canal in seccion.NOMBRE_CANAL:
        assert any(t.startswith(numero(metrics["interacciones"][canal])) for t in texts), canal
    annex = [s for s in slides if title_of(s).startswith("Anexo: calidad de los datos")]
    assert annex
    tables = [s for s in shapes_of(annex[0].shapes) if s.has_table]
    assert len(tables) == 1
    table = tables[0].table
    assert [c.text for c in table.rows[0].cells] == ["Archivo", "Filas", "SHA-256"]
    assert all(re.fullmatch(r"[0-9a-f]{64}", row.cells[2].text) for row in list(table.rows)[1:])


def test_shapes_inside_the_slide_and_in_reading_order(month):
    """Nothing off the slide; content shapes in the order a reader meets them:
    each one below the one before, or to its right on the same row."""
    mes, folder, _ = month
    prs = presentation(folder, mes)
    width, height = prs.slide_width, prs.slide_height
    tolerance = EMU_IN // 20
    for n, slide in enumerate(prs.slides, start=1):
        content = [s for s in slide.shapes if not is_decorative(s) and not (
            s.is_placeholder and s.placeholder_format.type in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER))]
        for s in shapes_of(slide.shapes):
            assert s.left >= 0 and s.top >= 0, f"diapositiva {n}: «{s.name}» fuera"
            assert s.left + s.width <= width + tolerance and s.top + s.height <= height + tolerance, \
                f"diapositiva {n}: «{s.name}» se sale de la diapositiva"
        for before, after in zip(content, content[1:]):
            below = after.top >= before.top - tolerance
            beside = after.left >= before.left + before.width - tolerance
            assert below or beside, f"diapositiva {n}: «{after.name}» antes que «{before.name}» al leer"


def test_notes_and_a_slide_without_a_heading(tmp_path):
    """A deck's speaker notes (a "notes" cell) are the slide's notes; a slide
    whose cells have no heading still gets a title."""
    def cell(kind, source, slide="-", outputs=()):
        c = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        c.metadata["slideshow"] = {"slide_type": slide}
        if kind == "code":
            c.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "x", modelo.MIME: modelo.bundle(o)})
                         for o in outputs]
        return c

    nb = nbformat.v4.new_notebook(cells=[
        cell("md", "## Canales\n\nTotal **4.924** interacciones", "slide"),
        cell("md", "Recordar que **marzo** tuvo un festivo.", "notes"),
        cell("code", "", "slide", [[modelo.aviso("Este mes no hay nada.")]]),
    ])
    informe = modelo.Informe.de([nb], "2024-03")
    path = tmp_path / "x.pptx"
    assert powerpoint.escribir(informe, path) == 2
    prs = Presentation(str(path))
    first, second = prs.slides
    assert first.has_notes_slide and first.notes_slide.notes_text_frame.text == "Recordar que marzo tuvo un festivo."
    assert not second.has_notes_slide
    assert title_of(second).strip()
    assert "Este mes no hay nada." in slide_text(second)


# --- another template ------------------------------------------------------------------------------
def office_template(path: Path) -> Path:
    """python-pptx's own default: 4:3, Office's layout names in English, a sample slide."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Diapositiva de ejemplo de la plantilla"
    prs.save(str(path))
    return path


def test_another_template_replaces_ours(built_2024_03, tmp_path):
    folder, _ = built_2024_03
    sections = [nbformat.read(p, as_version=4) for p in sorted((folder / "notebooks").glob("*.ipynb"))]
    informe = modelo.Informe.de(sections, "2024-03")
    out = tmp_path / "corporativa.pptx"
    powerpoint.escribir(informe, out, office_template(tmp_path / "plantilla.pptx"))
    prs = Presentation(str(out))
    assert (prs.slide_width, prs.slide_height) == (9144000, 6858000)  # the template's 4:3
    assert len(prs.slides) == len(informe.diapositivas)  # its sample slide is not the report's
    used = {slide.slide_layout.name for slide in prs.slides}
    assert used <= {"Title Slide", "Section Header", "Title and Content"} and "Title and Content" in used
    assert [title_of(s) for s in prs.slides] == [d.titulo for d in informe.diapositivas]
    assert sum(1 for s in prs.slides for sh in s.shapes if getattr(sh, "has_chart", False) and sh.has_chart) >= 6
    for n, slide in enumerate(prs.slides, start=1):
        for s in shapes_of(slide.shapes):
            assert s.left + s.width <= prs.slide_width + EMU_IN // 20, f"diapositiva {n}: «{s.name}» se sale"


def test_the_template_in_use_is_configurable(tmp_path):
    """ANM_PPTX_TEMPLATE names it (config.PPTX_TEMPLATE); the build fingerprint includes it."""
    import os
    import sys

    alt = office_template(tmp_path / "otra.pptx")
    code = ("from anm_helpers.core import config, fingerprint; print(config.PPTX_TEMPLATE); "
            "print(config.PPTX_TEMPLATE in fingerprint.input_files('2024-03'))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "ANM_PPTX_TEMPLATE": str(alt)}).stdout.split()
    assert out == [str(alt), "True"]


def test_a_template_without_a_content_layout_is_refused(tmp_path):
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name != "Blank":
            prs.slide_layouts.remove(layout)
    prs.save(str(tmp_path / "vacia.pptx"))
    informe = modelo.Informe("2024-03", "Informe", "pie", nbformat.v4.new_notebook(), [])
    with pytest.raises(ConstruccionFallida, match="no tiene un diseño «ANM Contenido»"):
        powerpoint.escribir(informe, tmp_path / "x.pptx", tmp_path / "vacia.pptx")
    (tmp_path / "texto.pptx").write_text("no soy una presentación")
    with pytest.raises(ConstruccionFallida, match="guárdela como presentación .pptx"):
        powerpoint.escribir(informe, tmp_path / "x.pptx", tmp_path / "texto.pptx")


# --- LibreOffice Impress -----------------------------------------------------------------------------
def soffice_pdf(pptx: Path, tmp: Path) -> Path:
    """LibreOffice Impress converts the presentation to PDF, headless, with a
    private profile (never the user's) whose locale is es-CO."""
    profile = tmp / "perfil-libreoffice"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
        "<value>es-CO</value></prop></item>\n</oor:items>\n", encoding="utf-8")
    out = tmp / "pdf"
    result = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                             "--convert-to", "pdf", "--outdir", str(out), str(pptx)],
                            capture_output=True, text=True, timeout=240)
    pdf = out / f"{pptx.stem}.pdf"
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


@needs_soffice
def test_libreoffice_impress_converts_it(month, tmp_path):
    """Without error, one page per slide; with an es-CO locale the charts' labels read 1.142, not 1,142."""
    from pypdf import PdfReader

    mes, folder, _ = month
    pdf = soffice_pdf(folder / f"informe-{mes}.pptx", tmp_path)
    reader = PdfReader(pdf)
    prs = presentation(folder, mes)
    assert len(reader.pages) == len(prs.slides)
    n = next(i for i, s in enumerate(prs.slides) if title_of(s).startswith("Consolidado") and
             any(getattr(sh, "has_chart", False) and sh.has_chart for sh in s.shapes))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    from anm_helpers.core.fmt import numero

    shown = reader.pages[n].extract_text()
    big = [v for m in metrics["acumulado"]["meses"].values() for v in m.values() if v and v >= 1000]
    assert big and all(numero(v) in shown for v in big), shown
