"""Read the ``response`` and ``overall_survival`` sections of a scenario (see ``docs/simulation.md``).

Every error names the full path of the bad field, the value and what is accepted.
"""

from __future__ import annotations

import itertools
import math

from oncotrial.core.protocol.reader import Reader
from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import EventDistribution
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.outcome_calibration import (
    implied_median_os,
    pps_rate_for_median,
    response_multipliers,
)
from oncotrial.simulation.scenario import OverallSurvival, Response, Stratum

ARMS = ("control", "experimental")


def read_response(r: Reader) -> Response:
    """``response: {orr: {control, experimental}, pfs_hazard_multiplier, evaluable_after}``."""
    r.reject_unknown({"orr", "pfs_hazard_multiplier", "evaluable_after"})
    o = r.child("orr")
    o.reject_unknown({"control", "experimental"})
    orr = (o.number("control", minimum=0.0, maximum=1.0), o.number("experimental", minimum=0.0, maximum=1.0))
    h = r.number("pfs_hazard_multiplier", strictly_positive=True, maximum=20.0) \
        if r.has("pfs_hazard_multiplier") else 0.5
    after = r.number("evaluable_after", minimum=0.0) if r.has("evaluable_after") else 0.0
    return Response(orr, h, after)


def read_overall_survival(r: Reader, arms: tuple[EventDistribution, EventDistribution],
                          strata: tuple[Stratum, ...], response: Response | None, landmark: float
                          ) -> OverallSurvival:
    """``overall_survival``: ``post_progression`` (median or rate, common or per arm) or ``median_os``
    (per arm, or the control arm only for one PPS hazard in both arms), and optionally
    ``death_without_progression`` (the share of PFS events that are deaths, common or per arm, constant
    or piecewise constant in months since entry)."""
    r.reject_unknown({"post_progression", "median_os", "death_without_progression"})
    if r.has("post_progression") == r.has("median_os"):
        raise ScenarioError(r.path + ".post_progression", None,
                            "either 'post_progression' (median or rate) or 'median_os' per arm")
    share = read_death_share(r) if r.has("death_without_progression") else (DeathShare(), DeathShare())
    if r.has("post_progression"):
        pp = r.child("post_progression")
        if "control" in pp.mapping() or "experimental" in pp.mapping():
            pp.reject_unknown({"control", "experimental"})
            rates = (_pps_rate(pp.child("control")), _pps_rate(pp.child("experimental")))
        else:
            rate = _pps_rate(pp)
            rates = (rate, rate)
        return OverallSurvival(rates, None, share)
    m = r.child("median_os")
    m.reject_unknown({"control", "experimental"})
    if not m.has("control"):
        raise ScenarioError(m.path + ".control", None,
                            "a median OS for the control arm (alone: one post-progression hazard for both "
                            "arms; with 'experimental': one hazard per arm)")
    resp = response or Response((0.0, 0.0), 1.0)
    mult = response_multipliers(resp, arms, strata, landmark)
    control = m.number("control", strictly_positive=True)
    rate0 = pps_rate_for_median(control, arms[0], strata, resp.orr[0], mult[0], m.path + ".control", share[0])
    if not m.has("experimental"):
        implied = implied_median_os(rate0, arms[1], strata, resp.orr[1], mult[1], share[1])
        return OverallSurvival((rate0, rate0), (control, implied), share, common_pps=True)
    experimental = m.number("experimental", strictly_positive=True)
    rate1 = pps_rate_for_median(experimental, arms[1], strata, resp.orr[1], mult[1], m.path + ".experimental",
                                share[1])
    return OverallSurvival((rate0, rate1), (control, experimental), share)


def read_death_share(r: Reader) -> tuple[DeathShare, DeathShare]:
    """``death_without_progression``: a share in [0, 1] or ``{starts: [...], share: [...]}`` (piecewise
    constant in months since entry) for both arms, or ``{control: ..., experimental: ...}`` with either
    form per arm (an arm left out has no deaths without progression)."""
    key = "death_without_progression"
    raw = r.raw(key)
    if isinstance(raw, dict) and not ({"starts", "share"} & set(raw)):
        d = r.child(key)
        d.reject_unknown(set(ARMS))
        return (_death_share(d, "control") if d.has("control") else DeathShare(),
                _death_share(d, "experimental") if d.has("experimental") else DeathShare())
    share = _death_share(r, key)
    return share, share


def _death_share(r: Reader, key: str) -> DeathShare:
    if isinstance(r.raw(key), dict):
        return _piecewise_share(r.child(key))
    return DeathShare.constant(_share(r.raw(key), f"{r.path}.{key}" if r.path else key))


def _piecewise_share(r: Reader) -> DeathShare:
    r.reject_unknown({"starts", "share"})
    starts = tuple(_number(x.value, x.path, "a time since entry in months") for x in r.items("starts"))
    if starts[0] != 0.0 or any(b <= a for a, b in itertools.pairwise(starts)):
        raise ScenarioError(r.path + ".starts", list(starts),
                            "strictly increasing months since entry, the first 0 (where each piece starts)")
    shares = tuple(_share(x.value, x.path) for x in r.items("share"))
    if len(shares) != len(starts):
        raise ScenarioError(r.path + ".share", list(shares),
                            f"{len(starts)} shares in [0, 1], one per start in 'starts'")
    return DeathShare(starts, shares)


def _number(v: object, field: str, what: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
        raise ScenarioError(field, v, what)
    return float(v)


def _share(v: object, field: str) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0.0 <= v <= 1.0:
        raise ScenarioError(field, v, "the share of PFS events that are deaths without progression: a number "
                            "in [0, 1], or {starts: [0, ...], share: [...]} for a share that changes with "
                            "months since entry (or {control: ..., experimental: ...} with either form)")
    return float(v)


def _pps_rate(r: Reader) -> float:
    r.reject_unknown({"median", "rate"})
    if r.has("median") == r.has("rate"):
        raise ScenarioError(r.path + ".median", None,
                            "exactly one of median, rate (post-progression survival)")
    if r.has("median"):
        return math.log(2) / r.number("median", strictly_positive=True)
    return r.number("rate", strictly_positive=True)
