"""`make sitio` (issue 27, item 1): the publication site ``reports/sitio/``.

A reports folder is made by copying the shared build of 2024-03 under other month
names (its files renamed, ``metrics.json``'s month rewritten), beside a data folder
with a month never built, a month whose last build failed (``reports/.estado``), a
month marked BORRADOR (``diapositivas.json``), a month whose ``metrics.json`` cannot
be read and a year deck. The command is run as the user runs it
(``python -m anm_helpers.builder.site``); every link of every page is followed to a
file, the headline figures are compared with ``metrics.json`` formatted by
``core.fmt``, and the pages are checked in Chromium (axe-core, focus, the CSP)."""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from anm_helpers.core import config, fmt
from anm_helpers.outputs import pdf
from conftest import ROOT, run_build

AXE = config.PROJ_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
needs_chromium = pytest.mark.skipif(
    pdf.chromium() is None, reason=f"sin Chromium en {pdf.CHROMIUM} (apt-get install chromium)")
needs_axe = pytest.mark.skipif(not AXE.is_file(), reason=f"sin axe-core en {AXE.parent} (npm ci)")

SOURCE = "2024-03"
PUBLISHED = ("2024-03", "2024-02", "2023-12")  # 2024-02: its last build failed afterwards
DRAFT = "2023-12"
NEVER_BUILT = "2025-01"
FAILED = "2024-01"  # failed, nothing published
BROKEN = "2023-11"  # metrics.json cannot be read
FAILURE = "Los datos tienen 1 problema(s); corríjalos y vuelva a construir: comunicaciones.csv falta"


