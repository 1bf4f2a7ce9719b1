"""Live preview of a month's deck: ``make preview MONTH=2024-03 [PORT=8765]``
(``python -m anm_helpers.preview.app -- 2024-03``, the port from ``PORT``).

- Builds the deck alone (``build.build(..., solo_html=True)``) into
  ``reports/.preview/<MES>/``, with caches and a lock of its own: the published
  ``reports/<MES>/`` and ``make report``'s caches are never written. The PDF, the
  PowerPoint and the open data stay ``make report``'s.
- Serves it at ``http://127.0.0.1:PORT/`` (loopback only; a request naming another
  host is refused), with a small script injected as the page is served (the deck
  file is not changed): it asks ``/__estado`` (``{"version", "error",
  "construyendo"}``, answered as soon as that changes: a long poll) and reloads the
  page on a new version, keeping the URL's ``#/N`` (reveal.js has ``hash: true``), so
  the analyst stays on the same slide. A build error (bad data, an unknown
  ``{nombre}``, a failing section) is shown over the last good deck, in Spanish; the
  next good save removes it.
- Watches ``params/<MES>.yaml``, the section notebooks (``.py`` and ``.ipynb``), the
  month's data folder (and those of the months its figures compare with), the
  shared data files and the templates, and rebuilds on each saved change: each
  pair is synced first (``sync_pairs``), and only what changed is redone (the
  build's caches): a markdown edit re-executes nothing, a code edit one section,
  on the worker processes' warm kernels, which live as long as the preview.
- A narrative-only edit of params (``comentarios``, ``entregas_valor``) does not
  read the data again nor re-execute every section: the month's context is the
  last one with the new params (``_narrativa``), and a section is re-executed only
  if its last execution read the texts that changed. What a section reads of the
  params is recorded as it runs (``execute_tracked``: the kernel's copy of the
  params records every key read; a section whose reads cannot be known counts as
  reading everything), so a section's cached outputs are reused for new texts only
  when they cannot depend on them.
- A change to a template restarts the kernels (they keep the templates they
  loaded); a change to the program's own code restarts the whole preview (the
  running one would build with the old code).

Ctrl-C stops everything (server, workers, kernels) and removes every temporary
file (``cli.run(..., scratch=True)``).
"""
from __future__ import annotations

import ast
import copy
import hashlib
import html
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
import urllib.parse
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import InformeError, PuertoInvalido, ReinicioVistaPrevia

PUERTO = 8765
#: the params keys that hold narrative only (texts, not figures nor method)
NARRATIVA = ("comentarios", "entregas_valor")
#: the page asks for the preview's state and the server answers as soon as it changes, or
#: after this many seconds (a long poll: no polling delay between a build and the reload)
ESPERA_MAX = 20
ESTADO_URL = "/__estado"
#: what counts as the program's code and templates (as ``fingerprint.code_fingerprint``)
CODIGO = (".py", ".j2", ".css", ".json", ".yaml")
NOTEBOOK_RE = re.compile(config.SECTION_NAME)


def puerto(valor: str | None) -> int:
    """PORT as given in the environment: empty means the default; else an integer 1024–65535."""
    valor = (valor or "").strip()
    if not valor:
        return PUERTO
    if not re.fullmatch(r"[0-9]{1,5}", valor) or not 1024 <= int(valor) <= 65535:
        raise PuertoInvalido(f'PORT="{valor}" no es un puerto válido: use un número entre 1024 y 65535 '
                             f"(por ejemplo PORT={PUERTO})")
    return int(valor)


# --- the page: the deck with the live-reload and error script --------------------------

