"""The Cox partial log-likelihood, its score and information, for R's three tie methods.

Data are sorted by stratum, then time. For a distinct event time :math:`t` in a stratum,
let :math:`R` be the risk set (time :math:`\\ge t`, same stratum), :math:`D \\subseteq R`
the :math:`d` patients with an event at :math:`t`, :math:`r_i = \\exp(x_i^\\top\\beta)`,
and :math:`S_0, S_1, S_2` the sums of :math:`r`, :math:`r x`, :math:`r x x^\\top` over
:math:`R` (:math:`S^D_\\cdot` over :math:`D`). The contribution to the log-likelihood is
:math:`\\sum_{i\\in D} x_i^\\top\\beta` minus (Therneau & Grambsch, *Modeling Survival
Data*, 2000, §3.3; R ``survival``, ``man/coxph.Rd``):

* Breslow: :math:`d \\log S_0`;
* Efron: :math:`\\sum_{k=0}^{d-1} \\log\\big(S_0 - \\tfrac{k}{d} S^D_0\\big)`, with the same
  down-weighting of :math:`S_1, S_2` in the score and information;
* exact (R's ``ties="exact"``, the discrete/conditional-logistic likelihood, SAS
  ``TIES=DISCRETE``): :math:`\\log e_d(r_R)`, where
  :math:`e_d(r_R) = \\sum_{Q\\subseteq R, |Q|=d} \\prod_{i\\in Q} r_i` is the elementary
  symmetric polynomial of the risk scores (Gail, Lubin & Rubinstein, *Biometrika* 68, 1981).

For one-event times the three coincide. Score :math:`u` and information :math:`I` are the
first derivative and minus the second derivative of the log-likelihood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from oncotrial.analysis.survival_data import FloatArray

Ties = Literal["efron", "breslow", "exact"]
IntArray = NDArray[np.intp]


@dataclass(frozen=True, slots=True)
class RiskSets:
    """Sorted covariates and, per event time, where its risk set lies (built once per fit).

    Attributes
    ----------
    x:
        Covariates, shape (n, p), sorted by stratum then time.
    event_rows:
        Sorted-row indices of the events, in order.
    first_event:
        Per event time, the position in ``event_rows`` of its first event.
    event_time:
        Per event, the index of its event time.
    start:
        Per event time, its risk set is the sorted rows from ``start`` to the end of the stratum.
    bounds:
        First sorted row of each stratum, then n.
    n_events:
        Events per event time.
    efron_fraction:
        Per event, :math:`k/d` where it is the :math:`k`-th (from 0) of :math:`d` tied events.
    desc_order, desc_start, desc_stop:
        R's order for the exact method (within stratum, times decreasing, ties in data order);
        per event time, its risk set is ``desc_order[desc_start:desc_stop]``, the tied events last.
    """

    x: FloatArray
    event_rows: IntArray
    first_event: IntArray
    event_time: IntArray
    start: IntArray
    bounds: IntArray
    n_events: IntArray
    efron_fraction: FloatArray
    desc_order: IntArray
    desc_start: IntArray
    desc_stop: IntArray

    @classmethod
    def build(cls, time: FloatArray, event: NDArray[np.bool_], stratum: IntArray, x: FloatArray) -> RiskSets:
        """Sort by (stratum, time) and index the risk set of every event time."""
        order = np.lexsort((time, stratum))
        t, e, s = time[order], event[order], stratum[order]
        n = t.size
        new_time = np.concatenate(([True], (t[1:] != t[:-1]) | (s[1:] != s[:-1])))
        new_stratum = np.concatenate(([True], s[1:] != s[:-1]))
        time_id = np.cumsum(new_time) - 1
        time_first = np.flatnonzero(new_time)
        stratum_first = np.flatnonzero(new_stratum)
        stratum_id = np.cumsum(new_stratum) - 1
        event_rows = np.flatnonzero(e)
        _, first_event, counts = np.unique(time_id[event_rows], return_index=True, return_counts=True)
        event_time = np.repeat(np.arange(counts.size), counts)
        start = time_first[time_id[event_rows[first_event]]]
        k = np.arange(event_rows.size) - first_event[event_time]
        desc = np.lexsort((np.arange(n), -t, s))
        position = np.empty(n, dtype=np.intp)
        position[desc] = np.arange(n)
        time_last = np.append(time_first[1:], n)[time_id[start]] - 1
        return cls(x=np.ascontiguousarray(x[order]), event_rows=event_rows, first_event=first_event,
                   event_time=event_time, start=start, bounds=np.append(stratum_first, n), n_events=counts,
                   efron_fraction=k / counts[event_time], desc_order=desc.astype(np.intp),
                   desc_start=stratum_first[stratum_id[start]], desc_stop=position[time_last] + 1)


def _pairs(p: int) -> tuple[IntArray, IntArray]:
    """Indices of the upper triangle (with diagonal) of a p×p matrix."""
    i, j = np.triu_indices(p)
    return i.astype(np.intp), j.astype(np.intp)


def _symmetric(values: FloatArray, p: int) -> FloatArray:
    i, j = _pairs(p)
    out = np.zeros((p, p))
    out[i, j] = values
    out[j, i] = values
    return out


def _risk_moments(rs: RiskSets, r: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Per event time: sums of (r, r x, r x x^T upper triangle) over the risk set and over the events."""
    i, j = _pairs(rs.x.shape[1])
    rx = r[:, None] * rs.x
    w = np.concatenate((r[:, None], rx, rx[:, i] * rs.x[:, j]), axis=1)
    tail = np.empty_like(w)
    for lo, hi in zip(rs.bounds[:-1], rs.bounds[1:], strict=True):  # within strata, nothing subtracted
        tail[lo:hi] = np.cumsum(w[lo:hi][::-1], axis=0)[::-1]
    at_risk = tail[rs.start]
    if rs.event_rows.size == 0:
        return at_risk, at_risk
    events = np.add.reduceat(w[rs.event_rows], rs.first_event, axis=0)
    return at_risk, events


