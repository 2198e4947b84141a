"""Reading protocol files (YAML or JSON) from disk; the embedded default protocol.

I/O lives here, outside the pure core: this module turns a file into plain data
and hands it to :func:`oncotrial.core.protocol.parse.parse_protocol`.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import yaml

from oncotrial.core.errors import ProtocolError
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.protocol.parse import parse_protocol

DEFAULT_PROTOCOL = "nct07304388.yaml"


def load_protocol_text(text: str, *, name: str = "<protocol>") -> Protocol:
    """Parse YAML (a superset of JSON) protocol text and validate it."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark is not None else name
        raise ProtocolError(where, "unreadable YAML", "a well-formed YAML or JSON document",
                            str(getattr(exc, "problem", exc))) from None
    return parse_protocol(data)


def load_protocol_file(path: str | Path) -> Protocol:
    """Load and validate a protocol file (``.yaml``, ``.yml`` or ``.json``)."""
    p = Path(path)
    if not p.is_file():
        raise ProtocolError("file", str(p), "an existing protocol file")
    text = p.read_text(encoding="utf-8")
    if p.suffix == ".json":
        try:
            return parse_protocol(json.loads(text))
        except json.JSONDecodeError as exc:
            raise ProtocolError(f"{p}:{exc.lineno}:{exc.colno}", "unreadable JSON",
                                "a well-formed JSON document", exc.msg) from None
    return load_protocol_text(text, name=str(p))


def default_protocol_text() -> str:
    return resources.files("oncotrial.protocols").joinpath(DEFAULT_PROTOCOL).read_text("utf-8")


def load_default_protocol() -> Protocol:
    """The embedded NCT07304388 (IA3GM-II) protocol."""
    return load_protocol_text(default_protocol_text(), name=DEFAULT_PROTOCOL)