SCRIPT = """<script id="anm-vista-previa">
/* make preview: reload on a new version (the URL's #/N keeps the slide), show a build error. */
(function () {
  var estado = __ESTADO__;
  var visto = estado.version, construyendo = estado.construyendo;
  function caja(id, css) {
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement("div");
      el.id = id;
      el.style.cssText = css;
      document.body.appendChild(el);
    }
    return el;
  }
  function quitar(id) {
    var el = document.getElementById(id);
    if (el) { el.parentNode.removeChild(el); }
  }
  function mostrar(e) {
    if (e.error) {
      var fondo = caja("anm-vista-previa-error", "position:fixed;inset:0;z-index:2147483647;" +
        "background:rgba(11,61,110,.88);display:flex;align-items:center;justify-content:center;" +
        "font:16px/1.45 'Source Sans Pro',Helvetica,Arial,sans-serif;");
      fondo.setAttribute("role", "alert");
      fondo.textContent = "";
      var panel = document.createElement("div");
      panel.style.cssText = "background:#fff;color:#1a1a1a;max-width:min(1100px,92vw);max-height:86vh;" +
        "overflow:auto;padding:24px 28px;border-radius:6px;border-top:6px solid #B3261E;" +
        "box-shadow:0 8px 30px rgba(0,0,0,.35);text-align:left;";
      var titulo = document.createElement("h2");
      titulo.style.cssText = "margin:0 0 12px;font-size:22px;color:#B3261E;";
      titulo.textContent = "La vista previa no se pudo actualizar";
      var texto = document.createElement("pre");
      texto.className = "anm-vista-previa-mensaje";
      texto.style.cssText = "white-space:pre-wrap;word-break:break-word;margin:0 0 14px;" +
        "font:15px/1.45 'Source Sans Pro',Helvetica,Arial,sans-serif;";
      texto.textContent = e.error;
      var nota = document.createElement("p");
      nota.style.cssText = "margin:0;color:#555;font-size:14px;";
      nota.textContent = "Corrija el problema y guarde el archivo: la vista previa se actualiza sola. " +
        "Detrás de este aviso queda la última versión que se construyó bien.";
      panel.appendChild(titulo);
      panel.appendChild(texto);
      panel.appendChild(nota);
      fondo.appendChild(panel);
    } else {
      quitar("anm-vista-previa-error");
    }
    if (e.construyendo || e.desconectado) {
      var aviso = caja("anm-vista-previa-aviso", "position:fixed;top:8px;right:8px;z-index:2147483647;" +
        "background:#0B3D6E;color:#fff;padding:4px 10px;border-radius:4px;" +
        "font:13px 'Source Sans Pro',Helvetica,Arial,sans-serif;");
      aviso.textContent = e.desconectado ? "Sin conexión con la vista previa (¿se detuvo?)" : "Actualizando…";
    } else {
      quitar("anm-vista-previa-aviso");
    }
  }
  function consultar() {
    /* answered when the state differs from what this page knows (or after a while) */
    fetch("__URL__?desde=" + encodeURIComponent(visto) + "&construyendo=" + (construyendo ? 1 : 0),
          {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (e) {
      if (e.version !== visto && !e.error) {
        location.reload();  /* the same URL, #/N included: reveal.js opens that slide */
        return;
      }
      visto = e.version;
      construyendo = e.construyendo;
      mostrar(e);
      setTimeout(consultar, 50);
    }).catch(function () {
      mostrar({error: null, desconectado: true});
      setTimeout(consultar, 1000);
    });
  }
  function empezar() { mostrar(estado); consultar(); }
  if (document.body) { empezar(); } else { document.addEventListener("DOMContentLoaded", empezar); }
})();
</script>
"""

ESPERA = """<!DOCTYPE html>
<html lang="es-CO">
<head><meta charset="utf-8" /><title>Vista previa · {mes}</title></head>
<body style="font:18px/1.5 'Source Sans Pro',Helvetica,Arial,sans-serif;color:#0B3D6E;padding:40px;">
<p>Construyendo la vista previa del informe de {mes}… la página se actualiza sola.</p>
</body>
</html>
"""


def inyectar(pagina: str, estado: dict) -> str:
    """The page with the preview's script before ``</body>`` (at the end when there is none)."""
    datos = json.dumps(estado, ensure_ascii=False).replace("</", "<\\/")
    script = SCRIPT.replace("__ESTADO__", datos).replace("__URL__", ESTADO_URL)
    fin = pagina.lower().rfind("</body>")
    return pagina + script if fin < 0 else pagina[:fin] + script + pagina[fin:]


