"""R as the reference implementation for the analysis tests.

The fixture ``r_session`` runs R scripts with the ``survival`` package through ``Rscript``.
Numbers travel between Python and R as C99 hexadecimal floats (``float.hex`` ↔ R's
``sprintf("%a")``/``as.numeric``), so no digit is lost in either direction and the
comparisons measure the estimators, not CSV rounding.

Without R the tests that need it are skipped locally; on CI (``CI=true``) they fail, since
``make test`` installs ``r-base-core`` and ``r-cran-survival``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

_HEX = re.compile(r"^(-?0x[0-9a-f]+(\.[0-9a-f]*)?p[+-]?\d+|NA|NaN|-?Inf)$")

R_PRELUDE = r"""
suppressPackageStartupMessages(library(survival))
read_hex <- function(path) {
  df <- read.csv(path, colClasses = "character")
  for (n in names(df)) {
    x <- df[[n]]
    if (all(is.na(x) | x == "NA" | startsWith(x, "0x") | startsWith(x, "-0x"))) {
      df[[n]] <- suppressWarnings(as.numeric(ifelse(x == "NA", NA, x)))
    } else df[[n]] <- type.convert(x, as.is = TRUE)
  }
  df
}
write_hex <- function(df, path) {
  for (n in names(df)) if (is.double(df[[n]])) df[[n]] <- sprintf("%a", df[[n]])
  write.csv(df, path, row.names = FALSE)
}
"""


def _from_hex(value: str) -> float:
    return float("nan") if value == "NA" else float.fromhex(value)


class RSession:
    """Runs one R script per call on CSV inputs, returns the CSV files the script wrote."""

    def __init__(self, rscript: str) -> None:
        self.rscript = rscript

    def run(
        self, script: str, inputs: Mapping[str, pd.DataFrame], timeout: float = 120
    ) -> dict[str, pd.DataFrame]:
        """Write ``inputs`` as ``<name>.csv`` (floats in hex), run ``script``, read the ``*.csv`` it wrote."""
        with tempfile.TemporaryDirectory(prefix="oncotrial-r-") as tmp:
            workdir = Path(tmp)
            for name, frame in inputs.items():
                out = frame.copy()
                for col in out.columns:
                    if out[col].dtype.kind == "f":
                        out[col] = [float(v).hex() for v in out[col]]
                out.to_csv(workdir / f"{name}.csv", index=False)
            (workdir / "script.R").write_text(R_PRELUDE + script, encoding="utf-8")
            done = subprocess.run([self.rscript, "--vanilla", "script.R"], cwd=workdir, capture_output=True,
                                  text=True, timeout=timeout, check=False)
            if done.returncode != 0:
                raise AssertionError(f"R failed ({done.returncode}):\n{done.stderr[-4000:]}")
            results: dict[str, pd.DataFrame] = {}
            for path in workdir.glob("*.csv"):
                if path.stem in inputs:
                    continue
                frame = pd.read_csv(path, dtype=str, keep_default_na=False)
                for col in frame.columns:
                    values = frame[col]
                    if len(values) and values.map(lambda v: bool(_HEX.match(v))).all():
                        frame[col] = np.array([_from_hex(v) for v in values], dtype=np.float64)
                    else:
                        frame[col] = _convert(values)
                results[path.stem] = frame
            return results


def _convert(values: pd.Series) -> pd.Series:
    if values.isin(["TRUE", "FALSE"]).all():
        return values == "TRUE"
    try:
        return pd.to_numeric(values)
    except (ValueError, TypeError):
        return values


def _r_problem(rscript: str | None) -> str | None:
    if rscript is None:
        return "Rscript not found: install r-base-core and r-cran-survival (make test does)"
    check = subprocess.run([rscript, "--vanilla", "-e", "library(survival)"], capture_output=True, text=True,
                           timeout=60, check=False)
    if check.returncode != 0:
        return "R package 'survival' missing: apt-get install r-cran-survival"
    return None


@pytest.fixture(scope="session")
def r_session() -> RSession:
    """An :class:`RSession`; skipped without R locally, a failure on CI."""
    rscript = shutil.which("Rscript")
    problem = _r_problem(rscript)
    if problem is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"R is required on CI: {problem}")
        pytest.skip(problem)
    assert rscript is not None
    return RSession(rscript)


#: Random data sets compared with R per estimator (the issue asks for at least 200 on CI).
N_RANDOM_CASES = 200


def _random_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Follow-up times in one of five styles that stress ties, flat sections and near-ties."""
    style = rng.integers(5)
    scale = rng.uniform(2.0, 20.0)
    if style == 0:  # whole months: many ties
        return np.ceil(rng.exponential(scale, n))
    if style == 1:  # a few distinct values: long flat sections, S hits 0.5 exactly
        return rng.integers(1, 6, n).astype(np.float64)
    if style == 2:  # continuous, two decimals, zeros allowed
        return np.round(rng.exponential(scale, n), 2)
    if style == 3:  # days converted to months in floating point, with near-ties at R's tolerance
        days = rng.integers(0, 400, n).astype(np.float64)
        jitter = rng.choice([0.0, 1e-13, 1e-10, 5e-9, 1e-7, 1e-6], n)
        return days / 30.4375 * (1.0 + jitter)
    return np.floor(rng.exponential(scale, n)) / 2  # half months, zeros allowed


def make_random_cases(seed: int, n_cases: int = N_RANDOM_CASES) -> pd.DataFrame:
    """Seeded random survival data: case, time, status, group (2–3 arms), stratum (1–3)."""
    frames = []
    for case in range(n_cases):
        rng = np.random.default_rng([seed, case])
        n = int(rng.integers(2, 8)) if rng.random() < 0.15 else int(rng.integers(8, 121))
        time = _random_times(rng, n)
        p_event = rng.choice([1.0, 0.85, 0.6, 0.3])
        status = (rng.random(n) < p_event).astype(np.int64)
        k = int(rng.integers(2, 4))
        group = rng.choice(np.array(["A", "B", "C"])[:k], n)
        group[: min(n, k)] = np.array(["A", "B", "C"])[: min(n, k)]
        stratum = rng.integers(1, int(rng.integers(1, 4)) + 1, n)
        frames.append(pd.DataFrame({"case": case, "time": time, "status": status, "group": group,
                                    "stratum": stratum}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="session")
def random_cases() -> pd.DataFrame:
    """The random data sets shared by the R cross-checks (seed 20260401)."""
    return make_random_cases(20260401)
