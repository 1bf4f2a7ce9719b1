"""`make bench`, scenarios j–m: `make preview`, timed from the save to the reloaded page.

One preview process (copies of data/, params/ and notebooks/ in the benchmark's
folder, a free port) serves 2024-03; Debian's Chromium (Playwright, never a
browser of its own) holds the page open on slide #/5. Each round saves four
edits, one after the other, and times each from just before the file is written
to the moment the page has reloaded (a new document, reveal.js ready) and shows
the edit:

  j  params narrative   a word added to comentarios.satisfaccion (target ≤ 1 s)
  k  notebook markdown  a heading of notebooks/03_presencial.py (synced to the
                        .ipynb by the preview itself; target ≤ 3 s)
  l  notebook code      a label in a helper call of notebooks/02_canales.py (one
                        section re-executed on a warm kernel; target ≤ 3 s)
  m  data               a row added to comunicaciones.csv (every section
                        re-executed; target ≤ the cold build, b)

Without Chromium, the time is to the new version in /__estado plus fetching the
page that shows the edit (said in the notes).
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
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MES = "2024-03"
SLIDE = 5
KINDS = (("j", "preview: params narrative edit → reloaded page"),
         ("k", "preview: notebook markdown edit (.py) → reloaded page"),
         ("l", "preview: notebook code edit → reloaded page"),
         ("m", "preview: data file edit → reloaded page"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _word(n: int, kind: str) -> str:
    """A marker with no digits (narrative may not type numbers)."""
    return f"{kind}marca" + "abcdefghijklmnopqrstuvwxyz"[n % 26] * (1 + n // 26)


class _Preview:
    def __init__(self, work: Path):
        self.work = work
        for name in ("data", "params", "notebooks"):
            shutil.copytree(ROOT / name, work / name)
        (work / "tmp").mkdir()
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "ANM_DATA_DIR": str(work / "data"), "ANM_PARAMS_DIR": str(work / "params"),
               "ANM_NOTEBOOKS_DIR": str(work / "notebooks"), "ANM_REPORTS_DIR": str(work / "reports"),
               "TMPDIR": str(work / "tmp"), "PORT": str(self.port)}
        for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"):
            env.pop(name, None)
        self.lines: list[str] = []
        self.proc = subprocess.Popen([sys.executable, "-m", "anm_helpers.preview.app", "--", MES], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        threading.Thread(target=lambda: [self.lines.append(x.rstrip("\n")) for x in self.proc.stdout],
                         daemon=True).start()

    def estado(self, timeout: float = 300) -> dict:
        """The preview's state (it may be restarting: a change to the program's code)."""
        end = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + "__estado", timeout=10) as r:
                    return json.load(r)
            except OSError:
                if time.monotonic() > end or self.proc.poll() is not None:
                    raise
                time.sleep(0.05)

    def page(self) -> str:
        with urllib.request.urlopen(self.url, timeout=10) as r:
            return r.read().decode("utf-8")

    def wait_version(self, after: int, timeout: float = 600) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise SystemExit("make preview se detuvo:\n" + "\n".join(self.lines))
            e = self.estado()
            if e["version"] and e["version"] != after and not e["construyendo"]:
                if e["error"]:
                    raise SystemExit(f"make preview mostró un error:\n{e['error']}")
                return e
            time.sleep(0.01)
        raise SystemExit("make preview no publicó una versión nueva:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def _edit(work: Path, kind: str, n: int) -> str | None:
    """Save one edit of ``kind``; the word the page must then show (None: a figure changes)."""
    word = _word(n, kind)
    if kind == "j":
        path = work / "params" / f"{MES}.yaml"
        text = re.sub(r"contiene una muestra( \w+marca\w*)? que", f"contiene una muestra {word} que",
                      path.read_text(encoding="utf-8"), count=1)
    elif kind == "k":
        path = work / "notebooks" / "03_presencial.py"
        text = re.sub(r"^(# ## Cifras Presencial)( · .*)?$", rf"\1 · {word}",
                      path.read_text(encoding="utf-8"), count=1, flags=re.M)
    elif kind == "l":
        path = work / "notebooks" / "02_canales.py"
        text = re.sub(r'"Canal Virtual( \w+)?"', f'"Canal Virtual {word}"', path.read_text(encoding="utf-8"),
                      count=1)
    else:
        with open(work / "data" / MES / "comunicaciones.csv", "a", encoding="utf-8") as fh:
            fh.write(f"CO-VISTA-{n:04d},{MES}-16 10:00,correo_contacto,entrada\n")
        return None
    if text == path.read_text(encoding="utf-8"):  # the text it edits is gone: say so, time nothing
        raise RuntimeError(f"escenario {kind}: {path.name} ya no tiene el texto que el benchmark edita")
    path.write_text(text, encoding="utf-8")
    return word


class _Browser:
    """The page open in Chromium on slide #/SLIDE."""

    def __init__(self, url: str):
        from playwright.sync_api import sync_playwright

        from anm_helpers.outputs.pdf import launch

        self.pw = sync_playwright().start()
        self.browser = launch(self.pw)
        self.page = self.browser.new_page(viewport={"width": 1280, "height": 720})
        origin = url.rstrip("/")
        self.page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            (origin + "/", "data:")) else route.abort())
        self.page.goto(f"{url}#/{SLIDE}")
        self.page.wait_for_function("() => window.Reveal && Reveal.isReady()")

    def arm(self) -> None:
        self.page.evaluate("window.__antes = true")

    def reloaded(self, word: str | None) -> bool:
        from playwright.sync_api import Error

        try:
            return self.page.evaluate(
                "(w) => !window.__antes && !!window.Reveal && Reveal.isReady() && "
                "(!w || document.querySelector('.reveal .slides').textContent.includes(w))", word or "")
        except Error:  # navigating
            return False

    def slide(self) -> int:
        return self.page.evaluate("Reveal.getIndices().h")

    def close(self) -> None:
        self.browser.close()
        self.pw.stop()