class Estado:
    """What the page polls: the version shown (a new one after every build, good or
    failed; unique across restarts of the preview), the last build's error, and
    whether a build is running."""

    def __init__(self):
        self._cambio = threading.Condition()
        self.version, self.error, self.construyendo = 0, None, False
        self.cerrado = False

    def publicar(self, error: str | None) -> None:
        with self._cambio:
            self.version = max(self.version + 1, int(time.time() * 1000))
            self.error, self.construyendo = error, False
            self._cambio.notify_all()

    def empezar(self) -> None:
        self._set(construyendo=True)

    def terminar(self) -> None:
        self._set(construyendo=False)

    def cerrar(self) -> None:
        """Answer every waiting page now (the preview stops)."""
        self._set(cerrado=True)

    def _set(self, **values) -> None:
        with self._cambio:
            for name, value in values.items():
                setattr(self, name, value)
            self._cambio.notify_all()

    def como_dict(self) -> dict:
        with self._cambio:
            return {"version": self.version, "error": self.error, "construyendo": self.construyendo}

    def esperar(self, version: int, construyendo: bool, segundos: float = ESPERA_MAX) -> dict:
        """The state once it differs from what the page knows (or after ``segundos``)."""
        with self._cambio:
            self._cambio.wait_for(lambda: self.cerrado or self.version != version
                                  or self.construyendo != construyendo, timeout=segundos)
        return self.como_dict()


def servidor(mes: str, port: int, deck: Path, estado: Estado) -> ThreadingHTTPServer:
    """The local server: the deck (with the script) at ``/``, the state at ``/__estado``;
    bound to 127.0.0.1, and answering only requests addressed to this machine by name."""
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}

    class Handler(BaseHTTPRequestHandler):
        server_version = "anm-vista-previa"
        sys_version = ""

        def log_message(self, *args) -> None:  # the terminal is for the build's lines
            pass

        def _send(self, code: int, body: bytes, kind: str) -> None:
            try:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the page went away (a reload) while it waited
                pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            if self.headers.get("Host", "") not in hosts:  # another site's page (DNS rebinding)
                return self._send(403, "Solo se atiende a este equipo (127.0.0.1).".encode(),
                                  "text/plain; charset=utf-8")
            url = urllib.parse.urlsplit(self.path)
            path = url.path
            if path == ESTADO_URL:
                query = urllib.parse.parse_qs(url.query)
                try:  # the page's version: answer once the state differs from it
                    actual = estado.esperar(int(query["desde"][0]), query.get("construyendo") == ["1"])
                except (KeyError, ValueError):
                    actual = estado.como_dict()
                return self._send(200, json.dumps(actual, ensure_ascii=False).encode(),
                                  "application/json; charset=utf-8")
            if path in ("/", "/index.html", f"/{deck.name}"):
                try:
                    pagina = deck.read_text(encoding="utf-8")
                except OSError:
                    pagina = ESPERA.format(mes=html.escape(mes))
                return self._send(200, inyectar(pagina, estado.como_dict()).encode("utf-8"),
                                  "text/html; charset=utf-8")
            self._send(404, "No existe.".encode(), "text/plain; charset=utf-8")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server


# --- what a section reads of the params, recorded in its kernel ----------------------

#: run once in each kernel: ``anm_helpers.slides.seccion`` reads the build's context through a
#: ``json`` whose ``loads`` hands out the params as a dict that records each key read (any
#: access to the whole, such as iterating or copying it, counts as reading every key)
RASTREO = r'''
import sys as _s
if "anm_lecturas" not in _s.modules:
    import json as _json, types as _types
    import anm_helpers.slides.seccion as _seccion
    _m = _types.ModuleType("anm_lecturas")
    _m.leidas, _m.abiertos = set(), 0
    class _Params(dict):
        def __getitem__(self, k):
            _m.leidas.add(k)
            return dict.__getitem__(self, k)
        def get(self, k, d=None):
            _m.leidas.add(k)
            return dict.get(self, k, d)
        def __contains__(self, k):
            _m.leidas.add(k)
            return dict.__contains__(self, k)
    def _todo(nombre):
        def f(self, *a, **kw):
            _m.leidas.add("*")
            return getattr(dict, nombre)(self, *a, **kw)
        return f
    for _n in ("__iter__", "__len__", "__reversed__", "keys", "values", "items", "copy", "__reduce__",
               "__reduce_ex__", "__eq__", "__ne__", "__repr__", "__str__", "__format__", "__or__", "__ror__",
               "__ior__", "pop", "popitem", "setdefault", "update", "__setitem__", "__delitem__", "clear"):
        setattr(_Params, _n, _todo(_n))
    class _Json:
        def __getattr__(self, nombre):
            return getattr(_json, nombre)
        def loads(self, s, *a, **kw):
            d = _json.loads(s, *a, **kw)
            if isinstance(d, dict) and isinstance(d.get("params"), dict):
                d["params"] = _Params(d["params"])
                _m.abiertos += 1
            return d
        def load(self, fp, *a, **kw):
            return self.loads(fp.read(), *a, **kw)
    _seccion.json = _Json()
    _s.modules["anm_lecturas"] = _m
'''
#: after a section: how many contexts it opened and the params keys read; then reset
LECTURAS = ('(lambda m: (__import__("json").dumps([m.abiertos, sorted(m.leidas)]), m.leidas.clear(), '
            'setattr(m, "abiertos", 0))[0])(__import__("sys").modules["anm_lecturas"])')

