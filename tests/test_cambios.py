"""What changed between versions (issue 27, item 4): every build writes the slides' texts
(``diapositivas.json``) and ``cambios.html``, which compares the published report of the
month with the new build: each figure whose value changed by its name in metrics.json,
each slide whose text changed (the words marked), slides added or removed; the first
build says there is no earlier version. The page is accessible (axe-core), runs no script
and its Content-Security-Policy allows none."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from anm_helpers.core import config
from anm_helpers.outputs import changes, changes_page, pdf, slide_texts
from anm_helpers.slides import model as modelo
from conftest import run_build

MES = "2024-03"
AXE = config.PROJ_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
needs_browser = pytest.mark.skipif(pdf.chromium() is None or not AXE.is_file(),
                                   reason="sin Chromium o sin axe-core (npm ci)")


# --- reading the page as a reviewer would --------------------------------------------
def figure_names(page: str) -> list[str]:
    """The figures the page lists, by their name in metrics.json."""
    return [html.unescape(n) for n in re.findall(r'<tr><th scope="row"><code>(.*?)</code></th>', page)]


def slide_anchors(page: str) -> list[str]:
    """The slides the page lists: ``diapositiva-N`` (changed or new) and ``retirada-N``."""
    return re.findall(r'<h3 id="([a-z]+-\d+)">', page)


def policy(page: str) -> dict[str, list[str]]:
    meta = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />', page)
    assert len(meta) == 1
    return {d.split()[0]: d.split()[1:] for d in html.unescape(meta[0]).split("; ")}


def walk(tree, prefix=""):
    """Every value of a metrics.json by its dotted name (a list's items by position)."""
    if isinstance(tree, (dict, list)) and tree:
        for key, value in (tree.items() if isinstance(tree, dict) else enumerate(tree)):
            yield from walk(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, tree


def differing(old: dict, new: dict) -> set[str]:
    a, b = dict(walk(old)), dict(walk(new))
    return {k for k in a.keys() | b.keys() if k not in a or k not in b or type(a[k]) is not type(b[k]) or a[k] != b[k]}


# --- the diff, unit by unit ----------------------------------------------------------
def test_word_diff_marks_the_changed_words_and_escapes_the_rest():
    old, new = changes.word_diff("Total <b>4.924</b> interacciones del mes", "Total <b>4.925</b> interacciones en marzo")
    assert old == "Total <del>&lt;b&gt;4.924&lt;/b&gt;</del> interacciones <del>del mes</del>"
    assert new == "Total <ins>&lt;b&gt;4.925&lt;/b&gt;</ins> interacciones <ins>en marzo</ins>"
    assert changes.word_diff("igual", "igual") == ("igual", "igual")


def test_figures_changed_added_and_removed_by_their_dotted_name():
    old = {"mes": MES, "interacciones": {"presencial": 1000, "total": 4924}, "tasa": 0.5, "uno": 1,
           "puntos": [{"texto": "a"}, {"texto": "b"}], "viejo": {"x": None}}
    new = {"mes": MES, "interacciones": {"presencial": 1001, "total": 4924}, "tasa": 0.5, "uno": 1.0,
           "puntos": [{"texto": "a"}, {"texto": "c"}, {"texto": "d"}], "nuevo": 3}
    found = {c.nombre: (c.antes, c.ahora, c.estado) for c in changes.figure_changes(old, new)}
    assert found == {"interacciones.presencial": (1000, 1001, "cambiada"), "uno": (1, 1.0, "cambiada"),
                     "puntos.1.texto": ("b", "c", "cambiada"), "puntos.2.texto": (None, "d", "nueva"),
                     "nuevo": (None, 3, "nueva"), "viejo.x": (None, None, "retirada")}
    assert set(found) == differing(old, new)
    row = changes_page._figure_row(changes.FigureChange("interacciones.presencial", 1000, 1001))
    assert (row["antes"], row["ahora"], row["exacto"]) == ("1.000", "1.001", "1000 → 1001")
    row = changes_page._figure_row(changes.FigureChange("tasa", None, 0.9285, "nueva"))
    assert (row["antes"], row["ahora"], row["exacto"]) == ("—", "92,9%", "(no estaba) → 0.9285")


def _slide(n: int, title: str, *texts: str) -> dict:
    return {"numero": n, "titulo": title, "textos": [title, *texts]}


def test_slides_matched_by_title_then_position():
    old = [_slide(1, "Portada"), _slide(2, "Canales", "570"), _slide(3, "Entregas", "a"), _slide(4, "Entregas", "b"),
           _slide(5, "Retirada", "x"), _slide(6, "Cierre")]
    new = [_slide(1, "Portada"), _slide(2, "Canales del mes", "570"), _slide(3, "Nueva", "n"),
           _slide(4, "Entregas", "a"), _slide(5, "Entregas", "b2"), _slide(6, "Cierre")]
    found = [(c.estado, c.numero_antes, c.numero_ahora) for c in changes.slide_changes(old, new)]
    # the edited title is the same slide (by position between Portada and Entregas), a same-titled
    # slide is matched in order, the extra ones are added or removed
    assert found == [("cambiada", 2, 2), ("nueva", None, 3), ("cambiada", 4, 5), ("retirada", 5, None)]
    edited = changes.slide_changes(old, new)[0]
    assert [(r.antes, r.ahora) for r in edited.filas] == [("Canales", "Canales <ins>del mes</ins>")]
    assert changes.slide_changes(old, old) == []


def test_every_element_kind_gives_the_text_a_reader_sees():
    card = modelo.tarjeta("92,9%", "Solución en primer contacto", "presencial.primer_contacto", 0.929,
                          definicion="Resueltas al primer contacto.", meses=[{"mes": "Enero", "valor": "600"}])
    slide = modelo.Diapositiva("Cifras", [
        modelo.portada("ANM", "GAPCC", "Informe", "Marzo 2024", borrador=True),
        modelo.titulo("Cifras", "Marzo 2024"),
        modelo.texto("Un **texto** con\nsalto.\n\n1. uno\n2. dos"),
        modelo.tarjetas([card]),
        modelo.total("4.924", "interacciones.total", 4924),
        modelo.grafico("barras", "t", "n", ["a"], [], "Gráfico de barras: a 1", "<svg/>"),
        modelo.lista(["Primera **entrega**", "Segunda"], inicio=5),
        modelo.calidad([], 0, "Sin avisos.", modelo.tabla([{"texto": "Archivo"}, {"texto": "Filas"}],
                                                         [["puntos.csv", "15"]], "Tabla")),
        {"tipo": "desconocido", "texto": "Algo  nuevo"},
    ], ["Nota del **orador**"])
    assert slide_texts.slide_texts(slide) == [
        "ANM", "GAPCC", "Informe", "Marzo 2024", "BORRADOR", "Cifras", "Marzo 2024", "Un texto con salto.",
        "1. uno", "2. dos", "Solución en primer contacto: 92,9%", "Resueltas al primer contacto.", "Enero: 600",
        "Total 4.924 interacciones", "Gráfico de barras: a 1", "5. Primera entrega", "6. Segunda", "Sin avisos.",
        "Archivo · Filas", "puntos.csv · 15", "Algo nuevo", "Notas: Nota del orador"]


def _published(folder: Path, metrics: dict, texts: dict | None) -> Path:
    folder.mkdir(parents=True)
    (folder / "metrics.json").write_text(json.dumps(metrics), encoding="utf-8")
    if texts is not None:
        (folder / "diapositivas.json").write_text(slide_texts.dumps(texts), encoding="utf-8")
    return folder


def test_an_earlier_tools_folder_compares_figures_only_and_says_so(tmp_path):
    texts = {"mes": MES, "titulo": "T", "borrador": False, "diapositivas": [_slide(1, "Portada")]}
    folder = _published(tmp_path / MES, {"a": 1, "b": 2}, None)
    found = changes.compare(folder, {"a": 1, "b": 3}, texts)
    assert found.estado == changes.CAMBIOS and not found.textos_comparados
    assert [c.nombre for c in found.cifras] == ["b"]
    page = changes_page.page(found, "Informe · Marzo 2024")
    assert "los textos no se pudieron comparar, solo las cifras" in page and figure_names(page) == ["b"]
    assert changes.summary(found) == "1 cifra, textos sin comparar"

    same = changes.compare(_published(tmp_path / "igual", {"a": 1}, texts), {"a": 1}, texts)
    assert same.estado == changes.SIN_CAMBIOS
    assert "Nada cambió frente a la versión publicada antes" in changes_page.page(same, "T")
    draft = changes.compare(_published(tmp_path / "borrador", {"a": 1}, texts), {"a": 1},
                            {**texts, "borrador": True, "diapositivas": [_slide(1, "Portada", "BORRADOR")]})
    assert "Esta versión está marcada BORRADOR; la publicada antes no lo estaba." in changes_page.page(draft, "T")

    (tmp_path / "roto").mkdir()
    (tmp_path / "roto" / "metrics.json").write_text("{roto", encoding="utf-8")
    broken = changes.compare(tmp_path / "roto", {"a": 1}, texts)
    assert broken.avisos == ["no se pudo leer roto/metrics.json publicado (no es JSON válido): no se compara"]
    page = changes_page.page(broken, "T")
    assert "La versión publicada antes no se pudo leer" in page and "primera versión" not in page
    assert "No se pudo leer roto/metrics.json publicado (no es JSON válido): no se compara." in page


# --- through the command -------------------------------------------------------------
def test_the_first_build_says_there_is_no_earlier_version(built_2024_03):
    folder, result = built_2024_03
    page = (folder / "cambios.html").read_text(encoding="utf-8")
    assert "Es la primera versión de este informe: no hay una versión anterior publicada" in page
    assert "cambios: primera versión, nada que comparar (cambios.html)" in result.stdout
    assert figure_names(page) == [] and slide_anchors(page) == []


def test_the_slides_texts_file_follows_its_contract(built_2024_03):
    folder, result = built_2024_03
    raw = (folder / "diapositivas.json").read_text(encoding="utf-8")
    doc = json.loads(raw)
    assert raw == json.dumps(doc, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    deck = (folder / f"informe-{MES}.html").read_text(encoding="utf-8")
    assert doc["mes"] == MES and doc["titulo"] == html.unescape(re.search(r"<title>(.*?)</title>", deck).group(1))
    assert doc["borrador"] is False
    shown = int(re.search(r"informe escrito: informe-2024-03\.html \((\d+) diapositivas\)", result.stdout).group(1))
    assert [s["numero"] for s in doc["diapositivas"]] == list(range(1, shown + 1))
    metrics = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    everything = "\n".join(t for s in doc["diapositivas"] for t in s["textos"])
    for slide in doc["diapositivas"]:  # every title is the deck's, and a text of its slide
        assert html.escape(slide["titulo"], quote=False) in deck and slide["titulo"] in slide["textos"]
    for point in metrics["puntos_principales"]:  # the narrative the build wrote, as plain text
        assert point["texto"] in everything
    assert any(t.startswith(slide_texts.NOTES_PREFIX) for s in doc["diapositivas"] for t in s["textos"])
    assert "<" not in everything and "**" not in everything


NARRATIVE = "El PAR Medellín atendió la mayor parte de las consultas de RUCOM."


@pytest.fixture(scope="module")
def narrative_rebuild(built_2024_03, tmp_path_factory):
    """The shared March 2024, published, rebuilt after one narrative sentence was added to a
    notebook's markdown (no section executes: they come from the copied cache); the deck,
    the texts and the changes page only. (folder, the build's result, the published texts)."""
    root = tmp_path_factory.mktemp("cambios-narrativa")
    shutil.copytree(built_2024_03[0].parent, root / "reports")
    notebooks = root / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    path = notebooks / "03_presencial.py"  # edited as an analyst would, in its .py (the build syncs it)
    text = path.read_text(encoding="utf-8")
    assert text.count("\n# ## Interacciones por PAR y PAL\n") == 1
    path.write_text(text.replace("\n# ## Interacciones por PAR y PAL\n",
                                 f"\n# ## Interacciones por PAR y PAL\n#\n# {NARRATIVE}\n"), encoding="utf-8")
    before = json.loads((built_2024_03[0] / "diapositivas.json").read_text(encoding="utf-8"))
    result = run_build(MES, root / "reports", notebooks=notebooks, salidas="")
    assert result.returncode == 0, result.stderr + result.stdout
    return root / "reports" / MES, result, before


def test_a_narrative_edit_shows_that_slide_and_nothing_else(narrative_rebuild):
    folder, result, before = narrative_rebuild
    assert "ejecutada" not in result.stdout  # every section from the cache: a cheap rebuild
    page = (folder / "cambios.html").read_text(encoding="utf-8")
    assert "cambios frente a la versión publicada: 0 cifras, 1 diapositiva cambiada (cambios.html)" in result.stdout
    assert figure_names(page) == []
    after = json.loads((folder / "diapositivas.json").read_text(encoding="utf-8"))
    edited = next(s for s in after["diapositivas"] if NARRATIVE in s["textos"])
    assert slide_anchors(page) == [f"diapositiva-{edited['numero']}"]
    assert f"<ins>{html.escape(NARRATIVE, quote=False)}</ins>" in page
    assert [s for s in after["diapositivas"] if s["numero"] != edited["numero"]] == \
        [s for s in before["diapositivas"] if s["numero"] != edited["numero"]]


def test_a_rebuild_with_nothing_new_keeps_the_page_of_the_last_change(narrative_rebuild, tmp_path):
    """Built again with the same figures and texts (its stamp removed: the build runs), the
    month's page still shows what the last change was, byte for byte, and the log says so."""
    folder, _, _ = narrative_rebuild
    reports = tmp_path / "reports"
    shutil.copytree(folder.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*"))
    (reports / MES / ".huella").unlink()
    result = run_build(MES, reports, notebooks=folder.parent.parent / "notebooks", salidas="")
    assert result.returncode == 0, result.stderr + result.stdout
    assert ("cambios: ninguno frente a la versión publicada; cambios.html sigue mostrando los de la versión "
            "anterior") in result.stdout, result.stdout
    assert (reports / MES / "cambios.html").read_bytes() == (folder / "cambios.html").read_bytes()


def test_the_page_runs_no_script_and_its_policy_allows_none(narrative_rebuild, built_2024_03):
    for page in ((narrative_rebuild[0] / "cambios.html").read_text(encoding="utf-8"),
                 (built_2024_03[0] / "cambios.html").read_text(encoding="utf-8")):
        assert "<script" not in page.lower() and " on" not in re.sub(r"[^<]*(<[^>]*>)?", r"\1", page).lower()
        rules = policy(page)
        assert rules["script-src"] == ["'none'"] and rules["default-src"] == ["'none'"]
        assert all(h.startswith("'sha256-") for h in rules["style-src"]) and "'unsafe-inline'" not in page
        assert page.index("Content-Security-Policy") < page.index("<style>")
        assert '<html lang="es-CO">' in page and "http://" not in page and "https://" not in page


@needs_browser
def test_the_page_has_no_accessibility_violation_and_its_style_applies(narrative_rebuild, browser):
    path = narrative_rebuild[0] / "cambios.html"
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.route("**/*", pdf.local_only)
    try:  # under its own policy first: its style (by hash) and fonts (data:) apply
        page.goto(path.as_uri())
        assert page.evaluate("getComputedStyle(document.querySelector('h2')).color") == "rgb(11, 61, 110)"
        assert page.evaluate("document.fonts.ready.then(() => [...document.fonts].some(f => f.status === 'loaded'))")
    finally:
        page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 800}, bypass_csp=True)  # axe is a script
    page.route("**/*", pdf.local_only)
    try:
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        assert [v["id"] for v in result["violations"]] == []
        assert any(r["id"] == "color-contrast" for r in result["passes"])
        assert not [r for r in result["incomplete"] if r["id"] == "color-contrast"]
    finally:
        page.close()


def _touching(folder: Path, keys: set[str]) -> set[int]:
    """The slides a data edit can change: those showing a changed figure (a chart, a card or a
    total whose name is the figure's or one of its parents), and the quality annex (it lists
    every input file with its hash)."""
    import nbformat as nbf

    sections = [nbf.read(p, as_version=4) for p in sorted((folder / "notebooks").glob("*.ipynb"))]
    informe = modelo.Informe.de(sections, MES)
    out = set()
    for n, slide in enumerate(informe.diapositivas, 1):
        for e in slide.elementos:
            names = [e.get("nombre")] + [c.get("nombre") for c in e.get("tarjetas", [])]
            if e["tipo"] == "calidad" or any(n_ and any(k == n_ or k.startswith(n_ + ".") for k in keys)
                                             for n_ in names):
                out.add(n)
    return out


@pytest.mark.larga
def test_a_narrative_and_a_data_edit_show_exactly_those_changes(built_2024_03, tmp_path):
    """The issue's check: one narrative text of params and one data row of a published month
    edited, rebuilt: the page lists exactly the figures that differ between the two
    metrics.json, the narrative's slide, and no slide that neither edit could touch."""
    reports, data, params = tmp_path / "reports", tmp_path / "data", tmp_path / "params"
    shutil.copytree(built_2024_03[0].parent, reports)
    shutil.copytree(config.DATA_DIR, data)
    shutil.copytree(config.PARAMS_DIR, params)
    before = json.loads((reports / MES / "metrics.json").read_text(encoding="utf-8"))
    # one in-person interaction moved from one topic to the next one down the ranking, which keeps its order
    path = data / MES / "atenciones.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    topics = before["presencial"]["por_tipo"]
    ranked = sorted(topics, key=topics.get, reverse=True)
    source, target = next((a, b) for a, b in zip(ranked, ranked[1:]) if topics[a] - topics[b] > 2)
    i = next(i for i, line in enumerate(lines) if line.split(",")[2:3] == ["presencial"] and line.split(",")[4] == source)
    cells = lines[i].split(",")
    cells[4] = target
    lines[i] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    # one narrative text of params
    doc = yaml.safe_load((params / f"{MES}.yaml").read_text(encoding="utf-8"))
    doc["comentarios"]["satisfaccion"] += " Se revisará de nuevo en abril."
    (params / f"{MES}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")

    result = run_build(MES, reports, data=data, params=params, salidas="")
    assert result.returncode == 0, result.stderr + result.stdout
    folder = reports / MES
    page = (folder / "cambios.html").read_text(encoding="utf-8")
    after = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    changed = differing(before, after)
    assert changed == {f"presencial.por_tipo.{source}", f"presencial.por_tipo.{target}"}
    assert sorted(figure_names(page)) == sorted(changed)
    texts = json.loads((folder / "diapositivas.json").read_text(encoding="utf-8"))["diapositivas"]
    narrative = {s["numero"] for s in texts if any("Se revisará de nuevo en abril." in t for t in s["textos"])}
    assert len(narrative) == 1
    touched = narrative | _touching(folder, changed)
    shown = {int(a.split("-")[1]) for a in slide_anchors(page)}
    assert shown == touched and all(a.startswith("diapositiva-") for a in slide_anchors(page))
    assert "<ins>Se revisará de nuevo en abril.</ins>" in page
    assert f"cambios frente a la versión publicada: 2 cifras, {len(touched)} diapositivas cambiadas" in result.stdout
