"""Run R scripts as the reference implementation in tests, without losing digits.

A script calls ``emit(name, x)`` for each result; every number travels as a C99 hexadecimal
float (R ``sprintf("%a")`` → Python ``float.fromhex``), so comparisons measure the methods and not
printing. :func:`r_or_skip` returns a runner when ``Rscript`` and the named packages are installed;
otherwise the test is skipped locally and fails on CI (``CI=true``), where ``make test`` installs
them (``scripts/install-system-packages.sh``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

PRELUDE = r"""
emit <- function(name, x) {
  x <- as.numeric(unlist(x))
  s <- ifelse(is.na(x), "NA", ifelse(is.infinite(x), ifelse(x > 0, "Inf", "-Inf"), sprintf("%a", x)))
  cat(name, ":", paste(s, collapse = " "), "\n", sep = "")
}
"""


def _number(text: str) -> float:
    if text == "NA":
        return float("nan")
    if text in ("Inf", "-Inf"):
        return float(text.replace("Inf", "inf"))
    return float.fromhex(text)


@dataclass(frozen=True)
class RScript:
    """Runs one script per call and returns ``{name: [numbers]}`` from its ``emit`` lines."""

    executable: str
    packages: tuple[str, ...]

    def run(self, script: str, timeout: float = 300) -> dict[str, list[float]]:
        header = "".join(f"suppressPackageStartupMessages(library({p}))\n" for p in self.packages)
        with tempfile.TemporaryDirectory(prefix="oncotrial-r-") as tmp:
            path = Path(tmp) / "script.R"
            path.write_text(header + PRELUDE + script, encoding="utf-8")
            done = subprocess.run([self.executable, "--vanilla", str(path)], cwd=tmp, capture_output=True,
                                  text=True, timeout=timeout, check=False)
        if done.returncode != 0:
            raise AssertionError(f"R failed ({done.returncode}):\n{done.stderr[-4000:]}")
        results: dict[str, list[float]] = {}
        for line in done.stdout.splitlines():
            name, sep, values = line.partition(":")
            if sep and name and " " not in name:
                results[name] = [_number(v) for v in values.split()]
        return results


def r_problem(packages: Sequence[str]) -> str | None:
    """Why R cannot run the reference scripts, or None."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        return "Rscript not found: install r-base-core (make test does)"
    for package in packages:
        check = subprocess.run([rscript, "--vanilla", "-e", f"library({package})"], capture_output=True,
                               text=True, timeout=120, check=False)
        if check.returncode != 0:
            return f"R package '{package}' missing: apt-get install r-cran-{package.lower()}"
    return None


def r_or_skip(packages: Sequence[str]) -> RScript:
    """An :class:`RScript` with ``packages`` loaded; skip locally, fail on CI when unavailable."""
    problem = r_problem(packages)
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"R is required on CI: {problem}")
        pytest.skip(problem)
    rscript = shutil.which("Rscript")
    assert rscript is not None
    return RScript(rscript, tuple(packages))