_rastreo_instalado = False  # in each worker process


def _en_kernel(km, codigo: str, expresion: str | None = None):
    """Run ``codigo`` silently in the kernel; the value of ``expresion`` (a string), or None."""
    kc = km.client()
    kc.start_channels()
    try:
        reply = kc.execute_interactive(codigo, silent=True, store_history=False, timeout=60,
                                       user_expressions={"r": expresion} if expresion else None,
                                       output_hook=lambda msg: None)
    finally:
        kc.stop_channels()
    content = reply.get("content", {})
    if content.get("status") != "ok" or not expresion:
        return None
    result = content.get("user_expressions", {}).get("r", {})
    if result.get("status") != "ok":
        return None
    return ast.literal_eval(result["data"]["text/plain"])


def execute_tracked(path: Path, target: Path, mes: str, contexto: Path):
    """``runner.execute`` on this worker's kernel, and which params keys the section
    read: ``(seconds, keys)``, keys None when they cannot be known."""
    global _rastreo_instalado
    from anm_helpers.build import runner

    km = runner._kernel
    if km is None:
        return runner.execute(path, target, mes, contexto), None
    try:
        if not _rastreo_instalado:
            _en_kernel(km, RASTREO)
            _rastreo_instalado = True
    except Exception:  # without the record the section counts as reading every key
        km = None
    seconds = runner.execute(path, target, mes, contexto)
    if km is None:
        return seconds, None
    try:
        abiertos, leidas = json.loads(_en_kernel(km, "", LECTURAS))
    except Exception:  # not recorded (a new kernel?): installed again before the next section
        _rastreo_instalado = False
        return seconds, None
    # a section that opened no context through the helpers read it some other way
    return seconds, (leidas if abiertos else None)


def reads_context_itself(notebook: Path) -> bool:
    """The notebook's code uses ``contexto`` beyond ``abrir(mes, contexto)``: what it
    reads of it cannot be recorded."""
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" not in cell.metadata.get("tags", []):
            if "contexto" in re.sub(r"abrir\(\s*mes\s*,\s*contexto\s*\)", "", cell.source):
                return True
    return False


class TrackingPool:
    """The warm worker pool as the build sees it (``submit``): each section runs
    through ``execute_tracked``, and what it read of the params is kept with the
    cache key of that execution (``lecturas``: stem -> (key, keys read or None))."""

    def __init__(self, pool, mes: str, lecturas: dict):
        from anm_helpers.build import runner
        from anm_helpers.core.fingerprint import code_fingerprint

        self.pool, self.mes, self.lecturas = pool, mes, lecturas
        self.execute, self.code = runner.execute, code_fingerprint()

    def submit(self, fn, *args):
        if fn is not self.execute:
            return self.pool.submit(fn, *args)
        path, _, _, contexto = args
        key = self._key(Path(path), Path(contexto))  # before it runs: the notebook it runs
        outer: Future = Future()
        inner = self.pool.submit(execute_tracked, *args)

        def done(f) -> None:
            if f.cancelled():  # Ctrl-C: the pool is shutting down
                outer.cancel()
                return
            exc = f.exception()
            if exc is not None:
                outer.set_exception(exc)
                return
            seconds, leidas = f.result()
            try:
                if leidas is not None and reads_context_itself(Path(path)):
                    leidas = None
            except Exception:  # the notebook changed meanwhile: not known
                leidas = None
            self.lecturas[Path(path).stem] = (key, None if leidas is None else sorted(leidas))
            outer.set_result(seconds)

        inner.add_done_callback(done)
        return outer

    def _key(self, path: Path, contexto: Path) -> str:
        from anm_helpers.core.cache import SectionCache

        return SectionCache(self.mes, contexto.read_bytes(), self.code).key(path)


