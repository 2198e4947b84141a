"""Right-censored survival data: checking the input of every survival estimator once.

The estimators in :mod:`oncotrial.analysis` accept array-likes (lists, NumPy arrays,
pandas Series) of follow-up times and event indicators. This module turns them into
float and boolean arrays and rejects what R's ``Surv()`` would reject or what has no
meaning for a trial (negative or missing times), with a suggestion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from oncotrial.core.errors import DomainError

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def check_durations(durations: ArrayLike, *, field: str = "durations") -> FloatArray:
    """Return follow-up times as a 1-D float array; reject missing, infinite or negative times.

    Parameters
    ----------
    durations:
        Time from origin (randomization) to event or censoring, one per patient.
    field:
        Name used in the error message.

    Raises
    ------
    DomainError
        If the times are not a non-empty 1-D array of finite numbers ≥ 0.
    """
    try:
        t = np.asarray(durations, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DomainError(field, durations, "numbers (follow-up times)",
                          "convert dates to times since randomization first") from exc
    if t.ndim != 1 or t.size == 0:
        raise DomainError(field, f"array of shape {t.shape}", "a non-empty 1-D sequence of times")
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DomainError(f"{field}[{i}]", float(t[i]), "a finite time ≥ 0",
                          "drop patients without follow-up or censor them at randomization (time 0)")
    return t


def check_events(event_observed: ArrayLike | None, n: int, *, field: str = "event_observed") -> BoolArray:
    """Return event indicators as a boolean array of length ``n`` (all events when ``None``).

    Accepts booleans or the codes 0 (censored) and 1 (event), as R's ``Surv(time, status)``.
    """
    if event_observed is None:
        return np.ones(n, dtype=np.bool_)
    e = np.asarray(event_observed)
    if e.shape != (n,):
        raise DomainError(field, f"array of shape {e.shape}", f"one indicator per time ({n})")
    if e.dtype == np.bool_:
        return np.asarray(e, dtype=np.bool_)
    try:
        ef = e.astype(np.float64)
    except (TypeError, ValueError) as exc:
        raise DomainError(field, event_observed, "0/1 or False/True") from exc
    bad = ~np.isin(ef, (0.0, 1.0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DomainError(f"{field}[{i}]", e[i].item(), "0 (censored) or 1 (event)",
                          "recode competing or unknown outcomes before the analysis")
    return np.asarray(ef == 1.0, dtype=np.bool_)


def check_labels(
    labels: ArrayLike | Sequence[Any], n: int, *, field: str
) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Return the sorted distinct labels and, per patient, the index of the patient's label.

    The order is that of R's ``factor()`` for numbers and plain ASCII strings (sorted).
    """
    a = np.asarray(labels)
    if a.shape != (n,):
        raise DomainError(field, f"array of shape {a.shape}", f"one label per patient ({n})")
    if a.dtype.kind == "f" and np.isnan(a).any():
        raise DomainError(field, "NaN", "a label for every patient", "drop patients with a missing label")
    if a.dtype == object and any(x is None for x in a):
        raise DomainError(field, None, "a label for every patient", "drop patients with a missing label")
    levels, index = np.unique(a, return_inverse=True)
    return levels, index.astype(np.intp).reshape(n)
