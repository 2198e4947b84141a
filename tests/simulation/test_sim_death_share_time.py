"""Deaths without progression whose share changes with time since entry (piecewise constant).

A PFS event at ``t`` months after entry is a death with the share of the piece holding ``t``
(Beyersmann et al., Stat Med 2009;28:956-971: the cause drawn with probability ``h_death / h``).
Checked against: binomial standard errors per piece and arm over 48,000 simulated patients; the
closed form of ``P(OS > t)`` for exponential PFS and PPS, integrated by hand piece by piece (not by
the quadrature under test); the calibrated median OS against simulated patients; the ceiling of
``P(OS > M)`` in closed form; and the constant share, whose trials must not change at all.
"""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from oncotrial.cli.simulate_cmd import simulate_command
from oncotrial.simulation.death_share import DeathShare
from oncotrial.simulation.distributions import DistributionKind, EventDistribution
from oncotrial.simulation.errors import ScenarioError
from oncotrial.simulation.model import compile_scenario
from oncotrial.simulation.numpy_generation import generate_patients
from oncotrial.simulation.outcome_calibration import os_survival
from oncotrial.simulation.runner import simulate_block
from oncotrial.simulation.scenario import Stratum
from oncotrial.simulation.scenario_reader import parse_scenario

LAM, MU = math.log(2) / 9.0, math.log(2) / 5.0   # PFS median 9 months (control), PPS median 5
HR = 0.75                                         # experimental PFS hazard ratio
CONTROL = ((0.0, 6.0, 12.0), (0.05, 0.30, 0.60))
EXPERIMENTAL = ((0.0, 4.0), (0.25, 0.05))
SCENARIO: dict[str, Any] = {
    "name": "dwp-time", "patients": 120, "seed": 97,
    "accrual": {"duration": 20, "timing": "random"},
    "allocation": {"method": "permuted_blocks", "block_sizes": [2, 4]},
    "control": {"distribution": "exponential", "median": 9},
    "experimental": {"hazard_ratio": HR},
    "overall_survival": {
        "post_progression": {"median": 5},
        "death_without_progression": {
            "control": {"starts": list(CONTROL[0]), "share": list(CONTROL[1])},
            "experimental": {"starts": list(EXPERIMENTAL[0]), "share": list(EXPERIMENTAL[1])}}},
    "analysis": {"cut": "calendar", "looks": [30], "tests": ["logrank", "os_logrank"]},
    "bounds": {"efficacy": [1.96]},
}
TRIALS = 400  # x 120 patients = 48,000


def _within(successes: float, n: int, p: float) -> bool:
    return abs(successes / n - p) <= 4 * math.sqrt(p * (1 - p) / n)


def _with_os(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SCENARIO)
    data["overall_survival"] = {**data["overall_survival"], **changes}
    return data


def closed_form_os(t: float, lam: float, mu: float, starts: tuple[float, ...], shares: tuple[float, ...]
                   ) -> float:
    """Exponential PFS (rate lam) and PPS (rate mu): S(t) + sum_j (1 - pi_j) int_{a_j}^{c_j} lam e^{-lam u}
    e^{-mu (t - u)} du over piece j cut at t = lam e^{-mu t} (e^{(mu-lam) c} - e^{(mu-lam) a})/(mu-lam)."""
    total = math.exp(-lam * t)
    ends = (*starts[1:], math.inf)
    for a, b, pi in zip(starts, ends, shares, strict=True):
        c = min(b, t)
        if c > a:
            grow = math.exp((mu - lam) * c) - math.exp((mu - lam) * a)
            total += (1 - pi) * lam * math.exp(-mu * t) * grow / (mu - lam)
    return total


@pytest.fixture(scope="module")
def patients():
    s = parse_scenario(copy.deepcopy(SCENARIO))
    return s, generate_patients(compile_scenario(s), np.arange(TRIALS, dtype=np.int64))


def test_the_share_of_deaths_in_each_piece_is_the_stated_one_per_arm(patients) -> None:
    _, p = patients
    assert p.death_first is not None
    for a, (starts, shares) in enumerate((CONTROL, EXPERIMENTAL)):
        ends = (*starts[1:], math.inf)
        for lo, hi, share in zip(starts, ends, shares, strict=True):
            piece = (p.arm == a) & (p.event_time >= lo) & (p.event_time < hi)
            assert piece.sum() > 2000
            assert _within(float(p.death_first[piece].sum()), int(piece.sum()), share), (a, lo, share)