# --- the preview -------------------------------------------------------------------

class _CompiledTemplates:
    """A Jinja bytecode cache in memory for nbconvert's templates, in the preview's
    process only: the deck's exporter is made anew for every deck (``deck.export``)
    and would compile the same templates each time (a third of a rebuild's merge).
    Each template is still read from disk every time and its compiled form is used
    only while its text is the same (Jinja's checksum), so a template edit is seen;
    the deck written is byte for byte the same."""

    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        import jinja2
        from nbconvert.exporters import templateexporter

        class Memory(jinja2.BytecodeCache):
            def __init__(self):
                self.compiled: dict[str, tuple[str, object]] = {}

            def load_bytecode(self, bucket) -> None:
                found = self.compiled.get(bucket.key)
                if found is not None and found[0] == bucket.checksum:
                    bucket.code = found[1]

            def dump_bytecode(self, bucket) -> None:
                self.compiled[bucket.key] = (bucket.checksum, bucket.code)

        memory = Memory()
        create = templateexporter.TemplateExporter._create_environment

        def _create_environment(self):
            env = create(self)
            env.bytecode_cache = memory
            return env

        templateexporter.TemplateExporter._create_environment = _create_environment
        cls.installed = True


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _huellas_codigo() -> tuple[str, str]:
    """The program's Python code, and its other files (templates, styles, data)."""
    py, otros = hashlib.sha256(), hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in CODIGO and "__pycache__" not in path.parts:
            h = py if path.suffix == ".py" else otros
            h.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
            h.update(path.read_bytes())
    return py.hexdigest(), otros.hexdigest()


def _pendientes(mes: str, params: dict) -> list[str]:
    """The draft lines the params alone cause («POR COMPLETAR», empty figures)."""
    from types import SimpleNamespace

    from anm_helpers.figures.quality import borrador

    return borrador(SimpleNamespace(mes=mes, actual=SimpleNamespace(faltantes=[], archivos=[])), params)


def _mostrar(path: Path) -> str:
    for base in (config.PROJ_ROOT, config.DATA_DIR.parent, config.PARAMS_DIR.parent,
                 config.NOTEBOOKS_DIR.parent):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


def _inesperado(exc: BaseException) -> str:
    """An error nobody foresaw: one short message and where its traceback went."""
    import datetime as dt
    import traceback

    from anm_helpers.core.cli import _shown, write_error_log

    log = write_error_log(f"make preview\n{dt.datetime.now().isoformat()}\n\n" + "".join(
        traceback.format_exception(type(exc), exc, exc.__traceback__)))
    where = (f"el detalle técnico quedó en {_shown(log)}: envíelo al equipo que mantiene el informe"
             if log else f"no se pudo guardar el detalle técnico ({type(exc).__name__})")
    return f"error inesperado del programa, no de sus datos; {where}. La vista previa sigue en marcha."


def _segundos(s: float) -> str:
    return f"{s:.1f}".replace(".", ",")


