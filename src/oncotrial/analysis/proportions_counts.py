"""Counts of responders: checking the input of the response-rate estimators, and their shared renderers.

Response rates (ORR, DCR) are analysed from counts: ``x`` responders out of ``n`` evaluable
patients per arm (and per stratum). This module rejects counts that cannot be counts, and
gives every result object the same ``to_text``/``to_html`` pair (one table, several renderers).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray

from oncotrial.analysis.normal_distribution import normal_ppf
from oncotrial.analysis.rendering import render_html, render_text
from oncotrial.core.errors import DomainError

Alternative = Literal["two-sided", "less", "greater"]
ALTERNATIVES: tuple[str, ...] = get_args(Alternative)


def check_count(value: object, field: str) -> int:
    """Return a count (an integer ≥ 0) given as int, integral float or NumPy scalar."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise DomainError(field, value, "a whole number of patients (an integer ≥ 0)")
    number = float(value)
    if not math.isfinite(number) or number < 0 or number != math.floor(number):
        raise DomainError(field, value, "a whole number of patients (an integer ≥ 0)")
    return int(number)


def check_responders(x: object, n: object, *, arm: str = "") -> tuple[int, int]:
    """Check ``x`` responders out of ``n`` patients: integers with ``0 <= x <= n`` and ``n >= 1``."""
    prefix = f"{arm}." if arm else ""
    xi, ni = check_count(x, f"{prefix}x"), check_count(n, f"{prefix}n")
    if ni < 1:
        raise DomainError(f"{prefix}n", n, "at least 1 patient", "a rate needs a non-empty denominator")
    if xi > ni:
        raise DomainError(f"{prefix}x", x, f"at most n = {ni} responders",
                          "x counts responders among the n evaluable patients")
    return xi, ni


def check_count_array(values: ArrayLike, field: str) -> NDArray[np.int64]:
    """A 1-D array of counts (one per stratum)."""
    a = np.atleast_1d(np.asarray(values))
    if a.ndim != 1 or a.size == 0:
        raise DomainError(field, f"array of shape {a.shape}",
                          "one count per stratum (a non-empty 1-D sequence)")
    return np.array([check_count(v.item() if hasattr(v, "item") else v, f"{field}[{i}]")
                     for i, v in enumerate(a)], dtype=np.int64)


def check_level(conf_level: float) -> float:
    """Reject a confidence level outside (0, 1)."""
    if not isinstance(conf_level, numbers.Real) or not 0.0 < float(conf_level) < 1.0:
        raise DomainError("conf_level", conf_level, "a probability in (0, 1), such as 0.95")
    return float(conf_level)


def check_alternative(alternative: str) -> Alternative:
    """Reject an unknown alternative hypothesis."""
    if alternative not in ALTERNATIVES:
        raise DomainError("alternative", alternative, f"one of {', '.join(ALTERNATIVES)}",
                          "R's 'two.sided' is spelled 'two-sided' here")
    return alternative  # type: ignore[return-value]


def z_two_sided(conf_level: float) -> float:
    """:math:`z_{1-\\alpha/2}` for a two-sided interval of coverage (R ``qnorm((1+level)/2)``).

    Uses R's algorithm (AS 241, :mod:`oncotrial.analysis.normal_distribution`) so that limits
    agree with R to the last bits.
    """
    return normal_ppf((1.0 + conf_level) / 2.0)


def level_label(conf_level: float) -> str:
    """Column suffix such as ``0.95``."""
    return f"{conf_level:g}"


class RenderedResult:
    """Mixin: ``to_text`` and ``to_html`` from ``_title``, ``_tables`` and ``_notes``."""

    def _title(self) -> str:
        raise NotImplementedError

    def _tables(self) -> Sequence[pd.DataFrame]:
        raise NotImplementedError

    def _notes(self) -> Sequence[str]:
        return ()

    def to_text(self, decimals: int = 4) -> str:
        """Plain-text report."""
        return render_text(self._title(), self._tables(), self._notes(), decimals=decimals)

    def to_html(self, decimals: int = 4) -> str:
        """HTML fragment."""
        return render_html(self._title(), self._tables(), self._notes(), decimals=decimals)