def test_os_survival_from_simulated_patients_matches_the_closed_form(patients) -> None:
    _, p = patients
    assert p.os_time is not None
    for a, (lam, (starts, shares)) in enumerate(((LAM, CONTROL), (LAM * HR, EXPERIMENTAL))):
        arm = p.arm == a
        for t in (5.0, 15.0, 30.0):
            closed = closed_form_os(t, lam, MU, starts, shares)
            assert _within(float((p.os_time[arm] > t).sum()), int(arm.sum()), closed), (a, t)


@pytest.mark.parametrize("t", [3.0, 6.0, 9.5, 12.0, 30.0])
def test_os_survival_equals_the_closed_form_piece_by_piece(t: float) -> None:
    pfs = EventDistribution(DistributionKind.EXPONENTIAL, (0.0,), (LAM,))
    ours = os_survival(t, MU, pfs, (Stratum("all", 1.0, 1.0),), 0.0, (1.0, 1.0), DeathShare(*CONTROL))
    assert ours == pytest.approx(closed_form_os(t, LAM, MU, *CONTROL), abs=1e-8)


def test_median_os_calibrated_with_a_time_varying_share_holds_in_simulated_patients() -> None:
    data = copy.deepcopy(SCENARIO)
    data["strata"] = [{"name": "a", "prevalence": 0.6, "hazard_multiplier": 1.0},
                      {"name": "b", "prevalence": 0.4, "hazard_multiplier": 1.5}]
    data["response"] = {"orr": {"control": 0.4, "experimental": 0.55}}
    # late PFS events are mostly deaths: the calibration must use the pieces, not the first share
    data["overall_survival"] = {"median_os": {"control": 17, "experimental": 22},
                                "death_without_progression": {"starts": [0, 6], "share": [0.05, 0.6]}}
    s = parse_scenario(data)
    p = generate_patients(compile_scenario(s), np.arange(TRIALS, dtype=np.int64))
    assert p.os_time is not None
    for a, median in enumerate((17.0, 22.0)):
        arm = p.arm == a
        assert _within(float((p.os_time[arm] > median).sum()), int(arm.sum()), 0.5), a


def test_median_os_calibration_solves_the_closed_form_to_one_half() -> None:
    data = _with_os(median_os={"control": 20, "experimental": 24},
                    death_without_progression={"starts": [0, 3], "share": [0.9, 0.0]})
    del data["overall_survival"]["post_progression"]
    os_ = parse_scenario(data).overall_survival
    assert os_ is not None
    for rate, lam, m in zip(os_.pps_rates, (LAM, LAM * HR), (20.0, 24.0), strict=True):
        assert closed_form_os(m, lam, rate, (0.0, 3.0), (0.9, 0.0)) == pytest.approx(0.5, abs=1e-8)


def test_an_unreachable_median_is_refused_with_the_ceiling_of_the_pieces() -> None:
    # median PFS 6: S(M) + int_0^M (1 - pi) f = S(20) + (1 - S(3)) + 0.1 (S(3) - S(20)) = 0.453 < 1/2
    lam = math.log(2) / 6.0
    s3, s20 = math.exp(-3 * lam), math.exp(-20 * lam)
    ceiling = s20 + (1 - s3) + 0.1 * (s3 - s20)
    data = _with_os(median_os={"control": 20},
                    death_without_progression={"starts": [0, 3], "share": [0.0, 0.9]})
    data["control"] = {"distribution": "exponential", "median": 6}
    del data["overall_survival"]["post_progression"]
    with pytest.raises(ScenarioError) as err:
        parse_scenario(data)
    assert err.value.field == "overall_survival.median_os.control"
    assert f"at most {ceiling:.3f}" in str(err.value.expected)
    # the same deaths early instead of late: reachable (a constant 0.9 would not be)
    data["overall_survival"]["death_without_progression"] = {"starts": [0, 3], "share": [0.9, 0.0]}
    assert parse_scenario(data).overall_survival is not None
    data["overall_survival"]["death_without_progression"] = 0.9
    with pytest.raises(ScenarioError):
        parse_scenario(data)


KEY = "overall_survival.death_without_progression"


