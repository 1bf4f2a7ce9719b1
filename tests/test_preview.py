"""make preview (anm_helpers/preview/): one preview process for the whole module,
on copies of data/, params/ and notebooks/, serving on a free port.

The tests share that process: its first build, a params narrative edit (only the
section that reads it runs again, and the context it derives without reading the
data equals a fresh one), a notebook edited in its .py, the page in Chromium staying
on its slide across the reload, a broken data file and an unknown {nombre} shown
over the page and then fixed, and Ctrl-C last. Each test makes its own edits, so
they pass in any order; a test that finds the process stopped (Ctrl-C ran first,
under pytest-xdist) gets a new one. Two tests of the narrative shortcut start and stop
previews of their own (a save during the first build, a restart after a failed build).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from anm_helpers.core import config
from anm_helpers.core.errors import PuertoInvalido
from anm_helpers.preview.server import State, inject, parse_port

ROOT = config.PROJ_ROOT
MES = "2024-03"
#: with pytest-xdist and --dist loadgroup (or loadfile), the module's tests share one worker
pytestmark = pytest.mark.xdist_group(name="vista_previa")
CHROMIUM = Path("/usr/bin/chromium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Vista:
    """The running preview, its folders and what it printed."""

    def __init__(self, base: Path):
        self.base = base
        self.data, self.params, self.notebooks = base / "data", base / "params", base / "notebooks"
        self.reports, self.tmp = base / "reports", base / "tmp"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.out: list[str] = []
        self.err: list[str] = []

    def start(self) -> None:
        env = {**os.environ, "ANM_DATA_DIR": str(self.data), "ANM_PARAMS_DIR": str(self.params),
               "ANM_NOTEBOOKS_DIR": str(self.notebooks), "ANM_REPORTS_DIR": str(self.reports),
               "TMPDIR": str(self.tmp), "PORT": str(self.port)}
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):  # never a browser from the tests
            env.pop(name, None)
        self.proc = subprocess.Popen([sys.executable, "-m", "anm_helpers.preview.app", "--", MES], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for stream, lines in ((self.proc.stdout, self.out), (self.proc.stderr, self.err)):
            threading.Thread(target=lambda s=stream, ls=lines: [ls.append(x.rstrip("\n")) for x in s],
                             daemon=True).start()

    def get(self, path: str = "/", host: str | None = None) -> tuple[int, str]:
        request = urllib.request.Request(self.url.rstrip("/") + path, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8")

    def estado(self, timeout: float = 300) -> dict:
        """The preview's state; it may be restarting (someone changed the program's code: this
        tree is shared), in which case the server is back within a cold build."""
        end = time.monotonic() + timeout
        while True:
            try:
                return json.loads(self.get("/__estado")[1])
            except OSError:
                assert self.proc.poll() is None, "the preview stopped:\n" + "\n".join(self.out + self.err)
                assert time.monotonic() < end, "the preview does not answer"
                time.sleep(0.1)

    def wait(self, after: int, timeout: float = 240) -> dict:
        """The state once a version newer than ``after`` is out and no build runs."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            assert self.proc.poll() is None, "the preview stopped:\n" + "\n".join(self.out + self.err)
            e = self.estado()
            if e["version"] != after and e["version"] and not e["construyendo"]:
                return e
            time.sleep(0.1)
        raise AssertionError("no new version:\n" + "\n".join(self.out + self.err))

    def since(self, mark: int) -> str:
        return "\n".join(self.out[mark:])

    def edit(self, save) -> tuple[dict, str]:
        """``save(attempt)`` writes an edit; the state once it is built, and the lines printed
        meanwhile. Were the preview to restart meanwhile (the program's code changed in this
        shared tree: a cold build), the edit is saved again, with ``attempt`` + 1."""
        for attempt in range(3):
            mark, before = len(self.out), self.estado()["version"]
            save(attempt)
            e = self.wait(before)
            time.sleep(0.2)  # the build's last line
            log = self.since(mark)
            if "se reinicia" not in log:
                return e, log
        raise AssertionError("the preview kept restarting:\n" + log)


