"""``oncotrial.core`` imports only the standard library and itself (checked on the source).

import-linter enforces the layer contracts; this test additionally proves that no
third-party package at all (not only the ones import-linter is told about) is
imported anywhere in the core.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

CORE = Path(__file__).parents[2] / "src" / "oncotrial" / "core"
ALLOWED = set(sys.stdlib_module_names) | {"__future__"}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_core_imports_only_the_standard_library_and_core_itself():
    offenders = [
        f"{p.relative_to(CORE)}:{line} imports {module}"
        for p in sorted(CORE.rglob("*.py"))
        for line, module in _imports(p)
        if not (module.split(".")[0] in ALLOWED or module.startswith("oncotrial.core"))
    ]
    assert offenders == []


def test_core_does_not_read_the_clock_or_global_randomness():
    banned = ("date.today(", "datetime.now(", "datetime.utcnow(", "time.time(",
              "random.random(", "random.choice(", "random.shuffle(", "random.seed(", "open(")
    offenders = [
        f"{p.relative_to(CORE)}: {b}"
        for p in sorted(CORE.rglob("*.py"))
        for b in banned
        if b in p.read_text(encoding="utf-8")
    ]
    assert offenders == []