def _approximate_terms(
    rs: RiskSets, eta: FloatArray, r: FloatArray, efron: bool, keep: NDArray[np.bool_] | None = None,
) -> tuple[float, FloatArray, FloatArray]:
    """Breslow or Efron log-likelihood, score and information (optionally for some event times only)."""
    p = rs.x.shape[1]
    at_risk, events = _risk_moments(rs, r)
    rows, per_event = rs.event_rows, rs.event_time
    fraction = rs.efron_fraction if efron else np.zeros(rows.size)
    if keep is not None:
        mask = keep[per_event]
        rows, per_event, fraction = rows[mask], per_event[mask], fraction[mask]
    sums = at_risk[per_event] - fraction[:, None] * events[per_event]
    denom = sums[:, 0]
    mean = sums[:, 1:1 + p] / denom[:, None]
    second = sums[:, 1 + p:] / denom[:, None]
    i, j = _pairs(p)
    with np.errstate(divide="ignore", invalid="ignore"):
        loglik = float(eta[rows].sum() - np.log(denom).sum())
    score = rs.x[rows].sum(axis=0) - mean.sum(axis=0)
    info = second.sum(axis=0) - (mean[:, i] * mean[:, j]).sum(axis=0)
    return loglik, score, _symmetric(info, p)


def _exact_levels(
    r: FloatArray, x: FloatArray, wanted: dict[int, IntArray],
) -> dict[int, tuple[FloatArray, FloatArray, FloatArray]]:
    """Elementary symmetric polynomials of the prefixes of ``r`` and their derivatives.

    With :math:`E_j(m) = e_j(r_1, \\dots, r_m)` (patients in R's order), the recursion
    :math:`E_j(m) = E_j(m-1) + r_m E_{j-1}(m-1)` makes each level :math:`j` a cumulative sum
    over patients; the first and second derivatives in :math:`\\beta` follow by the product
    rule. For each level ``j`` in ``wanted``, returns :math:`E_j`, its gradient and its second
    derivatives (upper triangle) at the prefix lengths ``wanted[j]``. One pass serves every
    event time of a stratum, as R's memoised recursion (``coxd0``, ``coxd1``, ``coxd2``) does.
    As in R the sums are not rescaled: where R's overflow, ours do, and the Newton step is
    halved. An overflow in an entry R never evaluates cannot reach the entries read here.
    """
    n, p = x.shape
    i, j = _pairs(p)
    xx = x[:, i] * x[:, j]
    e_prev = np.ones(n + 1)
    f_prev = np.zeros((n + 1, p))
    s_prev = np.zeros((n + 1, i.size))
    out = {}
    for level in range(1, max(wanted) + 1):
        e_lag, f_lag, s_lag = e_prev[:-1, None], f_prev[:-1], s_prev[:-1]
        e_next, f_next, s_next = np.zeros(n + 1), np.zeros((n + 1, p)), np.zeros((n + 1, i.size))
        e_next[1:] = np.cumsum(r * e_lag[:, 0])
        f_next[1:] = np.cumsum(r[:, None] * (x * e_lag + f_lag), axis=0)
        s_next[1:] = np.cumsum(r[:, None] * (xx * e_lag + x[:, i] * f_lag[:, j] + x[:, j] * f_lag[:, i]
                                             + s_lag), axis=0)
        e_prev, f_prev, s_prev = e_next, f_next, s_next
        if level in wanted:
            m = wanted[level]
            out[level] = (e_prev[m], f_prev[m], s_prev[m])
    return out


