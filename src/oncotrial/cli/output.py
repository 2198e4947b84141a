"""Shared output for CLI commands: readable (rich) or JSON, and clean domain errors."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console

from oncotrial.core.errors import DomainError

console = Console()
SIMULATED_BANNER = "SIMULATED DATA: not results of NCT07304388"


def jsonable(value: Any) -> Any:
    """Convert dataclasses, enums, dates, tuples and mappings to JSON-compatible data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k.value if isinstance(k, Enum) else k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    return value


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(jsonable(data), indent=2, ensure_ascii=False) + "\n")


def emit(data: Any, render: Callable[[], None], as_json: bool) -> None:
    """Print ``data`` as JSON or call ``render`` for the readable form."""
    if as_json:
        print_json(data)
    else:
        render()


@contextmanager
def domain_errors(as_json: bool) -> Iterator[None]:
    """Turn a DomainError into a clear message (or JSON error object) and exit code 2."""
    try:
        yield
    except DomainError as exc:
        if as_json:
            print_json(exc.as_dict())
        else:
            Console(stderr=True).print(f"[bold red]Error:[/] {exc}", highlight=False)
        raise typer.Exit(code=2) from None


def read_json_file(path: Path, what: str) -> Any:
    """Read a JSON input file; unreadable input is a DomainError naming the file."""
    if not path.is_file():
        raise DomainError(what, str(path), "an existing JSON file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DomainError(f"{path}:{exc.lineno}:{exc.colno}", "unreadable JSON",
                          "a well-formed JSON document", exc.msg) from None