def _peak_mib(pid: int) -> int:
    """The preview process's peak resident memory (its workers and kernels are apart)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _executed(text: str) -> int:
    return len(re.findall(r"sección \S+ ejecutada", text))


def bench_preview(work: Path, repeat: int, scenario) -> list:
    """Scenarios j–m (``scenario(key, name)`` makes one)."""
    from anm_helpers.outputs.pdf import chromium

    s = {k: scenario(k, name) for k, name in KINDS}
    print("· make preview: primera construcción…", flush=True)
    preview = _Preview(work)
    browser = None
    try:
        preview.wait_version(0)
        use_browser = chromium() is not None
        if use_browser:
            try:
                browser = _Browser(preview.url)
            except Exception as exc:  # no Playwright: times to the served page
                print(f"  (sin navegador: {exc})", flush=True)
        where = f"página recargada en Chromium, #/{SLIDE}" if browser else "versión nueva y página servida (sin Chromium)"
        stayed = True
        n = 0
        for i in range(repeat):
            print(f"· make preview, ronda {i + 1}/{repeat}", flush=True)
            for key, _ in KINDS:
                n += 1
                before = preview.estado()["version"]
                mark = len(preview.lines)
                if browser:
                    browser.arm()
                t = time.perf_counter()
                word = _edit(preview.work, key, n)
                if browser:
                    end = time.monotonic() + 600
                    while not browser.reloaded(word):
                        if time.monotonic() > end or preview.proc.poll() is not None:
                            raise SystemExit("la página no se recargó:\n" + "\n".join(preview.lines[mark:]))
                        time.sleep(0.01)
                    seconds = time.perf_counter() - t
                    stayed = stayed and browser.slide() == SLIDE
                else:
                    preview.wait_version(before)
                    if word:
                        assert word in preview.page()
                    seconds = time.perf_counter() - t
                time.sleep(0.3)  # the build's last lines
                out = "\n".join(preview.lines[mark:])
                restarted = "se reinicia" in out
                s[key].add(seconds, _peak_mib(preview.proc.pid))
                s[key].note = (f"{_executed(out)} sección(es) re-ejecutada(s); {where}"
                               f"{'' if stayed else '; SALTÓ DE DIAPOSITIVA'}"
                               f"{'; la vista previa se reinició (cambió el código)' if restarted else ''}")
        return list(s.values())
    finally:
        if browser:
            browser.close()
        preview.stop()