def copy_month(src: Path, reports: Path, mes: str) -> Path:
    """A published month made from ``src`` (a built 2024-03): its files renamed, its month rewritten;
    notebooks/, construccion.log and the build's fingerprint come along (the site never copies them)."""
    dst = reports / mes
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("diapositivas"))  # other tests' screenshots
    for path in sorted(dst.rglob(f"*{SOURCE}*"), reverse=True):
        path.rename(path.with_name(path.name.replace(SOURCE, mes)))
    metrics = json.loads((dst / "metrics.json").read_text(encoding="utf-8"))
    metrics["mes"] = mes
    if mes != SOURCE:  # figures of its own, so that each month's table is really its own
        metrics["interacciones"]["presencial"] += int(mes.replace("-", "")) % 97
        metrics["interacciones"]["total"] = sum(metrics["interacciones"][k] for k in ("presencial", "telefonico", "virtual"))
    (dst / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (dst / "diapositivas.json").unlink(missing_ok=True)
    return dst


def make_reports(built: Path, where: Path) -> tuple[Path, Path]:
    reports, data = where / "reports", where / "data"
    reports.mkdir(parents=True)
    for mes in (*PUBLISHED, BROKEN, NEVER_BUILT, FAILED):
        (data / mes).mkdir(parents=True)
    for mes in PUBLISHED:
        copy_month(built, reports, mes)
    (reports / DRAFT / "diapositivas.json").write_text(json.dumps(
        {"mes": DRAFT, "titulo": "Informe", "borrador": True, "diapositivas": []}) + "\n", encoding="utf-8")
    copy_month(built, reports, BROKEN)
    (reports / BROKEN / "metrics.json").write_text('{"mes": "2023-11", "interacciones": ', encoding="utf-8")
    (reports / ".estado").mkdir()
    for mes in (FAILED, "2024-02"):
        (reports / ".estado" / f"{mes}.json").write_text(json.dumps(
            {"mes": mes, "resultado": "fallida", "mensaje": FAILURE}, ensure_ascii=False) + "\n", encoding="utf-8")
    year = reports / "2024"
    year.mkdir()
    for ext in ("html", "pdf", "pptx"):
        shutil.copyfile(built / f"informe-{SOURCE}.{ext}", year / f"informe-2024.{ext}")
    (year / "metrics.json").write_text(json.dumps(  # as make year writes it when a month is a draft
        {"anio": "2024", "meses_borrador": ["2024-02"]}) + "\n", encoding="utf-8")
    return reports, data


def run_site(reports: Path, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "ANM_REPORTS_DIR": str(reports), "ANM_DATA_DIR": str(data)}
    return subprocess.run([sys.executable, "-m", "anm_helpers.builder.site"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def site(built_2024_03, tmp_path_factory):
    """(reports, data, the first run's result): the site built once for the module's read-only tests."""
    reports, data = make_reports(built_2024_03[0], tmp_path_factory.mktemp("sitio"))
    result = run_site(reports, data)
    assert result.returncode == 0, result.stderr + result.stdout
    return reports, data, result


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and "href" in attrs:
            self.hrefs.append(attrs["href"])
        assert tag not in ("script", "iframe", "object", "embed", "form")
        assert not attrs.get("src", "").startswith(("http", "//")), attrs


def pages(site_dir: Path) -> list[Path]:
    return sorted(site_dir.rglob("index.html"))


def year_page_of(site_dir: Path, anio: str) -> str:
    return (site_dir / anio / "index.html").read_text(encoding="utf-8")


def month_block(page: str, mes: str) -> str:
    start = page.index(f'<article class="mes" aria-labelledby="mes-{mes}">')
    return page[start:page.index("</article>", start)]


def test_every_link_of_every_page_reaches_a_file_of_the_site(site):
    reports, _, result = site
    site_dir = reports / "sitio"
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == f"Listo: {site_dir / 'index.html'}"
    assert [p.relative_to(site_dir).as_posix() for p in pages(site_dir)] == \
        ["2023/index.html", "2024/index.html", "2025/index.html", "index.html"]
    followed = 0
    for page in pages(site_dir):
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            assert not re.match(r"^([a-z]+:|/)", href), f"{page}: {href} no es un enlace relativo"
            path, _, fragment = href.partition("#")
            target = (page.parent / unquote(path)).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(site_dir)}: {href} no lleva a un archivo"
            assert target.is_relative_to(site_dir.resolve())
            if fragment:
                assert fragment in parser.ids
            followed += 1
    assert followed > 40
    # each month's files are its published ones, byte for byte; never notebooks, hidden files or the build log
    for mes in PUBLISHED:
        for name in (f"informe-{mes}.html", f"informe-{mes}.pdf", f"informe-{mes}.pptx", "metrics.json",
                     f"datos-abiertos/cifras-{mes}.csv", "datos-abiertos/datapackage.json"):
            assert (site_dir / mes[:4] / mes / name).read_bytes() == (reports / mes / name).read_bytes()
    copied = [p.relative_to(site_dir) for p in site_dir.rglob("*")]
    assert not [p for p in copied if p.name in ("notebooks", "construccion.log") or p.name.startswith(".")]
    # the year deck first on its year's page
    year = year_page_of(site_dir, "2024")
    assert year.index("Informe anual 2024") < year.index("mes-2024-03")
    assert 'href="informe-2024.pdf"' in year and (site_dir / "2024" / "informe-2024.pptx").is_file()


def test_make_year_then_make_sitio_on_the_shipped_data(tmp_path_factory, tmp_path):
    """The issue's path for a new user: make year YEAR=2024 on the shipped data (the shared
    build), then make sitio; from index.html every link reaches a file of the site, the
    year deck among them, and the year deck's files are the published ones."""
    from conftest import built_month

    march, _ = built_month("2024-03", tmp_path_factory, anio=True)
    reports = tmp_path / "reports"
    shutil.copytree(march.parent, reports, ignore=shutil.ignore_patterns("*.lock", "capturas*", "sitio"))
    result = run_site(reports, config.DATA_DIR)
    assert result.returncode == 0, result.stderr + result.stdout
    site_dir = reports / "sitio"
    reached, todo = set(), [site_dir / "index.html"]
    while todo:  # the pages reached from index.html, and every file they link
        page = todo.pop()
        parser = Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = (page.parent / unquote(href.partition("#")[0])).resolve() if href.partition("#")[0] else page
            assert target.is_file() and target.is_relative_to(site_dir.resolve()), f"{page}: {href}"
            if target.name == "index.html" and target not in reached:
                todo.append(target)
            reached.add(target)
    for name in ("informe-2024.html", "informe-2024.pdf", "informe-2024.pptx", "metrics.json"):
        assert (site_dir / "2024" / name).resolve() in reached, name
        assert (site_dir / "2024" / name).read_bytes() == (reports / "2024" / name).read_bytes()
    for mes in ("2024-01", "2024-02", "2024-03"):
        assert (site_dir / "2024" / mes / f"informe-{mes}.html").resolve() in reached
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "Sin construir" in month_block(index, "2026-02")  # shipped data not built in this reports/


def test_headline_figures_are_the_months_metrics_formatted(site):
    reports, _, _ = site
    for mes in ("2024-03", "2024-02"):
        metrics = json.loads((reports / mes / "metrics.json").read_text(encoding="utf-8"))
        block = month_block(year_page_of(reports / "sitio", mes[:4]), mes)
        rows = {html.unescape(re.sub(r"<[^>]+>", "", row.split("</th>")[0])).strip():
                [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)]
                for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", block, re.S)}
        channels = ("presencial", "telefonico", "virtual")
        assert rows["Interacciones"] == [fmt.numero(metrics["interacciones"][k]) for k in (*channels, "total")]
        assert rows["Resolución en el primer contacto"] == [
            fmt.valor(f"{k}.primer_contacto", metrics[k]["primer_contacto"]) for k in channels[:2]] + ["no aplica", ""]
        method = metrics["encuestas"]["metodo"]
        satisfaction = metrics["encuestas"]["preguntas"]["satisfaccion"]["consolidado"]
        assert rows[f"Satisfacción consolidada (método {method})"][-1] == \
            fmt.valor("encuestas.preguntas.satisfaccion.consolidado", satisfaction)
        assert f"Cifras principales de {fmt.nombre_mes(mes)} de {mes[:4]}" in block


def test_never_built_failed_draft_and_unreadable_months_are_each_listed(site):
    reports, _, result = site
    site_dir = reports / "sitio"
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    order = [m for m in re.findall(r'aria-labelledby="mes-(\d{4}-\d{2})"', index)]
    assert order == sorted([*PUBLISHED, BROKEN, NEVER_BUILT, FAILED], reverse=True)  # none dropped, newest first
    never = month_block(index, NEVER_BUILT)
    assert "Sin construir" in never and "href" not in never
    failed = month_block(index, FAILED)
    assert "La última construcción falló" in failed and html.escape(FAILURE) in failed and "href" not in failed
    earlier = month_block(index, "2024-02")  # failed since, its earlier report still there
    assert "La última construcción falló" in earlier and "Se muestra el último informe publicado" in earlier
    assert 'href="2024/2024-02/informe-2024-02.pdf"' in earlier
    assert "BORRADOR" in month_block(index, DRAFT)
    assert "BORRADOR" not in month_block(index, "2024-03")  # no diapositivas.json: no mark, no error
    year_deck = index[index.index('aria-labelledby="anual-2024"'):]
    year_deck = year_deck[:year_deck.index("</section>")]
    assert "BORRADOR" in year_deck and "incluye meses sin terminar (febrero de 2024)" in year_deck
    broken = month_block(index, BROKEN)
    assert f"No se pudo leer reports/{BROKEN}/metrics.json (no es un JSON válido)" in broken and "<table" not in broken
    assert "Traceback" not in index
    assert "6 publicado(s)" not in result.stdout and "1 sin construir" in result.stdout


def test_pages_are_spanish_and_allow_no_script(site):
    site_dir = site[0] / "sitio"
    for page in pages(site_dir):
        text = page.read_text(encoding="utf-8")
        assert '<html lang="es-CO">' in text
        meta = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)" />', text)
        rules = {d.split()[0]: d.split()[1:] for d in html.unescape(meta[0]).split("; ")}
        assert rules["default-src"] == ["'none'"] and rules["script-src"] == ["'none'"]
        assert len(rules["style-src"]) == 1 and rules["style-src"][0].startswith("'sha256-")
        assert rules["font-src"] == ["data:"] and "'unsafe-inline'" not in text
        assert text.index("Content-Security-Policy") < text.index("<style>")
        assert "http://" not in text and "https://" not in text


def _stats(folder: Path) -> dict:
    return {p.relative_to(folder): (p.stat().st_ino, p.stat().st_mtime_ns) for p in [folder, *folder.rglob("*")]}


def test_unchanged_rebuild_writes_nothing_and_a_changed_month_only_its_files(built_2024_03, tmp_path):
    reports, data = make_reports(built_2024_03[0], tmp_path)
    assert run_site(reports, data).returncode == 0
    site_dir = reports / "sitio"
    before = _stats(site_dir)
    again = run_site(reports, data)
    assert again.returncode == 0 and "Sitio al día" in again.stdout
    assert [line for line in again.stdout.splitlines() if not line.startswith("  ! aviso")] == [again.stdout.splitlines()[-1]]
    assert _stats(site_dir) == before
    # 2024-02 published again (a new folder swapped in, as publish does) with one figure changed
    new = copy_month(built_2024_03[0], tmp_path, "2024-02")
    metrics = json.loads((new / "metrics.json").read_text(encoding="utf-8"))
    metrics["interacciones"]["virtual"] += 1
    metrics["interacciones"]["total"] += 1  # a consistent month: the series refuses a total that is not its sum
    (new / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(reports / "2024-02")
    new.rename(reports / "2024-02")
    changed = run_site(reports, data)
    assert changed.returncode == 0, changed.stderr
    after = _stats(site_dir)
    rewritten = {p for p in after if (site_dir / p).is_file() and (p not in before or after[p][0] != before[p][0])}
    month_files = {p for p in rewritten if p.parts[:2] == ("2024", "2024-02")}
    assert month_files == {p for p in after if p.parts[:2] == ("2024", "2024-02") and (site_dir / p).is_file()}
    series = {p for p in rewritten if p.parts[0] == "datos-abiertos"}  # the whole series reads every month
    assert rewritten - month_files - series == {Path("index.html"), Path("2024/index.html")}
    assert after[Path("2023/index.html")] == before[Path("2023/index.html")]
    assert after[Path("2024/informe-2024.pdf")] == before[Path("2024/informe-2024.pdf")]
    assert fmt.numero(metrics["interacciones"]["virtual"]) in month_block(
        (site_dir / "2024" / "index.html").read_text(encoding="utf-8"), "2024-02")
    assert not list(reports.glob(".construyendo-*"))


def test_two_runs_give_identical_bytes(site, tmp_path):
    reports, data, _ = site
    first = {p.relative_to(reports / "sitio"): p.read_bytes() for p in (reports / "sitio").rglob("*") if p.is_file()}
    other = tmp_path / "reports"
    shutil.copytree(reports, other, ignore=shutil.ignore_patterns("sitio", ".cache"))
    result = run_site(other, data)
    assert result.returncode == 0, result.stderr
    second = {p.relative_to(other / "sitio"): p.read_bytes() for p in (other / "sitio").rglob("*") if p.is_file()}
    assert first == second


def test_a_reports_folder_that_cannot_be_written_keeps_the_site(built_2024_03, tmp_path):
    where = tmp_path / "disco"
    where.mkdir()
    root = os.geteuid() == 0
    if root and (not shutil.which("mount") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=200m", "tmpfs", str(where)], capture_output=True).returncode):
        pytest.skip("as root, permissions do not deny writes; a read-only disk needs mount (tmpfs)")
    try:
        reports, data = make_reports(built_2024_03[0], where)
        assert run_site(reports, data).returncode == 0
        before = {p: p.read_bytes() for p in (reports / "sitio").rglob("*") if p.is_file()}
        (reports / "2024-03" / "metrics.json").write_text("{}\n", encoding="utf-8")  # something to do
        if root:
            subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        else:
            reports.chmod(0o555)
        result = run_site(reports, data)
        month = run_build("2024-03", reports)  # what a month's build says of the same folder
        assert result.returncode == 1 and month.returncode == 1
        assert "Traceback" not in result.stderr + result.stdout
        said = "no hay permiso para escribir"
        assert result.stderr.startswith(f"ERROR: {said}") and month.stderr.startswith(f"ERROR: {said}")
        assert result.stderr.split(": ", 2)[2] == month.stderr.split(": ", 2)[2]  # what to do: the same words
        assert {p: p.read_bytes() for p in (reports / "sitio").rglob("*") if p.is_file()} == before
    finally:
        if root:
            subprocess.run(["umount", str(where)], check=False)
        else:
            (where / "reports").chmod(0o755)


def test_a_failed_build_is_recorded_and_a_good_one_clears_it(built_2024_03, tmp_path):
    """Interface 3: ``reports/.estado/<MES>.json`` written by a failed build, removed by one that succeeds
    (here: finds the month up to date)."""
    reports = tmp_path / "reports"
    shutil.copytree(built_2024_03[0], reports / SOURCE, ignore=shutil.ignore_patterns("diapositivas"))
    data = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, data)
    bad = data / SOURCE / "atenciones.csv"
    good_text = bad.read_text(encoding="utf-8")
    bad.write_text(good_text.replace(",si\n", ",quizás\n", 1), encoding="utf-8")
    failed = run_build(SOURCE, reports, data=data)
    assert failed.returncode == 1
    record = json.loads((reports / ".estado" / f"{SOURCE}.json").read_text(encoding="utf-8"))
    error = failed.stderr.removeprefix("ERROR: ")
    assert record["mes"] == SOURCE and record["resultado"] == "fallida" and "\n" not in record["mensaje"]
    assert record["mensaje"] == " ".join(line.strip() for line in error.splitlines() if line.strip())
    (reports / ".estado" / f"{SOURCE}.json").unlink()
    refused = run_build(None, reports, data=data, args=("--anio", SOURCE[:4]))  # make year reviews it first
    assert refused.returncode == 1 and f"[{SOURCE}]" in refused.stderr
    assert json.loads((reports / ".estado" / f"{SOURCE}.json").read_text(encoding="utf-8"))["mensaje"] == record["mensaje"]
    good = run_build(SOURCE, reports)  # the shipped data the month was built from: up to date
    assert good.returncode == 0 and "sin cambios" in good.stdout, good.stderr
    assert not (reports / ".estado" / f"{SOURCE}.json").exists()


# --- in Chromium --------------------------------------------------------------------------

@needs_chromium
@needs_axe
@pytest.mark.parametrize("page_path", ["index.html", "2024/index.html"])
@pytest.mark.parametrize("width,height", [(1280, 800), (390, 844)])
def test_axe_finds_no_violation_and_focus_is_visible(site, browser, page_path, width, height):
    page = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
    try:
        page.route("**/*", pdf.local_only)
        page.goto((site[0] / "sitio" / page_path).as_uri())
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        assert [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]] == []
        assert [(n["target"], n["any"][0]["message"]) for r in result["incomplete"] if r["id"] == "color-contrast"
                for n in r["nodes"]] == []  # every text's contrast evaluated
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing scrolls sideways
        # the keyboard: the skip link first, shown with an outline, leading to the content
        page.keyboard.press("Tab")
        first = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return [e.textContent, e.getAttribute('href'), s.outlineStyle, s.outlineWidth, e.getBoundingClientRect().top]; }""")
        assert first[:2] == ["Saltar al contenido", "#contenido"] and first[2] == "solid" and first[3] == "3px"
        assert first[4] >= 0  # on screen while focused
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.tagName") == "A"
    finally:
        page.close()


@needs_chromium
def test_a_planted_script_does_not_run(site, browser, tmp_path):
    text = (site[0] / "sitio" / "index.html").read_text(encoding="utf-8")
    planted = tmp_path / "index.html"
    planted.write_text(text.replace("<main", "<script>document.title = 'pwned';</script>"
                                    "<img alt=\"\" src=\"data:image/png;base64,AAAA\" onerror=\"window.__pwned = true\"><main", 1),
                       encoding="utf-8")
    page = browser.new_page()
    try:
        page.add_init_script("""window.__violations = [];
            document.addEventListener("securitypolicyviolation", e => window.__violations.push(e.effectiveDirective));""")
        page.route("**/*", pdf.local_only)
        page.goto(planted.as_uri())
        page.wait_for_function("window.__violations.length >= 2")
        page.wait_for_timeout(200)
        assert page.title() != "pwned" and page.evaluate("window.__pwned") is None
        assert sorted(page.evaluate("window.__violations")) == ["script-src-attr", "script-src-elem"]
        # the page's own style applies (allowed by its hash): its fonts and colours
        assert page.evaluate("getComputedStyle(document.querySelector('.cabecera')).backgroundColor") == "rgb(11, 61, 110)"
    finally:
        page.close()


def test_the_sites_series_validates_and_equals_each_published_months_figures(site):
    """sitio/datos-abiertos/, written by make sitio: a Data Package frictionless finds valid, whose
    interactions are, month by month, the published metrics.json's (the unreadable month left out
    and said so); the licence is not invented while params/publicacion.yaml does not declare one."""
    import csv

    from frictionless import Package

    reports, _, result = site
    folder = reports / "sitio" / "datos-abiertos"
    report = Package(str(folder / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader((folder / "interacciones.csv").open(encoding="utf-8")))
    for mes in PUBLISHED:
        metrics = json.loads((reports / mes / "metrics.json").read_text(encoding="utf-8"))
        shown = {r["canal"]: int(r["valor"]) for r in rows if r["mes"] == mes}
        assert shown == metrics["interacciones"], mes
    assert {r["mes"] for r in rows} == set(PUBLISHED)  # never the broken month, never a month without a report
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert "licenses" not in package and "la licencia de la serie no está declarada" in result.stdout
