"""Dotted paths into JSON documents: ``protocolSection.armsInterventionsModule.armGroups[0].label``.

The same spelling names fields of a study JSON (in the unmapped report) and of a
draft protocol (its open values), and matches the field paths of
:class:`~oncotrial.core.errors.ProtocolError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from oncotrial.core.errors import DomainError

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def path_steps(path: str) -> list[str | int]:
    """Split ``a.b[2].c`` into ``["a", "b", 2, "c"]``; raise DomainError on a malformed path."""
    steps: list[str | int] = []
    pos = 0
    while pos < len(path):
        if path[pos] == "." and steps and pos + 1 < len(path):
            pos += 1
        m = _STEP.match(path, pos)
        if m is None:
            raise DomainError("path", path, "a dotted path such as arms[0].regimen")
        steps.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    if not steps:
        raise DomainError("path", path, "a dotted path such as arms[0].regimen")
    return steps


def join_path(steps: Sequence[str | int]) -> str:
    out = ""
    for s in steps:
        out += f"[{s}]" if isinstance(s, int) else (f".{s}" if out else s)
    return out


def get_path(doc: object, path: str) -> object:
    """The value at ``path``; raise KeyError when any step is missing."""
    node = doc
    for step in path_steps(path):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise KeyError(path)
            node = node[step]
        else:
            if not isinstance(node, Mapping) or step not in node:
                raise KeyError(path)
            node = node[step]
    return node


def has_path(doc: object, path: str) -> bool:
    try:
        get_path(doc, path)
    except KeyError:
        return False
    return True


def set_path(doc: dict[str, Any], path: str, value: object) -> None:
    """Set ``value`` at ``path``, creating missing objects (never missing list items)."""
    steps = path_steps(path)
    node: Any = doc
    for i, step in enumerate(steps[:-1]):
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                raise DomainError(path, value, f"a path whose list {join_path(steps[:i])} has item {step}")
            node = node[step]
            continue
        if not isinstance(node, dict):
            raise DomainError(path, value, f"a path through objects ({join_path(steps[:i])} is not one)")
        node = node.setdefault(step, {})
    last = steps[-1]
    if isinstance(last, int):
        if not isinstance(node, list) or last >= len(node):
            raise DomainError(path, value, "a path to an existing list item")
        node[last] = value
    elif isinstance(node, dict):
        node[last] = value
    else:
        raise DomainError(path, value, "a path whose parent is an object")


def leaf_paths(doc: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    """Every scalar (and empty container) in ``doc`` with its path, in document order."""
    if isinstance(doc, Mapping) and doc:
        for key, value in doc.items():
            yield from leaf_paths(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(doc, list) and doc:
        for i, value in enumerate(doc):
            yield from leaf_paths(value, f"{prefix}[{i}]")
    else:
        yield prefix, doc


def is_within(path: str, ancestor: str) -> bool:
    """``path`` is ``ancestor`` or lies below it."""
    return path == ancestor or path.startswith((ancestor + ".", ancestor + "["))
