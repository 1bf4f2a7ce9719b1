"""The preview's page: a local HTTP server for the deck, with a script injected as it
is served (the deck file is not changed), and the state that script polls.

- ``/`` (also ``/index.html`` and the deck's own name) is the last good deck, or a
  waiting page before the first one, with ``templates/vista_previa/vista_previa.js``
  before ``</body>``.
- ``/__estado`` is the state: ``{"version", "error", "construyendo"}``, answered as soon
  as it differs from what the page knows (a long poll: no polling delay between a build
  and the reload). On a new version without error the script reloads the page, keeping
  the URL's ``#/N`` (reveal.js has ``hash: true``); an error is drawn over the last good
  deck, as text.
- The deck's Content-Security-Policy (its inline code by hash, no network) is
  recomputed for the page served: the script's hash added, and ``connect-src 'self'``.
- Bound to 127.0.0.1; a request naming another host is refused (DNS rebinding).
"""
from __future__ import annotations

import html
import json
import re
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.errors import PuertoInvalido
from anm_helpers.outputs.deck import with_policy

DEFAULT_PORT = 8765
#: the page asks for the preview's state and the server answers as soon as it changes, or
#: after this many seconds (a long poll: no polling delay between a build and the reload)
LONG_POLL_SECONDS = 20
STATE_URL = "/__estado"

#: the page's own files (the preview restarts when one changes: they are read once, here)
PAGE_DIR = config.TEMPLATES_DIR / "vista_previa"
#: read once: the script the page gets (``__STATE__``: the state as JSON; ``__URL__``: ``STATE_URL``)
_SCRIPT = (PAGE_DIR / "vista_previa.js").read_text(encoding="utf-8")
#: what ``/`` shows before the first deck is built (``__MES__``: the month)
_WAITING_PAGE = (PAGE_DIR / "espera.html").read_text(encoding="utf-8")


def parse_port(value: str | None) -> int:
    """PORT as given in the environment: empty means the default; else an integer 1024–65535."""
    value = (value or "").strip()
    if not value:
        return DEFAULT_PORT
    if not re.fullmatch(r"[0-9]{1,5}", value) or not 1024 <= int(value) <= 65535:
        raise PuertoInvalido(f'PORT="{value}" no es un puerto válido: use un número entre 1024 y 65535 '
                             f"(por ejemplo PORT={DEFAULT_PORT})")
    return int(value)


def inject(page: str, state: dict) -> str:
    """The page with the preview's script before ``</body>`` (at the end when there is none);
    the state's text cannot end the script (``</`` is escaped). The deck's
    Content-Security-Policy is written again for the page as served: the script's hash
    among the deck's, and the state it asks for (``connect-src 'self'``)."""
    data = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    script = ('<script id="anm-vista-previa">\n'
              + _SCRIPT.replace("__URL__", STATE_URL).replace("__STATE__", data)
              + "</script>\n")
    end = page.lower().rfind("</body>")
    page = page + script if end < 0 else page[:end] + script + page[end:]
    return with_policy(page, connect="'self'")


def waiting_page(month: str) -> str:
    return _WAITING_PAGE.replace("__MES__", html.escape(month))


class State:
    """What the page polls: the version shown (a new one after every build, good or
    failed; unique across restarts of the preview), the last build's error, and
    whether a build is running."""

    def __init__(self):
        self._changed = threading.Condition()
        self.version, self.error, self.building = 0, None, False
        self.closed = False

    def publish(self, error: str | None) -> None:
        with self._changed:
            self.version = max(self.version + 1, int(time.time() * 1000))
            self.error, self.building = error, False
            self._changed.notify_all()

    def begin(self) -> None:
        self._set(building=True)

    def end(self) -> None:
        self._set(building=False)

    def close(self) -> None:
        """Answer every waiting page now (the preview stops)."""
        self._set(closed=True)

    def _set(self, **values) -> None:
        with self._changed:
            for name, value in values.items():
                setattr(self, name, value)
            self._changed.notify_all()

    def as_dict(self) -> dict:
        """As the page reads it (its keys are the page's)."""
        with self._changed:
            return {"version": self.version, "error": self.error, "construyendo": self.building}

    def wait(self, version: int, building: bool, seconds: float = LONG_POLL_SECONDS) -> dict:
        """The state once it differs from what the page knows (or after ``seconds``)."""
        with self._changed:
            self._changed.wait_for(lambda: self.closed or self.version != version
                                   or self.building != building, timeout=seconds)
        return self.as_dict()


def make_server(month: str, port: int, deck: Path, state: State) -> ThreadingHTTPServer:
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
            if path == STATE_URL:
                query = urllib.parse.parse_qs(url.query)
                try:  # the page's version: answer once the state differs from it
                    current = state.wait(int(query["desde"][0]), query.get("construyendo") == ["1"])
                except (KeyError, ValueError):
                    current = state.as_dict()
                return self._send(200, json.dumps(current, ensure_ascii=False).encode(),
                                  "application/json; charset=utf-8")
            if path in ("/", "/index.html", f"/{deck.name}"):
                try:
                    page = deck.read_text(encoding="utf-8")
                except OSError:
                    page = waiting_page(month)
                return self._send(200, inject(page, state.as_dict()).encode("utf-8"),
                                  "text/html; charset=utf-8")
            self._send(404, "No existe.".encode(), "text/plain; charset=utf-8")

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server
