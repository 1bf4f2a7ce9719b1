"""What the tests' own memories (a month read, exports written) are keyed by: files
by their content and their names relative to a folder, never their absolute paths
(every test has its own copy of data/)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def digest(files: list[Path], base: Path, h=None) -> str:
    """The SHA-256 of each file's name relative to ``base`` and its bytes (a folder
    or a missing file hashed as such), in the order given."""
    h = h or hashlib.sha256()
    for path in files:
        h.update(path.relative_to(base).as_posix().encode() + b"\0")
        h.update(path.read_bytes() if path.is_file() else b"<carpeta>" if path.is_dir() else b"<ninguno>")
    return h.hexdigest()
