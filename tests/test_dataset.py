"""A month as the loader types it: one topic however it is written, points
named as the catalogue names them, flags, scores and dates typed."""
import shutil

import pandas as pd

from anm_helpers.core import config
from anm_helpers.figures import metrics
from anm_helpers.inputs.dataset import load_month, load_puntos


def write_month(data, mes="2024-03"):
    shutil.copy(config.DATA_DIR / "puntos.csv", data / "puntos.csv")
    folder = data / mes
    folder.mkdir()
    (folder / "atenciones.csv").write_text(
        "id,fecha,canal,punto,tipo,primer_contacto\n"
        "1,2024-03-04 08:00,presencial,par cali, rucom,si\n"
        "2,04/03/2024,Presencial,PAR Cali,Regalías,no\n"
        "3,2024-03-05,presencial,Sede Central Bogota,RUCOM,Sí\n"
        "4,2024-03-05,telefonico,,REGALIAS,0\n"
        "5,2024-03-06,telefónico,,RUCOM,true\n", encoding="utf-8")
    (folder / "llamadas.csv").write_text("fecha,entrantes,contestadas\n2024-03-04,10,8\n", encoding="utf-8")
    (folder / "encuestas.csv").write_text(
        "id,fecha,canal,satisfaccion,percepcion,confianza\n"
        "1,2024-03-04,presencial,5,,4\n2,2024-03-05,telefonico,2,3,\n", encoding="utf-8")
    (folder / "comunicaciones.csv").write_text(
        "id,fecha,medio,sentido\n1,2024-03-04,chat,entrada\n2,2024-03-04,Correo_Contacto,salida\n", encoding="utf-8")
    return data


def test_month_typed_from_the_exports(tmp_path):
    data = write_month(tmp_path)
    puntos, problems, _ = load_puntos(data)
    assert problems == []
    m, problems = load_month("2024-03", puntos, data)
    assert problems == []
    at = m.atenciones
    assert list(at["canal"]) == ["presencial", "presencial", "presencial", "telefonico", "telefonico"]
    assert list(at["primer_contacto"]) == [True, False, True, False, True]
    # the same topic written three ways is one, shown as most often written;
    # on a tie (Regalías / REGALIAS, once each) as first written in the file
    assert list(at["tipo"]) == ["RUCOM", "Regalías", "RUCOM", "Regalías", "RUCOM"]
    assert list(at["punto"].astype(object).fillna("—")) == ["PAR Cali", "PAR Cali", "Sede Central Bogotá", "—", "—"]
    assert list(at["tipo_punto"].astype(object).fillna("—")) == ["PAR", "PAR", "sede_central", "—", "—"]
    assert list(at["fecha"].dt.day) == [4, 4, 5, 5, 6]
    assert list(at["_linea"]) == [2, 3, 4, 5, 6]
    assert m.encuestas["percepcion"].tolist() == [pd.NA, 3] and str(m.encuestas["percepcion"].dtype) == "Int8"
    assert list(m.comunicaciones["medio"]) == ["chat", "correo_contacto"]
    assert metrics.por_tipo(m, "presencial") == {"RUCOM": 2, "Regalías": 1}
    assert metrics.por_tipo(m, "telefonico") == {"RUCOM": 1, "Regalías": 1}
    assert metrics.virtual(m)["por_medio_entrada"] == {"chat": 1}
