"""How the agency publishes the open-data series (``params/publicacion.yaml``): the
licence, the publisher and the contact, declared once for every month.

Keys (Spanish, as the agency writes them), all optional:

- ``licencia``: the SPDX id of a licence the national portal (datos.gov.co) knows
  (``LICENSES``); empty while the agency has not chosen one: the series is then
  published with no licence at all (never one made up) and a warning says so;
- ``publicador``: who publishes the data (the entity and its office);
- ``contacto``: ``nombre`` and ``correo`` of whoever answers for the data.

Read and checked like a month's params (``inputs.params``): a key written twice, bad
YAML, an unknown key ("¿Quiso decir…?"), a value of the wrong kind, each with the file
and line; every problem at once, as ``ParametrosInvalidos``. A missing file is a
configuration with nothing declared.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from anm_helpers.core import config
from anm_helpers.core.errors import ParametrosInvalidos
from anm_helpers.core.suggestions import quiso_decir
from anm_helpers.core.text import visible
from anm_helpers.inputs.params import parse_params_yaml, read_params_text

FILE_NAME = "publicacion.yaml"

#: the licences the portal offers for open data, by SPDX id: title and canonical address
LICENSES = {
    "CC-BY-4.0": ("Creative Commons Atribución 4.0 Internacional", "https://creativecommons.org/licenses/by/4.0/"),
    "CC-BY-SA-4.0": ("Creative Commons Atribución-CompartirIgual 4.0 Internacional",
                     "https://creativecommons.org/licenses/by-sa/4.0/"),
    "CC0-1.0": ("Creative Commons CC0 1.0 Universal (dominio público)",
                "https://creativecommons.org/publicdomain/zero/1.0/"),
}
KEYS = ("licencia", "publicador", "contacto")
CONTACT_KEYS = ("nombre", "correo")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class Publication:
    """What the agency declared; None where it declared nothing."""

    license_id: str | None = None
    publisher: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None

    @property
    def license(self) -> dict | None:
        """The Data Package ``licenses`` entry (name, title, path), or None."""
        if self.license_id is None:
            return None
        title, path = LICENSES[self.license_id]
        return {"name": self.license_id, "title": title, "path": path}


def publication_file() -> Path:
    return config.PARAMS_DIR / FILE_NAME


def _key_lines(text: str) -> dict[tuple, int]:
    """The line (1-based) of every key of the two first levels: ``("contacto", "correo")``."""
    lines: dict[tuple, int] = {}
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return lines
    for key, value in root.value:
        lines[(key.value,)] = key.start_mark.line + 1
        if isinstance(value, yaml.MappingNode):
            for sub, _ in value.value:
                lines[(key.value, sub.value)] = sub.start_mark.line + 1
    return lines


def _text(value) -> str | None:
    """A declared text, or None for empty; a value of another kind is returned as is."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return value.strip() if isinstance(value, str) else value


def load_publication(path: Path | None = None) -> Publication:
    """The declarations of ``params/publicacion.yaml`` (nothing declared if it is absent)."""
    path = path or publication_file()
    if not path.exists():
        return Publication()
    name = f"params/{path.name}"
    text = read_params_text(path, name)
    data = parse_params_yaml(text, name)
    if data is None:
        return Publication()
    if not isinstance(data, dict):
        raise ParametrosInvalidos(f"{name}: debe ser un conjunto de claves ({', '.join(KEYS)})")
    lines = _key_lines(text)
    problems: list[tuple[int, str]] = []  # (line, sentence): said in the file's order

    def problem(keys: tuple, value, rule: str) -> None:
        where = f"{name}, línea {lines[keys]}" if keys in lines else name
        shown = f' "{visible(value)}"' if value is not None else ""
        problems.append((lines.get(keys, 0), f"{where}, clave {'.'.join(map(str, keys))}:{shown} {rule}"))

    for key in data:
        if key not in KEYS:
            problem((key,), None, f"no es una clave de {name} (son {', '.join(KEYS)})"
                    + (quiso_decir(str(key), KEYS) or "."))

    license_id = _text(data.get("licencia"))
    if license_id is not None:
        by_upper = {k.upper(): k for k in LICENSES}
        if not isinstance(license_id, str):
            problem(("licencia",), license_id, "no es el identificador de una licencia: escriba uno de "
                    + ", ".join(LICENSES) + ", o déjela vacía mientras no esté decidida")
            license_id = None
        elif license_id.upper() in by_upper:
            license_id = by_upper[license_id.upper()]
        else:
            problem(("licencia",), license_id, "no es una licencia que conozca el portal datos.gov.co (son "
                    + ", ".join(LICENSES) + ")" + (quiso_decir(license_id, LICENSES) or "."))
            license_id = None

    publisher = _text(data.get("publicador"))
    if publisher is not None and not isinstance(publisher, str):
        problem(("publicador",), publisher, "debe ser un texto: la entidad y la dependencia que publican los datos")
        publisher = None

    contact_name = contact_email = None
    contact = data.get("contacto")
    if contact is not None and not isinstance(contact, dict):
        problem(("contacto",), contact, "debe tener las claves nombre y correo, cada una en su línea, "
                "con dos espacios delante")
    elif contact:
        for key in contact:
            if key not in CONTACT_KEYS:
                problem(("contacto", key), None, f"no es una clave de contacto (son {', '.join(CONTACT_KEYS)})"
                        + (quiso_decir(str(key), CONTACT_KEYS) or "."))
        contact_name, contact_email = _text(contact.get("nombre")), _text(contact.get("correo"))
        if contact_name is not None and not isinstance(contact_name, str):
            problem(("contacto", "nombre"), contact_name, "debe ser un texto: quien responde por los datos")
            contact_name = None
        if contact_email is not None and not (isinstance(contact_email, str) and _EMAIL.match(contact_email)):
            problem(("contacto", "correo"), contact_email,
                    "no es una dirección de correo electrónico (nombre@dominio.gov.co)")
            contact_email = None
    if problems:
        problems = [text for _, text in sorted(problems)]
        raise ParametrosInvalidos(
            problems[0] if len(problems) == 1 else
            f"{name} tiene {len(problems)} problemas; corríjalos:\n" + "\n".join(f"  - {p}" for p in problems))
    return Publication(license_id, publisher, contact_name, contact_email)
