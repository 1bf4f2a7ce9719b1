"""The publication site: ``python -m anm_helpers.builder.site`` (``make sitio``) writes
``reports/sitio/``: ``index.html`` and one page per year (``outputs.site``), every
published month's files copied into ``sitio/<AAAA>/<MES>/``, each year deck's into
``sitio/<AAAA>/``, and the whole series' open data into ``sitio/datos-abiertos/``
(``outputs.series.write_series``). The folder can be uploaded as it is.

- Each month is read under its build lock (``publish.month_lock``): a month being
  published meanwhile is never copied half.
- Incremental: ``reports/.cache/sitio.json`` keeps, for each copied file, its source's
  signature (size, time, inode) and its content's SHA-256, the series' inputs' hash, and
  the published site's own signature. A rebuild copies only files whose source changed;
  the rest (and unchanged pages) are hard-linked from the published site into the staging
  folder. Nothing changed: one line, nothing written.
- Published in one step like a month (a lock, a staging folder beside ``reports/sitio``,
  an atomic exchange): a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from anm_helpers.core import config
from anm_helpers.core.cli import shown_path
from anm_helpers.builder.publish import STAGING_PREFIX, month_lock, publish, remove_stale_staging

SITE = "sitio"  # the site's lock and staging names: reports/.sitio.lock, reports/.construyendo-sitio-*
SERIES = "datos-abiertos"
CHUNK = 1 << 20


def manifest_path() -> Path:
    return config.REPORTS_DIR / ".cache" / "sitio.json"


def signature(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _copy(src: Path, dst: Path) -> str:
    """Copy ``src`` to ``dst`` (its folders made); the content's SHA-256."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(CHUNK):
            digest.update(chunk)
            fout.write(chunk)
    return digest.hexdigest()