def _exact_terms(rs: RiskSets, eta: FloatArray, r: FloatArray) -> tuple[float, FloatArray, FloatArray]:
    """Exact (discrete) likelihood: the Breslow terms where one event, the subset sums where tied."""
    tied = rs.n_events > 1
    loglik, score, info = _approximate_terms(rs, eta, r, efron=False, keep=~tied)
    p = rs.x.shape[1]
    i, j = _pairs(p)
    size = rs.desc_stop - rs.desc_start
    # everyone at risk has the event: the term is exactly 0 whatever beta (no information)
    groups = np.flatnonzero(tied & (size > rs.n_events))
    for lo in np.unique(rs.desc_start[groups]):
        here = groups[rs.desc_start[groups] == lo]
        rows = rs.desc_order[lo:int(rs.desc_stop[here].max())]
        d, m = rs.n_events[here], size[here]
        levels = _exact_levels(r[rows], rs.x[rows], {int(k): m[d == k] for k in np.unique(d)})
        for k, (total, grad, hess) in levels.items():
            with_k = here[d == k]
            mean, second = grad / total[:, None], hess / total[:, None]
            starts = rs.first_event[with_k]
            events = rs.event_rows[(starts[:, None] + np.arange(k)).ravel()]
            loglik += float(eta[events].sum() - np.log(total).sum())
            score = score + rs.x[events].sum(axis=0) - mean.sum(axis=0)
            info = info + _symmetric(second.sum(axis=0) - (mean[:, i] * mean[:, j]).sum(axis=0), p)
    return loglik, score, info


def partial_likelihood(rs: RiskSets, beta: FloatArray, ties: Ties) -> tuple[float, FloatArray, FloatArray]:
    """Log partial likelihood, score vector and information matrix at ``beta``.

    Parameters
    ----------
    rs:
        The indexed data (:meth:`RiskSets.build`).
    beta:
        Coefficients on the scale of ``rs.x``.
    ties:
        ``"efron"``, ``"breslow"`` or ``"exact"``.

    Returns
    -------
    (loglik, score, information):
        Non-finite values where :math:`\\exp(x^\\top\\beta)` overflows, as in R's C code,
        which then halves the Newton step.
    """
    eta = rs.x @ beta
    with np.errstate(all="ignore"):
        r = np.exp(eta)
        if ties == "exact":
            return _exact_terms(rs, eta, r)
        return _approximate_terms(rs, eta, r, efron=ties == "efron")