@pytest.mark.parametrize(("share", "field"), [
    ({"starts": [1, 6], "share": [0.1, 0.2]}, KEY + ".starts"),
    ({"starts": [0, 6, 6], "share": [0.1, 0.2, 0.3]}, KEY + ".starts"),
    ({"starts": [0, 12, 6], "share": [0.1, 0.2, 0.3]}, KEY + ".starts"),
    ({"starts": [0, "six"], "share": [0.1, 0.2]}, KEY + ".starts[1]"),
    ({"starts": 0, "share": [0.1]}, KEY + ".starts"),
    ({"starts": [], "share": []}, KEY + ".starts"),
    ({"starts": [0, 6], "share": [0.1]}, KEY + ".share"),
    ({"starts": [0, 6], "share": [0.1, 1.2]}, KEY + ".share[1]"),
    ({"starts": [0, 6]}, KEY + ".share"),
    ({"starts": [0, 6], "share": [0.1, 0.2], "until": 24}, KEY + ".until"),
    ({"control": {"starts": [0, 6], "share": [0.1, -0.2]}}, KEY + ".control.share[1]"),
    ({"control": 0.1, "experimental": {"starts": [0], "share": [True]}}, KEY + ".experimental.share[0]"),
])
def test_bad_piecewise_shares_are_refused_naming_the_field(share: Any, field: str) -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(_with_os(death_without_progression=share))
    assert err.value.field == field
    assert err.value.expected


@pytest.mark.parametrize("variant", [
    (0.08, {"starts": [0], "share": [0.08]}),
    (0.08, {"starts": [0, 6, 12], "share": [0.08, 0.08, 0.08]}),
    ({"control": 0.08, "experimental": 0.12},
     {"control": {"starts": [0], "share": [0.08]}, "experimental": 0.12}),
])
def test_a_constant_share_written_as_pieces_gives_bit_identical_trials(variant: tuple[Any, Any]) -> None:
    old, new = (parse_scenario(_with_os(death_without_progression=v)) for v in variant)
    # calibrated to a median OS: the same PPS hazard to the bit
    data = [_with_os(death_without_progression=v, median_os={"control": 14}) for v in variant]
    for d in data:
        del d["overall_survival"]["post_progression"]
    old_os, new_os = (parse_scenario(d).overall_survival for d in data)
    assert old_os is not None and new_os is not None and old_os.pps_rates == new_os.pps_rates
    trials = np.arange(50, dtype=np.int64)
    a, b = (generate_patients(compile_scenario(s), trials) for s in (old, new))
    assert a.os_time is not None and b.os_time is not None and a.death_first is not None
    assert np.array_equal(a.os_time, b.os_time) and np.array_equal(a.death_first, b.death_first)
    assert 0 < a.death_first.sum() < a.death_first.size
    for engine in ("numba", "numpy"):
        x, y = (simulate_block(compile_scenario(s), 0, 200, engine) for s in (old, new))
        assert np.array_equal(x.z, y.z, equal_nan=True) and np.array_equal(x.decision, y.decision)


def test_the_piecewise_share_round_trips_through_the_scenario_summary() -> None:
    s = parse_scenario(copy.deepcopy(SCENARIO))
    summary = json.loads(json.dumps(s.describe()))["overall_survival"]["death_without_progression"]
    assert summary["control"] == {"starts": list(CONTROL[0]), "share": list(CONTROL[1])}
    back = parse_scenario(_with_os(death_without_progression=summary)).overall_survival
    assert back is not None and s.overall_survival is not None
    assert back.death_share == s.overall_survival.death_share
    assert back.death_share == (DeathShare(*CONTROL), DeathShare(*EXPERIMENTAL))
    const = parse_scenario(_with_os(death_without_progression=0.08)).describe()["overall_survival"]
    assert const["death_without_progression"] == {"control": 0.08, "experimental": 0.08}


def test_the_null_twin_gives_the_experimental_arm_the_control_pieces() -> None:
    os_ = parse_scenario(copy.deepcopy(SCENARIO)).under_null().overall_survival
    assert os_ is not None and os_.death_share == (DeathShare(*CONTROL), DeathShare(*CONTROL))


def test_the_cli_prints_the_pieces(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(SCENARIO))  # JSON is YAML
    app = typer.Typer()
    app.command()(simulate_command)
    result = CliRunner().invoke(app, [str(path), "-n", "200", "--engine", "numpy"])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "OS: deaths without progression 5% from month 0, 30% from month 6, 60% from month 12 / " \
           "25% from month 0, 5% from month 4 of PFS events" in text