@pytest.fixture(scope="module")
def _vistas(tmp_path_factory):
    """The module's preview process (a new one only if a test stopped it)."""
    started: list[Vista] = []

    def running() -> Vista:
        if not started or started[-1].proc.poll() is not None:
            base = tmp_path_factory.mktemp("vista")
            for name in ("data", "params", "notebooks"):
                shutil.copytree(ROOT / name, base / name)
            (base / "tmp").mkdir()
            v = Vista(base)
            started.append(v)
            v.start()
            v.first = v.wait(0, timeout=400)
        return started[-1]

    yield running
    for v in started:
        _stop(v)


@pytest.fixture
def vista(_vistas) -> Vista:
    return _vistas()


def _comment(v: Vista, word: str) -> None:
    """Save params with ``word`` in the commentary of the satisfaction analysis."""
    path = v.params / f"{MES}.yaml"
    text, n = re.subn(r"contiene una muestra (\w+ )?que", f"contiene una muestra {word} que",
                      path.read_text(encoding="utf-8"), count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")


# --- no process ---------------------------------------------------------------------

def test_port_is_validated_in_spanish():
    assert parse_port(None) == 8765 and parse_port("") == 8765 and parse_port("9000") == 9000
    for bad in ("80", "65536", "abc", "8765; touch x", "-1", "1e4", "٨٧٦٥"):
        with pytest.raises(PuertoInvalido, match="no es un puerto válido: use un número entre 1024 y 65535"):
            parse_port(bad)


def test_script_goes_before_body_and_error_text_cannot_end_it():
    page = inject("<html><body><p>x</p></body></html>",
                  {"version": 3, "error": "falla </script><script>alert(1)</script>", "construyendo": False})
    assert page.index('<script id="anm-vista-previa">') < page.index("</body>")
    assert "</script><script>alert(1)" not in page
    assert "location.reload()" in page  # keeps the URL and its #/N
    # the script (templates/vista_previa/vista_previa.js) gets the state and the URL it polls
    assert '"version": 3' in page and 'fetch("/__estado?desde="' in page
    assert "__STATE__" not in page and "__URL__" not in page


def test_versions_are_new_after_every_build():
    e = State()
    e.publish(None)
    first = e.as_dict()["version"]
    e.publish("mal")
    assert e.as_dict()["version"] > first and e.as_dict()["error"] == "mal"


@pytest.mark.parametrize("hostile", ['8765; touch {marker}', '$(touch {marker})', '$(shell touch {marker})',
                                     '`touch {marker}`', '8765"; touch {marker}; "', '80'])
def test_port_through_make_is_data_and_refused(hostile, tmp_path):
    """PORT reaches Python through the environment, as MONTH: nothing runs, nothing is built."""
    marker = tmp_path / "marca"
    value = hostile.format(marker=marker)
    env = {k: v for k, v in os.environ.items() if k not in ("MONTH", "PORT", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    env["ANM_REPORTS_DIR"] = str(tmp_path / "reports")
    # -o: the environment taken as up to date (a pyproject.toml edited meanwhile reinstalls nothing)
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.instalado", "-o",
                             "node_modules/reveal.js/dist/reveal.js", "preview", f"MONTH={MES}", f"PORT={value}"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode != 0
    assert f'PORT="{value}" no es un puerto válido: use un número entre 1024 y 65535' in result.stderr
    assert "Traceback" not in result.stderr
    assert not marker.exists() and not (tmp_path / "reports").exists()


def test_the_package_runs_as_the_command():
    """``python -m anm_helpers.preview`` is ``python -m anm_helpers.preview.app``."""
    result = subprocess.run([sys.executable, "-m", "anm_helpers.preview", "--help"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("uso: make preview"), result.stderr


def test_port_in_use_is_said_in_spanish(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {**os.environ, "ANM_REPORTS_DIR": str(tmp_path / "reports"), "PORT": str(port), "TMPDIR": str(tmp_path)}
        result = subprocess.run([sys.executable, "-m", "anm_helpers.preview.app", "--", MES], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert f"ERROR: el puerto {port} ya está en uso" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing built, no temporary file left


# --- the running preview --------------------------------------------------------------

def test_url_is_printed_and_served_on_loopback_only(vista):
    assert vista.url in vista.out  # the URL on its own line
    status, page = vista.get("/")
    assert status == 200 and 'id="anm-vista-previa"' in page and "Reveal.initialize" in page
    assert vista.first["error"] is None
    # the deck file itself has no script of the preview's (it is injected as served)
    deck = vista.reports / ".preview" / MES / f"informe-{MES}.html"
    assert "anm-vista-previa" not in deck.read_text(encoding="utf-8")
    # listening on 127.0.0.1 only
    listening = [line.split()[1] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                 if line.split()[3] == "0A" and int(line.split()[1].split(":")[1], 16) == vista.port]
    assert listening == [f"0100007F:{vista.port:04X}"]
    assert not any(int(line.split()[1].rsplit(":", 1)[1], 16) == vista.port
                   for line in Path("/proc/net/tcp6").read_text().splitlines()[1:] if line.split()[3] == "0A")
    # a page of another site (DNS rebinding) gets nothing
    assert vista.get("/", host=f"evil.example:{vista.port}")[0] == 403
    assert vista.get("/otra-cosa")[0] == 404


def test_params_narrative_edit_reruns_only_the_section_that_reads_it(vista):
    e, log = vista.edit(lambda attempt: _comment(vista, "Fresquisima" + "x" * attempt))
    assert e["error"] is None
    assert "Fresquisima" in vista.get("/")[1]
    assert "solo cambió la narrativa de params (comentarios)" in log
    assert re.findall(r"sección (\S+) ejecutada", log) == ["07_analisis"], log
    # one cached copy per section: those the shortcut copied from the last build are gone once it succeeded
    copies = [p.name.rsplit("-", 1)[0] for p in (vista.reports / ".preview" / ".cache" / MES).glob("*.ipynb")]
    assert sorted(copies) == sorted(set(copies)) and len(copies) >= len(config.section_notebooks()) - 1, copies
    # the context derived without reading the data is the one a full check computes
    caches = list((vista.reports / ".preview" / ".cache" / MES).glob("contexto-*.json"))
    assert len(caches) == 1
    env = {**os.environ, "ANM_DATA_DIR": str(vista.data), "ANM_PARAMS_DIR": str(vista.params)}
    fresh = subprocess.run([sys.executable, "-c", "import json; from anm_helpers.figures.context import build_context; "
                            f"print(json.dumps(build_context('{MES}'), ensure_ascii=False))"],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(caches[0].read_text(encoding="utf-8")) == json.loads(fresh.stdout)


def test_an_edit_of_the_main_points_settings_runs_no_section(vista):
    """«Lo principal del mes» is filled in by the build: hiding a rule or capping the points
    redoes them from the checked figures, with no data read and no section run."""
    import json as json_

    path = vista.params / f"{MES}.yaml"
    good = path.read_text(encoding="utf-8")

    def save(attempt: int) -> None:
        path.write_text(good + f"\npuntos_principales:\n  maximo: {2 + attempt}\n", encoding="utf-8")
    try:
        e, log = vista.edit(save)
        assert e["error"] is None
        assert "solo cambió la narrativa de params (puntos_principales)" in log, log
        assert "ejecutada" not in log, log
        metrics = json_.loads(next((vista.reports / ".preview" / ".cache" / MES).glob("contexto-*.json"))
                              .read_text(encoding="utf-8"))["metricas"]
        shown = metrics["puntos_principales"]
        assert 2 <= len(shown) <= 4
        page = vista.get("/")[1]
        slide = page[page.index("Lo principal del mes"):]
        assert slide.count("<li>") >= len(shown) and shown[0]["texto"] in slide
    finally:
        before = vista.estado()["version"]
        path.write_text(good, encoding="utf-8")
        vista.wait(before)


def test_notebook_edited_in_its_py_is_synced_and_shown_without_running_a_section(vista):
    py = vista.notebooks / "03_presencial.py"

    def save(attempt: int) -> None:
        text = re.sub(r"^# ## Cifras Presencial( revisadas\w*)?", f"# ## Cifras Presencial revisadas{'x' * attempt}",
                      py.read_text(encoding="utf-8"), count=1, flags=re.M)
        py.write_text(text, encoding="utf-8")

    e, log = vista.edit(save)
    assert e["error"] is None and "Cifras Presencial revisadas" in vista.get("/")[1]
    assert "03_presencial.ipynb actualizado desde 03_presencial.py" in log
    assert "ejecutada" not in log, log


@pytest.mark.skipif(not CHROMIUM.exists(), reason="sin /usr/bin/chromium (apt-get install chromium)")
def test_page_reloads_on_the_same_slide(vista):
    pytest.importorskip("playwright")
    from playwright.sync_api import Error, sync_playwright

    from anm_helpers.outputs.pdf import launch

    origin = vista.url.rstrip("/")
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                (origin + "/", "data:")) else route.abort())
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            # the deck's Content-Security-Policy, recomputed as served, lets the script run and poll
            page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
            page.goto(vista.url + "#/5")
            page.wait_for_function("() => window.Reveal && Reveal.isReady()")
            assert page.evaluate("Reveal.getIndices().h") == 5
            page.evaluate("window.__antes = true")
            before = vista.estado()["version"]
            _comment(vista, "Recargadisima")
            vista.wait(before)
            end = time.monotonic() + 300  # a restart of the preview meanwhile would take a cold build
            while True:  # the old document is gone and the new one is laid out
                try:
                    if page.evaluate("() => !window.__antes && !!window.Reveal && Reveal.isReady()"):
                        break
                except Error:  # navigating
                    pass
                assert time.monotonic() < end, "the page did not reload"
                time.sleep(0.05)
            assert page.evaluate("location.hash") == "#/5"
            assert page.evaluate("Reveal.getIndices().h") == 5
            assert "Recargadisima" in page.evaluate("document.querySelector('.reveal .slides').textContent")
            assert errors == []
        finally:
            browser.close()


def _overlay_text(vista) -> str | None:
    """The error the page shows over the deck, as a reader sees it (Chromium), or None."""
    if not CHROMIUM.exists():
        return None
    from playwright.sync_api import sync_playwright

    from anm_helpers.outputs.pdf import launch

    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.goto(vista.url)
            page.wait_for_selector("#anm-vista-previa-error", state="visible", timeout=15000)
            return page.inner_text("#anm-vista-previa-error")
        finally:
            browser.close()


def test_bad_data_is_shown_over_the_page_and_fixed_on_the_next_save(vista):
    path = vista.data / MES / "encuestas.csv"
    good = path.read_bytes()
    lines = good.decode("utf-8").splitlines(keepends=True)
    cells = lines[4].split(",")
    cells[3] = "7"
    lines[4] = ",".join(cells)
    before = vista.estado()["version"]
    path.write_text("".join(lines), encoding="utf-8")
    e = vista.wait(before)
    assert e["error"] and "no es una calificación de 1 a 5" in e["error"] and "encuestas.csv" in e["error"]
    assert vista.proc.poll() is None
    status, page = vista.get("/")
    assert status == 200 and "no es una calificación de 1 a 5" in page  # the page opens with it too
    shown = _overlay_text(vista)
    if shown is not None:
        assert "La vista previa no se pudo actualizar" in shown and "no es una calificación de 1 a 5" in shown
    path.write_bytes(good)
    fixed = vista.wait(e["version"])
    assert fixed["error"] is None
    assert "no es una calificación" not in vista.get("/")[1]


def test_unknown_name_in_params_is_shown_then_fixed(vista):
    path = vista.params / f"{MES}.yaml"
    good = path.read_text(encoding="utf-8")
    assert "{periodo.mes} contiene" in good
    before = vista.estado()["version"]
    path.write_text(good.replace("{periodo.mes} contiene", "{periodo.mesx} contiene", 1), encoding="utf-8")
    e = vista.wait(before)
    assert e["error"] and "periodo.mesx" in e["error"] and "periodo.mes" in e["error"]
    path.write_text(good, encoding="utf-8")
    assert vista.wait(e["version"])["error"] is None


def test_broken_params_file_is_shown_with_its_line_then_fixed(vista):
    """The params review's own message (file, line, rule) on the page, not «error
    inesperado»; the next good save brings the deck back."""
    path = vista.params / f"{MES}.yaml"
    good = path.read_text(encoding="utf-8")
    before = vista.estado()["version"]
    path.write_text(good + "metodo_encuestas: top2\n", encoding="utf-8")
    e = vista.wait(before)
    line = good.count("\n") + 1
    assert e["error"] and f"params/{MES}.yaml, línea {line}" in e["error"] and "repetida" in e["error"], e["error"]
    assert "inesperado" not in e["error"]
    assert f"params/{MES}.yaml, línea {line}" in vista.get("/")[1]  # the page opens with it too
    assert not (vista.reports / ".registros").exists()
    path.write_text(good, encoding="utf-8")
    assert vista.wait(e["version"])["error"] is None


# --- the narrative shortcut, in processes of their own ----------------------------------

def _copies(base: Path) -> Vista:
    for name in ("data", "params", "notebooks"):
        shutil.copytree(ROOT / name, base / name)
    (base / "tmp").mkdir()
    return Vista(base)


def _until(v: Vista, text: str, count: int = 1, timeout: float = 300) -> None:
    """Until the preview has printed ``text`` on ``count`` lines."""
    end = time.monotonic() + timeout
    while sum(text in line for line in list(v.out)) < count:
        assert v.proc.poll() is None, "the preview stopped:\n" + "\n".join(v.out + v.err)
        assert time.monotonic() < end, f"no «{text}»:\n" + "\n".join(v.out + v.err)
        time.sleep(0.02)


def _stop(v: Vista) -> None:
    if v.proc.poll() is None:
        v.proc.send_signal(signal.SIGINT)
        try:
            v.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            v.proc.kill()


def _narrative_only(log: str) -> None:
    assert "solo cambió la narrativa de params (comentarios)" in log, log
    assert "datos verificados" not in log, log
    assert re.findall(r"sección (\S+) ejecutada", log) == ["07_analisis"], log


@pytest.mark.larga
def test_params_saved_while_the_first_build_runs_keep_the_narrative_shortcut(tmp_path):
    """Params saved after the first build read them and before it ends: that build's
    context is still the base of the next one (it holds the params it was made from),
    so the edit takes the narrative path instead of a data check and every section."""
    v = _copies(tmp_path)
    v.start()
    try:
        _until(v, "datos verificados")  # the first build has read the params: this save is not in it
        _comment(v, "Temprana")
        _until(v, "vista previa actualizada", count=2)
        time.sleep(0.2)
        log = "\n".join(v.out)
        _narrative_only(log[log.index("Cambio: params/"):])
        assert "Temprana" in v.get("/")[1]
    finally:
        _stop(v)


@pytest.mark.larga
def test_a_failed_narrative_build_leaves_the_published_context_for_the_next_preview(tmp_path):
    """A narrative edit whose build fails (an unknown name) does not take away the
    context of the deck still published: the preview started again once the text is
    put back finds the deck up to date, and its first narrative edit is narrative-only."""
    v = _copies(tmp_path)
    path = v.params / f"{MES}.yaml"
    good = path.read_text(encoding="utf-8")
    v.start()
    try:
        e = v.wait(0, timeout=400)
        path.write_text(good.replace("{periodo.mes} contiene", "{periodo.mesx} contiene", 1), encoding="utf-8")
        assert "periodo.mesx" in v.wait(e["version"])["error"]
    finally:
        _stop(v)
    path.write_text(good, encoding="utf-8")  # the analyst undoes it while the preview is stopped
    v = Vista(tmp_path)
    v.start()
    try:
        v.wait(0, timeout=400)
        assert "  · sin cambios: la página ya muestra esta versión" in v.out
        e, log = v.edit(lambda attempt: _comment(v, "Reanudada" + "x" * attempt))
        assert e["error"] is None and "Reanudada" in v.get("/")[1]
        _narrative_only(log)
    finally:
        _stop(v)


def test_published_report_and_make_reports_caches_are_never_written(vista):
    assert (vista.reports / ".preview" / MES / f"informe-{MES}.html").exists()
    assert not (vista.reports / MES).exists()
    assert not (vista.reports / ".cache").exists()
    assert sorted(p.name for p in (vista.reports / ".preview" / MES).iterdir()) == \
        [".huella", "construccion.log", f"informe-{MES}.html", "metrics.json", "notebooks"]


def _processes_using(folder: Path) -> list[int]:
    """Processes whose environment names ``folder`` (the preview's workers and kernels inherit TMPDIR)."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if str(folder).encode() in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                continue
    return found


def test_ctrl_c_stops_everything_and_leaves_no_temporary_file(vista):
    assert _processes_using(vista.tmp)  # workers and kernels are running
    start = time.monotonic()
    vista.proc.send_signal(signal.SIGINT)
    vista.proc.wait(timeout=60)
    assert vista.proc.returncode == 130
    assert time.monotonic() - start < 20  # a few seconds (generous: the machine is shared)
    time.sleep(0.5)
    assert list(vista.tmp.iterdir()) == []
    assert not list(Path("/tmp").glob(f"anm-informe-{vista.proc.pid}-*"))
    assert _processes_using(vista.tmp) == []
    assert "Traceback" not in "\n".join(vista.err)
    assert "Vista previa detenida." in vista.err