def _link(old: Path, dst: Path) -> None:
    """The published site's file in the staging folder, hard-linked (copied where links fail)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, dst)
    except OSError:
        shutil.copyfile(old, dst)


class SiteBuild:
    """One run of make sitio: reads, decides what changed, writes a staging folder only if needed."""

    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.reports, self.site = config.REPORTS_DIR, config.site_dir()
        self.previous = self._load_manifest()
        self.old_files = self.previous.get("archivos", {}) if self._site_matches() else {}
        self.files: dict[str, dict] = {}  # site path -> {"firma", "sha256"}
        self.to_link: list[str] = []
        self.copied = 0
        self.staging: Path | None = None
        self.avisos: list[str] = []

    def say(self, line: str) -> None:
        print(line, file=self.out, flush=True)

    def _load_manifest(self) -> dict:
        try:
            data = json.loads(manifest_path().read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _site_matches(self) -> bool:
        """The manifest describes the published site (not an older or removed one)."""
        index = self.site / "index.html"
        return index.is_file() and self.previous.get("sitio") == signature(index)

    def _staging(self) -> Path:
        if self.staging is None:
            self.staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{SITE}-", dir=self.reports))
            self.staging.chmod(0o755)
        return self.staging

    def take(self, src: Path, rel: str) -> None:
        """``src`` is published as ``sitio/<rel>``: linked when unchanged, else copied now."""
        sig, old = signature(src), self.old_files.get(rel)
        if old and old.get("firma") == sig and (self.site / rel).is_file():
            self.files[rel] = old
            self.to_link.append(rel)
        else:
            self.files[rel] = {"firma": sig, "sha256": _copy(src, self._staging() / rel)}
            self.copied += 1

    def read_months(self):
        from anm_helpers.outputs.site.listing import month_names, read_month

        with_data = {p.name for p in config.DATA_DIR.iterdir()} if config.DATA_DIR.is_dir() else set()
        months = []
        for mes in month_names():
            folder = config.report_dir(mes)
            if not folder.is_dir():
                months.append(read_month(mes, mes in with_data))
                continue
            with month_lock(self.reports, mes):  # a build publishing meanwhile waits, or we are refused
                month = read_month(mes, mes in with_data)
                for rel in month.archivos:
                    self.take(folder / rel, f"{mes[:4]}/{mes}/{rel}")
            months.append(month)
        return months

    def read_years(self) -> dict:
        from anm_helpers.outputs.site.listing import read_year_files, year_names

        found = {}
        for anio in year_names():
            names, links = read_year_files(anio)
            if names:
                found[anio] = (names, links)
                for name in names:
                    self.take(self.reports / anio / name, f"{anio}/{name}")
        return found

    def series(self, months) -> dict:
        """The whole series' open data (``outputs.series``): its key, its files and its
        warnings; written into staging when its inputs changed, else linked later."""
        try:
            from anm_helpers.outputs import series
        except ImportError:
            return {"clave": "", "archivos": [], "avisos": [
                "esta versión no escribe todavía la serie de datos abiertos (outputs/series.py)"], "enlazada": False}
        chosen = sorted(m.mes for m in months if m.tabla is not None)
        key = hashlib.sha256(json.dumps(
            [[m, self.files[f"{m[:4]}/{m}/metrics.json"]["sha256"]] for m in chosen] +
            [[str(p), hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else None]
             for p in series.series_inputs()] +
            [hashlib.sha256(Path(series.__file__).read_bytes()).hexdigest()]).encode()).hexdigest()
        old = self.previous.get("serie", {}) if self._site_matches() else {}
        if not chosen:
            return {"clave": key, "archivos": [], "avisos": [], "enlazada": False}
        if old.get("clave") == key and all((self.site / SERIES / n).is_file() for n in old.get("archivos", [])):
            return {**old, "enlazada": True}
        folder = self._staging() / SERIES
        folder.mkdir()
        warnings = list(series.write_series(self.reports, chosen, folder))
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        return {"clave": key, "archivos": files, "avisos": warnings, "enlazada": False}

    def run(self) -> Path | None:
        from anm_helpers.outputs.site import listing, pages

        t = time.perf_counter()
        months = self.read_months()
        years = listing.group(months, self.read_years())
        serie = self.series(months)
        self.avisos += serie["avisos"]
        pages_key = pages.key(years, serie["archivos"])
        unchanged = self.staging is None and set(self.files) == set(self.old_files) and self._site_matches() \
            and self.previous.get("clave_paginas") == pages_key \
            and all((self.site / rel).is_file() for rel in self.previous.get("paginas", []))
        if unchanged:  # the pages would be the same bytes: not even rendered
            for aviso in self.avisos:
                self.say(f"  ! aviso: {aviso}")
            self.say(f"Sitio al día: {shown_path(self.site)}/ ya muestra lo publicado; no se escribió nada")
            return None
        rendered = pages.render(years, serie["archivos"])
        staging = self._staging()
        try:
            for rel in self.to_link:
                _link(self.site / rel, staging / rel)
            for name in serie["archivos"] if serie["enlazada"] else ():
                _link(self.site / SERIES / name, staging / SERIES / name)
            for rel, data in rendered.items():
                target = staging / rel
                if (self.site / rel).is_file() and (self.site / rel).read_bytes() == data:
                    _link(self.site / rel, target)
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
            for folder in sorted(p for p in staging.rglob("*") if p.is_dir()):
                folder.chmod(0o755)
            publish(staging, self.site)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)  # or the previous site, after the exchange
            raise
        self._save_manifest(rendered, pages_key, serie)
        self._summary(months, years, time.perf_counter() - t)
        return self.site

    def _save_manifest(self, rendered: dict, pages_key: str, serie: dict) -> None:
        record = {"sitio": signature(self.site / "index.html"), "archivos": self.files, "paginas": sorted(rendered),
                  "clave_paginas": pages_key,
                  "serie": {k: serie[k] for k in ("clave", "archivos", "avisos")}}
        path = manifest_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".sitio-{os.getpid()}.tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1) + "\n", encoding="utf-8")
            os.replace(tmp, path)
        except OSError:  # the next run copies everything again: slower, never wrong
            pass

    def _summary(self, months, years, seconds: float) -> None:
        published = sum(m.publicado for m in months)
        never = sum(not m.publicado and not m.fallida for m in months)
        failed = sum(bool(m.fallida) for m in months)
        drafts = sum(m.borrador for m in months)
        parts = [f"{published} publicado(s)"] + ([f"{never} sin construir"] if never else []) + \
            ([f"{failed} con la última construcción fallida"] if failed else []) + \
            ([f"{drafts} BORRADOR"] if drafts else [])
        self.say(f"Sitio {shown_path(self.site)}/")
        self.say(f"  ✓ {len(months)} mes(es) en {len(years)} año(s): {', '.join(parts)}")
        self.say(f"  ✓ archivos: {self.copied} copiado(s), {len(self.to_link)} sin cambios")
        for aviso in self.avisos:
            self.say(f"  ! aviso: {aviso}")
        self.say(f"  Total {seconds:.1f} s".replace(".", ","))
        self.say(f"Listo: {shown_path(self.site / 'index.html')}")


def build_site(out=None) -> Path | None:
    """Write ``reports/sitio/`` (None when it was up to date: nothing written)."""
    reports = config.REPORTS_DIR
    with month_lock(reports, SITE):
        remove_stale_staging(reports, SITE)
        site = SiteBuild(out)
        try:
            return site.run()
        except BaseException:  # failed or interrupted: no staging folder is left behind
            if site.staging is not None and site.staging.exists():
                shutil.rmtree(site.staging, ignore_errors=True)
            raise


def _main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import Orden

    parser = Orden(prog="make sitio", description="Escribe el sitio de publicación reports/sitio/.")
    parser.parse_args(argv)
    build_site()
    return 0


def main(argv: list[str] | None = None) -> int:
    from anm_helpers.core.cli import run

    return run(_main, argv, "make sitio")


if __name__ == "__main__":
    sys.exit(main())