class Preview:
    """One month's preview: the warm pool, the server's state, the watcher."""

    def __init__(self, mes: str, port: int, out=None, err=None):
        from anm_helpers.build.report import preview_dir
        from anm_helpers.outputs import registry

        self.mes, self.port, self.out, self.err = mes, port, out or sys.stdout, err or sys.stderr
        self.url = f"http://127.0.0.1:{port}/"
        self.estado = Estado()
        self.deck = preview_dir(mes) / registry.archivo("html", mes)
        self.pool = None
        self.server = None
        self.ctx = None  # the context of the last good build, and what it was made from
        self.code = self.datos = self.ctx_cache = None
        self.py, self.otros = _huellas_codigo()
        self.vistos: dict[Path, str | None] = {}
        self.lecturas: dict[str, tuple] = {}

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    # --- lifecycle ---------------------------------------------------------------
    def start(self) -> None:
        import errno

        try:
            self.server = servidor(self.mes, self.port, self.deck, self.estado)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PuertoInvalido(
                    f"el puerto {self.port} ya está en uso (¿otra vista previa abierta?): use otro, por ejemplo "
                    f"make preview MONTH={self.mes} PORT={self.port + 1 if self.port < 65535 else 8766}") from None
            raise
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        self.say(f"Vista previa de {self.mes}: ábrala en el navegador (se actualiza sola al guardar; Ctrl-C para "
                 "terminar)")
        self.say(self.url)
        self._abrir_navegador()
        self._start_pool()
        self._cargar_lecturas()
        _CompiledTemplates.install()

    def _abrir_navegador(self) -> None:
        """Only where a graphical session is at hand, and never a text-mode browser."""
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return
        import webbrowser

        def abrir() -> None:
            try:
                browser = webbrowser.get()
                if type(browser) is not webbrowser.GenericBrowser:
                    browser.open(self.url)
            except Exception:  # no browser: the URL is printed
                pass

        threading.Thread(target=abrir, daemon=True).start()

    def _start_pool(self) -> None:
        from anm_helpers.build import runner
        from anm_helpers.build.report import PreviewReports, kernels_log, sections

        with PreviewReports():
            log = kernels_log()
        self.pool = runner.pool(max(1, min(len(sections()) or 1, os.cpu_count() or 1)), log)

    def _restart_pool(self) -> None:
        """Fresh kernels: the running ones keep the templates they already loaded."""
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        elements = sys.modules.get("anm_helpers.slides.elements")
        if elements is not None:
            elements.macros.cache_clear()
        self._start_pool()

    def close(self) -> None:
        self.estado.cerrar()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    # --- watching ----------------------------------------------------------------
    def roots(self) -> list[Path]:
        roots = [config.PARAMS_DIR, config.NOTEBOOKS_DIR, config.DATA_DIR, config.PACKAGE_DIR]
        return [p for p in roots if p.is_dir()]

    def watched(self, path: Path) -> bool:
        """A file the month's deck is made from (editors' temporary files aside)."""
        from anm_helpers.core.fingerprint import months_for

        name = path.name
        if name.startswith((".", "~")) or name.endswith(("~", ".swp", ".tmp")):
            return False
        if path == config.params_file(self.mes):
            return True
        if path.parent == config.NOTEBOOKS_DIR:
            return bool(NOTEBOOK_RE.match(name))
        if path.parent == config.DATA_DIR:
            return name in (config.PUNTOS_FILE, config.HISTORICO_FILE, config.FUENTES_FILE)
        if path.is_relative_to(config.DATA_DIR):
            parts = path.relative_to(config.DATA_DIR).parts
            return len(parts) >= 2 and parts[0] in months_for(self.mes)
        if path.is_relative_to(config.PACKAGE_DIR):
            return path.suffix in CODIGO and "__pycache__" not in path.parts
        return False

    def changed(self, changes) -> list[Path]:
        """The watched files whose content is not what the preview last saw."""
        out = []
        for _, name in changes:
            path = Path(name)
            if self.watched(path):
                sha = _sha(path)
                if path not in self.vistos or self.vistos[path] != sha:
                    self.vistos[path] = sha
                    out.append(path)
        return sorted(set(out))

    def _remember_notebooks(self) -> None:
        """The notebooks as they are now (the sync may have written them): not a change."""
        for path in config.NOTEBOOKS_DIR.glob(config.SECTION_GLOB):
            if NOTEBOOK_RE.match(path.name):
                self.vistos[path] = _sha(path)

    def run(self) -> None:
        """The first build, then one per saved change, until Ctrl-C. The watcher starts
        before the first build: a file saved meanwhile is built next."""
        import watchfiles

        first = True
        for changes in watchfiles.watch(*self.roots(), debounce=400, step=30, rust_timeout=250,
                                        yield_on_timeout=True, raise_interrupt=True):
            if first:
                first = False
                self.rebuild(first=True)
                continue
            paths = self.changed(changes)
            if paths:
                self.say("Cambio: " + ", ".join(_mostrar(p) for p in paths))
                self.rebuild()

    # --- building ----------------------------------------------------------------
    def rebuild(self, first: bool = False) -> None:
        """Build what changed; its outcome becomes the page's state. Errors are shown, not raised."""
        from anm_helpers.core.cli import os_message

        self.estado.empezar()
        t = time.perf_counter()
        try:
            built = self._build()
        except InformeError as exc:
            self._fallo(str(exc))
        except OSError as exc:
            self._fallo(os_message(exc))
        except Exception as exc:  # a bug: a short message and the log's path, as every command
            self._fallo(_inesperado(exc))
        else:
            if built or first or self.estado.error:
                self.estado.publicar(None)
                self.say(f"  ✓ vista previa actualizada ({_segundos(time.perf_counter() - t)} s): {self.url}")
            else:
                self.estado.terminar()
        finally:
            self._remember_notebooks()

    def _fallo(self, message: str) -> None:
        self.estado.publicar(message)
        print(f"ERROR: {message}", file=self.err, flush=True)
        self.say("  ✗ la página muestra el error; corrija y guarde (la vista previa sigue en marcha)")

    def _build(self) -> bool:
        from anm_helpers.build.freshness import build_fingerprint, up_to_date
        from anm_helpers.build.report import PREVIEW_OUTPUTS, PreviewReports, build
        from anm_helpers.core.cache import context_cache_path
        from anm_helpers.core.fingerprint import code_fingerprint
        from anm_helpers.inputs.sync import sync_pairs

        py, otros = _huellas_codigo()
        if py != self.py:
            raise ReinicioVistaPrevia
        if otros != self.otros:
            self.say("  · cambió una plantilla: se reinician los kernels")
            self._restart_pool()
            self.otros = otros
        with PreviewReports():
            for line in sync_pairs():  # a .py edited outside JupyterLab counts
                self.say(f"  · {line}")
            if up_to_date(self.mes, build_fingerprint(self.mes), solo=PREVIEW_OUTPUTS):
                self.say("  · sin cambios: la página ya muestra esta versión")
                if self.ctx is None:
                    self._remember_context()
                return False
            registro, anterior = dict(self.lecturas), self.ctx_cache  # what goes with the last good build
            cambiadas = self._narrativa()
            pool = TrackingPool(self.pool, self.mes, self.lecturas)
            antes = code_fingerprint(), self._other_data(), context_cache_path(self.mes)
        if cambiadas:
            self.say(f"  · solo cambió la narrativa de params ({', '.join(sorted(cambiadas))}): "
                     "se reutilizan el contexto y las secciones que no la leen")
        try:
            build(self.mes, out=self.out, pool=pool, solo_html=True)
        except BaseException:  # self.ctx stays the last good build's, and so do its sections' records
            self.lecturas.clear()
            self.lecturas.update(registro)
            raise
        finally:
            with PreviewReports():
                self._guardar_lecturas()
        with PreviewReports():
            self._remember_context(antes)
        if anterior not in (None, self.ctx_cache):  # kept by _narrativa in case this build failed
            anterior.unlink(missing_ok=True)
        return True

    def _other_data(self) -> str:
        from anm_helpers.core.fingerprint import data_files, hash_files

        h = hashlib.sha256()
        hash_files(h, [p for p in data_files(self.mes) if p != config.params_file(self.mes)])
        return h.hexdigest()

    def _remember_context(self, antes: tuple | None = None) -> None:
        """The context the last good build used, and the data and code it was made from:
        cached under the files as they are now, or (``antes``: code, data and context
        cache before the build) as they were when the build started. Params saved while
        it ran leave that one a good base (a context holds the params it was made from);
        data or code changed meanwhile leave none (no shortcut then)."""
        from anm_helpers.core.cache import context_cache_path
        from anm_helpers.core.fingerprint import code_fingerprint

        self.code, self.datos = code_fingerprint(), self._other_data()
        self.ctx = self.ctx_cache = None
        caches = [context_cache_path(self.mes)]
        if antes is not None:
            if antes[:2] != (self.code, self.datos):
                return
            caches.append(antes[2])
        for cache in caches:
            try:
                self.ctx = json.loads(cache.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            self.ctx_cache = cache
            return

    def _narrativa(self) -> set[str] | None:
        """When only the narrative texts of params changed since the last good build:
        the month's context is that build's with the new params (no data read again),
        written to the build's context cache, and each section whose last execution
        did not read the changed texts has its outputs kept for the new context.
        Anything else (data, figures, method, a draft line that comes or goes, a
        params file with errors) is left to the build. The changed keys, or None."""
        from anm_helpers.build.report import sections
        from anm_helpers.core.cache import SectionCache, context_bytes, context_cache_path, write_context_cache
        from anm_helpers.core.fingerprint import code_fingerprint
        from anm_helpers.inputs.params import load_params

        if self.ctx is None or context_cache_path(self.mes).exists():
            return None
        code = code_fingerprint()
        if code != self.code or self._other_data() != self.datos:
            return None
        try:
            params = json.loads(json.dumps(load_params(self.mes), ensure_ascii=False))
        except (InformeError, TypeError, ValueError):
            return None  # the build says what is wrong
        antes = self.ctx["params"]
        cambiadas = {k for k in set(params) | set(antes) if params.get(k) != antes.get(k)}
        if not cambiadas or not cambiadas <= set(NARRATIVA):
            return None
        if _pendientes(self.mes, params) != _pendientes(self.mes, antes):
            return None
        ctx = copy.deepcopy(self.ctx)
        ctx["params"] = params
        # as build._check_data writes it; the last good build's stays until this one's build succeeds
        # (a failed one would leave the deck still published without its context)
        write_context_cache(self.mes, ctx, keep=self.ctx_cache)
        old = SectionCache(self.mes, context_bytes(self.ctx), code)
        new = SectionCache(self.mes, context_bytes(ctx), code)
        for path in sections():
            key, leidas = self.lecturas.get(path.stem, (None, None))
            if leidas is None or "*" in leidas or cambiadas & set(leidas) or old.key(path) != key:
                continue  # it reads them, or what it reads is not known: it runs again
            src, dst = old.path(path), new.path(path)
            if not src.exists():
                continue
            shutil.copyfile(src, dst.with_suffix(".tmp"))
            os.replace(dst.with_suffix(".tmp"), dst)
            self.lecturas[path.stem] = (new.key(path), leidas)
        return cambiadas

    def _lecturas_file(self) -> Path:
        return config.REPORTS_DIR / ".cache" / self.mes / "lecturas.json"

    def _cargar_lecturas(self) -> None:
        from anm_helpers.build.report import PreviewReports

        with PreviewReports():
            try:
                saved = json.loads(self._lecturas_file().read_text(encoding="utf-8"))
                self.lecturas.update({k: (v[0], v[1]) for k, v in saved.items()})
            except (OSError, ValueError, TypeError, IndexError, AttributeError):
                pass

    def _guardar_lecturas(self) -> None:
        path = self._lecturas_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({k: list(v) for k, v in sorted(self.lecturas.items())}, indent=1) + "\n",
                       encoding="utf-8")
        os.replace(tmp, path)


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.month import check_month

    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make preview",
                                     description="Vista previa del informe de un mes, actualizada al guardar.")
    parser.add_argument("mes", nargs="?", default="", help="AAAA-MM, por ejemplo 2024-03")
    args = parser.parse_args(argv)
    check_month(args.mes)
    # Ctrl-C stops the preview even when started where SIGINT was ignored (a shell's background job)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    preview = Preview(args.mes, puerto(os.environ.get("PORT")))
    try:
        preview.start()
        preview.run()
    except KeyboardInterrupt:
        preview.close()
        print("Vista previa detenida.", file=sys.stderr, flush=True)
        return 130
    finally:
        preview.close()
    return 0


def _stop_multiprocessing_helpers() -> None:
    """multiprocessing's fork server and resource tracker, stopped and waited for before
    the process image is replaced (else they would linger as zombies of the new one)."""
    from multiprocessing import forkserver, resource_tracker

    for helper in (getattr(forkserver, "_forkserver", None), getattr(resource_tracker, "_resource_tracker", None)):
        try:
            helper._stop()
        except Exception:
            pass


def main(argv: list[str] | None = None) -> int:
    """The command, through ``cli.run`` (Spanish errors, a scratch folder for every
    temporary file); restarts itself when the program's code changed."""
    from anm_helpers.core.cli import run

    try:
        return run(_main, argv, "make preview", scratch=True)
    except ReinicioVistaPrevia:
        print("  · cambió el código del programa: la vista previa se reinicia", flush=True)
        _stop_multiprocessing_helpers()
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, "-m", "anm_helpers.preview.app", *sys.argv[1:]])
        return 1  # not reached


if __name__ == "__main__":
    from anm_helpers.preview.app import main as _entry  # the module by its own name (workers pickle by it)

    sys.exit(_entry())
