"""The registries are the only way in and out (issue 25): a new output is one class
registered, and the build writes it, fingerprints it and lists it with no other change."""
from __future__ import annotations

import shutil

from anm_helpers.build import freshness, report
from anm_helpers.core import config
from anm_helpers.outputs import registry

MES = "2024-03"


class Resumen:
    """A throw-away output: the slides' titles, one per line."""

    salida = "resumen"

    def archivo(self, mes: str) -> str:
        return f"resumen-{mes}.txt"

    def escribir(self, informe, path) -> str:
        path.write_text("\n".join(d.titulo for d in informe.diapositivas) + "\n", encoding="utf-8")
        return f"resumen escrito: {path.name} ({len(informe.diapositivas)} títulos)"


def test_a_new_exporter_is_written_fingerprinted_and_listed(built_2024_03, tmp_path, monkeypatch, capfd):
    reports = tmp_path / "reports"  # the shared build's folder and caches: no section runs again
    shutil.copytree(built_2024_03[0].parent, reports)
    monkeypatch.setattr(config, "REPORTS_DIR", reports)
    monkeypatch.setenv("ANM_PRECALENTAR", "no")
    monkeypatch.delenv("ANM_SALIDAS", raising=False)
    without = freshness.build_fingerprint(MES)
    monkeypatch.setattr(registry, "EXPORTERS", (*registry.EXPORTERS, Resumen))
    assert freshness.build_fingerprint(MES) != without  # a new output: the published report is out of date
    monkeypatch.setenv("ANM_SALIDAS", "resumen")  # the deck and the new one (no PDF printed here)
    assert registry.chosen_names() == {"html", "resumen"}

    capfd.readouterr()
    assert report.main(["--workers", "1", "--", MES]) == 0
    out = capfd.readouterr().out
    written = reports / MES / f"resumen-{MES}.txt"
    titles = written.read_text(encoding="utf-8").splitlines()
    assert len(titles) == 25 and "Satisfacción" in " ".join(titles)
    assert f"resumen escrito: resumen-{MES}.txt (25 títulos)" in out
    assert "ejecutada" not in out  # every section from the cache
    assert out.strip().splitlines()[-1].endswith(f"informe-{MES}.html, resumen-{MES}.txt y metrics.json)")

    assert report.main(["--workers", "1", "--", MES]) == 0
    assert "sin cambios" in capfd.readouterr().out
    written.unlink()  # an output missing from the folder: not up to date
    assert not freshness.up_to_date(MES, freshness.build_fingerprint(MES))
