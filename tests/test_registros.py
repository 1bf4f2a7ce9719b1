"""The registries are the only way in and out (issue 25): a new output is one class
registered, and the build writes it, fingerprints it and lists it with no other change."""
from __future__ import annotations

import shutil

from anm_helpers.builder import freshness, report
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
    assert registry.chosen_names() == {"html", "textos", "cambios", "resumen"}  # with those always written

    capfd.readouterr()
    assert report.main(["--workers", "1", "--", MES]) == 0
    out = capfd.readouterr().out
    written = reports / MES / f"resumen-{MES}.txt"
    titles = written.read_text(encoding="utf-8").splitlines()
    assert len(titles) == 26 and "Lo principal del mes" in titles
    assert f"resumen escrito: resumen-{MES}.txt (26 títulos)" in out
    assert "ejecutada" not in out  # every section from the cache
    assert out.strip().splitlines()[-1].endswith(
        f"informe-{MES}.html, diapositivas.json, cambios.html, resumen-{MES}.txt y metrics.json)")

    assert report.main(["--workers", "1", "--", MES]) == 0
    assert "sin cambios" in capfd.readouterr().out
    written.unlink()  # an output missing from the folder: not up to date
    assert not freshness.up_to_date(MES, freshness.build_fingerprint(MES))


# --- a fifth table, registered in a test, flows through everything --------------------------

def _visitas():
    from anm_helpers.inputs.contract import CATEGORIA, CONTEO, FECHA, IDENTIFICADOR, Columna, Regla, TablaSpec

    return TablaSpec(
        "visitas", (
            Columna("id", IDENTIFICADOR, regla="está vacío: cada visita necesita su id"),
            Columna("fecha", FECHA),
            Columna("sede", CATEGORIA, ("norte", "sur"), regla="no es una sede: norte o sur",
                    sinonimos=("sede", "lugar de la visita")),
            Columna("asistentes", CONTEO, sinonimos=("asistentes", "numero de asistentes", "personas")),
        ),
        reglas=(Regla("aforo", "asistentes", "supera el aforo de 90 personas",
                      lambda t: ~t.entero("asistentes") | (t.numero("asistentes") <= 90)),),
        origen="Registro de visitas guiadas (una tabla de prueba).")


def test_a_new_table_flows_through_reading_mapping_checks_quality_and_sample_data(data_dir, monkeypatch, capfd):
    import numpy as np

    from anm_helpers.figures import check
    from anm_helpers.figures.context import build_context
    from anm_helpers.inputs import contract, map_export
    from anm_helpers.inputs.dataset import load_report_data
    from anm_helpers.inputs.sample_data import build_generic, write_table

    monkeypatch.setitem(contract.SPECS, "visitas", _visitas())
    # make sample-data's month: the shipped tables from their targets, the new one from its columns
    from anm_helpers.inputs.sample_data import generate_month, load_targets

    written = generate_month(load_targets(), MES, data_dir.parent / "muestra")
    assert [p.name for p in written][-1] == "visitas.csv"
    assert len((data_dir.parent / "muestra" / MES / "visitas.csv").read_text(encoding="utf-8").splitlines()) == 21
    # sample data: the generic rows of a registered table, in every month the report reads
    for i, mes in enumerate(("2024-01", "2024-02", MES)):
        frame = build_generic(np.random.default_rng(i), mes, contract.SPECS["visitas"], {"filas": 30}, [])
        assert list(frame.columns) == ["id", "fecha", "sede", "asistentes"] and len(frame) == 30
        write_table(frame.assign(asistentes=frame["asistentes"] % 90), data_dir / mes, "visitas", None)

    # reading, typing, checking: the month has the table by name, typed by its columns' kinds
    data = load_report_data(MES)
    visitas = data.actual.tablas["visitas"]
    assert len(visitas) == 30 and str(visitas["asistentes"].dtype) == "int64"
    assert set(visitas["sede"].astype(str)) <= {"norte", "sur"} and visitas["fecha"].notna().all()
    # the quality annex lists its file with rows and hash
    listed = {f["archivo"]: f for f in build_context(MES)["archivos"]}
    assert listed[f"{MES}/visitas.csv"]["filas"] == 30 and len(listed[f"{MES}/visitas.csv"]["sha256"]) == 64

    # the platform's own export, read through a fuentes.yaml entry of the new table
    path = data_dir / MES / "visitas.csv"
    text = path.read_text(encoding="utf-8").replace("asistentes", "Número de asistentes", 1)
    path.unlink()
    (data_dir / MES / "Visitas_marzo.csv").write_text(text, encoding="utf-8")
    (data_dir / MES / "fuentes.yaml").write_text(
        'visitas:\n  archivo: "Visitas_*.csv"\n  columnas:\n    asistentes: "Número de asistentes"\n', encoding="utf-8")
    assert len(load_report_data(MES).actual.tablas["visitas"]) == 30
    # map-export proposes that entry from the new table's synonyms
    proposal = map_export.propose(data_dir / MES / "Visitas_marzo.csv", "visitas")
    assert proposal.columnas == {"asistentes": "Número de asistentes"}

    # its checks: a kind (a category's values, with the closest one) and its own named rule, in make check
    lines = text.splitlines()
    cells = lines[3].split(",")
    cells[2], cells[3] = "nortte", "120"
    lines[3] = ",".join(cells)
    (data_dir / MES / "Visitas_marzo.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    capfd.readouterr()
    assert check.main(["--", MES]) == 1
    err = capfd.readouterr().err
    assert f'{MES}/Visitas_marzo.csv, línea 4, columna sede: "nortte" no es una sede: norte o sur. ¿Quiso decir «norte»?' in err
    assert f'{MES}/Visitas_marzo.csv, línea 4, columna asistentes: "120" supera el aforo de 90 personas' in err
