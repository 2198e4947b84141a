"""Per-cycle laboratory values that give the intended CTCAE v5.0 grades.

For each toxicity test (neutrophils, platelets, ALT, AST, total bilirubin) the patient
draws a worst on-treatment grade from its arm's distribution
(:class:`~oncotrial.synthetic.scenario.ArmScenario`, sources there) and the draw at
which it happens (a day-8 nadir in cycles 1–6 for counts, a draw of cycles 1–7 for
liver tests) [ASSUMP]. Every other on-treatment draw gets a background grade no worse
than min(worst, 2) (counts on day 8: 0/1/2 with 50/25/25 %; day 1: 75/20/5 %; liver
tests 85/15 % grade 0/1) [ASSUMP]; the draw after a grade ≥ 3 recovers to grade 2 or
1; the cycle's ``recheck`` draw (5 days after day 1) is at most grade 1. The cycle-1
day-1 draw is the pre-dose baseline: screening counts ± 5 %, liver tests equal to
screening, so both candidate CTCAE baselines agree.

A value is drawn inside its grade's CTCAE v5.0 band (admiral ncictcaev5 thresholds,
clinical-content.md §3.3), away from the edges:

* neutrophils (10⁹/L): G1 [1.5, LLN), G2 [1.0, 1.5), G3 [0.5, 1.0), G4 < 0.5;
* platelets (10⁹/L): G1 [75, LLN), G2 [50, 75), G3 [25, 50), G4 < 25;
* ALT/AST: G1 > ULN–3 × ULN (baseline abnormal: 1.5–3 × baseline), G2 3–5, G3 5–20,
  G4 > 20 × ULN (or × baseline);
* bilirubin: G1 > ULN–1.5 × ULN (baseline abnormal: > 1.0–1.5 × baseline), G2 1.5–3,
  G3 3–10, G4 > 10.

Other tests [ASSUMP]: WBC = neutrophils + 0.8–2.0 × 10⁹/L; haemoglobin falls 2 g/L per
cycle ± 4 (floor 70); albumin −0.3 g/L per cycle ± 2; creatinine ± 10 %; PT/INR ± 3 %;
CA19-9 and CEA follow the tumour (× exp(1.5 × relative change of the RECIST sum));
24-h urine protein follows the proteinuria AE grade (G0 < 0.15, G1 0.16–0.95, G2
1.05–3.3, G3 3.6–5.5 g/24 h).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.core.units import Measurand
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.model import LabPanel, LabValue, SiteRanges, lab
from oncotrial.synthetic.scenario import ArmScenario

M = Measurand
TOX_TESTS = (M.NEUTROPHILS, M.PLATELETS, M.ALT, M.AST, M.BILIRUBIN)
_DIGITS = {
    M.WBC: 2,
    M.NEUTROPHILS: 2,
    M.HEMOGLOBIN: 0,
    M.PLATELETS: 0,
    M.ALBUMIN: 1,
    M.BILIRUBIN: 1,
    M.AST: 0,
    M.ALT: 0,
    M.CREATININE: 0,
    M.PROTHROMBIN_TIME: 1,
    M.INR: 2,
    M.CA19_9: 1,
    M.CEA: 1,
    M.URINE_PROTEIN_24H: 2,
}


@dataclass(frozen=True, slots=True)
class Draw:
    """One scheduled blood draw: ``kind`` is ``d1``, ``d8`` or ``recheck``."""

    cycle: int
    kind: str
    on: date


@dataclass(frozen=True, slots=True)
class GradedDraw:
    """The intended CTCAE grade of a tox test at a nominal on-treatment draw."""

    test: Measurand
    on: date
    grade: int
    cycle: int


URINE_PROTEIN_BANDS: tuple[tuple[float, float], ...] = ((0.04, 0.14), (0.16, 0.95), (1.05, 3.3), (3.6, 5.5))
"""24-h urine protein (g/24 h) drawn for proteinuria grade 0, 1, 2, ≥3 (CTCAE v5.0: grade 2 is
1.0–3.4 g/24 h, grade 3 ≥ 3.5 g/24 h; grade 1 below 1.0 g/24 h)."""


def _count_value(d: Draws, grade: int, lln: float, base: float, bands: tuple[float, ...]) -> float:
    g1_low, g2_low, g3_low, g4_low = bands
    if grade == 0:
        return d.uniform(lln * 1.02, max(lln * 1.12, base * 1.1))
    lows = (g1_low, g2_low, g3_low, g4_low)
    highs = (lln, g1_low, g2_low, g3_low)
    lo, hi = lows[grade - 1], highs[grade - 1]
    margin = max(0.02 * (hi - lo), 0.6 if lln > 20 else 0.006)  # platelets are rounded to whole numbers
    return d.uniform(lo + margin, hi - margin)


def _liver_value(d: Draws, grade: int, uln: float, base: float, bili: bool) -> float:
    abnormal = base > uln
    ref = base if abnormal else uln
    if grade == 0:
        if abnormal:
            return base * (d.uniform(0.85, 0.98) if bili else d.uniform(0.8, 1.42))
        return min(uln * 0.98, base * d.uniform(0.8, 1.25))
    if bili:
        bands = ((1.05, 1.45), (1.55, 2.9), (3.1, 8.0), (10.5, 14.0))
    else:
        bands = ((1.55 if abnormal else 1.05, 2.9), (3.1, 4.9), (5.2, 12.0), (21.0, 28.0))
    lo, hi = bands[grade - 1]
    return ref * d.uniform(lo, hi)


def _grade_of_count(value: float, lln: float, bands: tuple[float, ...]) -> int:
    if value >= lln:
        return 0
    for g, low in enumerate(bands, start=1):
        if value >= low:
            return g
    return 4


_COUNT_BANDS = {M.NEUTROPHILS: (1.5, 1.0, 0.5, 0.05), M.PLATELETS: (75.0, 50.0, 25.0, 5.0)}


def _background(d: Draws, test: Measurand, kind: str) -> int:
    if test in (M.NEUTROPHILS, M.PLATELETS):
        if kind == "d8":
            return d.choice((0.5, 0.25, 0.25) if test is M.NEUTROPHILS else (0.6, 0.3, 0.1))
        return d.choice((0.75, 0.2, 0.05) if test is M.NEUTROPHILS else (0.8, 0.2))
    return d.choice((0.85, 0.15))


def _worst_probabilities(arm: ArmScenario, test: Measurand) -> tuple[float, ...]:
    return {
        M.NEUTROPHILS: arm.neutropenia,
        M.PLATELETS: arm.thrombocytopenia,
        M.ALT: arm.alt_increased,
        M.AST: arm.ast_increased,
        M.BILIRUBIN: arm.bilirubin_increased,
    }[test]


def plan_grades(
    d: Draws,
    arm: ArmScenario,
    draws: list[Draw],
    baseline_grades: dict[Measurand, int],
    forced: dict[Measurand, tuple[date, int]],
) -> dict[tuple[Measurand, int], int]:
    """Intended grade per (test, index in ``draws``) for the nominal on-treatment draws.

    ``forced`` sets a test's worst grade at the first draw on or after a date (immune
    hepatitis raises ALT/AST on its onset).
    """
    grades: dict[tuple[Measurand, int], int] = {}
    nominal = [
        i for i, x in enumerate(draws) if x.kind != "recheck" and not (x.cycle == 1 and x.kind == "d1")
    ]
    for test in TOX_TESTS:
        worst = max(d.choice(_worst_probabilities(arm, test)), baseline_grades.get(test, 0))
        if test in (M.NEUTROPHILS, M.PLATELETS):
            eligible = [i for i in nominal if draws[i].kind == "d8" and draws[i].cycle <= 6] or [
                i for i in nominal if draws[i].cycle <= 7
            ]
        else:
            eligible = [i for i in nominal if draws[i].cycle <= 7]
        onset = eligible[d.integer(0, len(eligible) - 1)] if eligible else None
        if test in forced:
            when, g = forced[test]
            later = [i for i in nominal if draws[i].on >= when]
            if later and g >= worst:
                onset, worst = later[0], g
        floor = baseline_grades.get(test, 0)
        previous_severe = False
        for i in nominal:
            if i == onset:
                g = worst
            elif previous_severe:
                g = min(worst, 2 if d.bernoulli(0.5) else 1)
            else:
                g = min(_background(d, test, draws[i].kind), worst, 2)
            g = max(g, floor) if test in (M.NEUTROPHILS, M.PLATELETS) else g
            grades[(test, i)] = g
            previous_severe = i == onset and worst >= 3
        # checks draws take at most grade 1, derived from their cycle's day-1 grade below
    return grades


def lab_panels(
    d: Draws,
    arm: ArmScenario,
    *,
    draws: list[Draw],
    baseline: LabPanel,
    ranges: SiteRanges,
    forced: dict[Measurand, tuple[date, int]],
    tumour_change: Callable[[date], float],
    proteinuria_grade: Callable[[date], int],
) -> tuple[list[LabPanel], list[GradedDraw]]:
    """One :class:`LabPanel` per draw (same order) and the intended grades of the tox tests."""
    base = {v.test: v.value for v in baseline.values}
    lln = {t: ranges.lln(t) for t in (M.NEUTROPHILS, M.PLATELETS)}
    uln = {t: ranges.uln(t) for t in (M.ALT, M.AST, M.BILIRUBIN)}
    baseline_grades = {t: _grade_of_count(base[t], lln[t], _COUNT_BANDS[t]) for t in _COUNT_BANDS}
    grades = plan_grades(d, arm, draws, baseline_grades, forced)
    last_d1: dict[Measurand, int] = {}
    panels: list[LabPanel] = []
    graded: list[GradedDraw] = []
    for i, x in enumerate(draws):
        values: dict[Measurand, float] = {}
        if x.cycle == 1 and x.kind == "d1":
            for t in (*TOX_TESTS, M.WBC, M.HEMOGLOBIN, M.ALBUMIN, M.CREATININE, M.PROTHROMBIN_TIME, M.INR):
                values[t] = base[t] * d.uniform(0.95, 1.05)
            for t in (M.ALT, M.AST, M.BILIRUBIN):  # the pre-dose liver tests repeat screening exactly
                values[t] = base[t]
            values[M.INR] = min(values[M.INR], 1.25)
        else:
            for t in TOX_TESTS:
                g = grades[(t, i)] if x.kind != "recheck" else min(last_d1.get(t, 0), 1)
                if x.kind == "d1":
                    last_d1[t] = g
                if t in _COUNT_BANDS:
                    values[t] = _count_value(d, g, lln[t], base[t], _COUNT_BANDS[t])
                else:
                    values[t] = _liver_value(d, g, uln[t], base[t], t is M.BILIRUBIN)
                if x.kind != "recheck":
                    graded.append(GradedDraw(t, x.on, g, x.cycle))
            values[M.WBC] = values[M.NEUTROPHILS] + d.uniform(0.8, 2.0)
            values[M.HEMOGLOBIN] = max(70.0, base[M.HEMOGLOBIN] - 2.0 * (x.cycle - 1) + d.normal(0.0, 4.0))
            values[M.ALBUMIN] = min(max(25.0, base[M.ALBUMIN] - 0.3 * x.cycle + d.normal(0.0, 2.0)), 52.0)
            values[M.CREATININE] = base[M.CREATININE] * d.uniform(0.9, 1.1)
            values[M.PROTHROMBIN_TIME] = base[M.PROTHROMBIN_TIME] * d.uniform(0.97, 1.03)
            values[M.INR] = base[M.INR] * d.uniform(0.97, 1.03)
        pg = proteinuria_grade(x.on)
        if x.kind == "d8":
            values.pop(M.PROTHROMBIN_TIME, None)
            values.pop(M.INR, None)
        if x.kind != "d8" or pg > 0:
            # Day 8 repeats the 24-h urine protein while proteinuria is ongoing: the lenvatinib
            # proteinuria rule (core dosing) needs the day's value to decide.
            values[M.URINE_PROTEIN_24H] = d.uniform(*URINE_PROTEIN_BANDS[min(pg, 3)])
        if x.kind == "d1":
            shrink = tumour_change(x.on)
            values[M.CA19_9] = min(max(base[M.CA19_9] * pow(2.718281828, 1.5 * shrink), 0.5), 1e6)
            values[M.CEA] = min(max(base[M.CEA] * pow(2.718281828, 1.5 * shrink), 0.2), 1e5)
        panels.append(LabPanel(x.on, _ordered(values, x.on)))
    return panels, graded


_ORDER = (
    M.WBC,
    M.NEUTROPHILS,
    M.HEMOGLOBIN,
    M.PLATELETS,
    M.ALBUMIN,
    M.BILIRUBIN,
    M.AST,
    M.ALT,
    M.CREATININE,
    M.PROTHROMBIN_TIME,
    M.INR,
    M.CA19_9,
    M.CEA,
    M.URINE_PROTEIN_24H,
)


def _ordered(values: dict[Measurand, float], on: date) -> tuple[LabValue, ...]:
    return tuple(lab(t, values[t], on, _DIGITS[t]) for t in _ORDER if t in values)


def anemia_grade(hgb: float, lln: float) -> int:
    """CTCAE v5.0 Anemia from haemoglobin (g/L): G1 < LLN–100, G2 < 100–80, G3 < 80."""
    if hgb >= lln:
        return 0
    return 1 if hgb >= 100.0 else 2 if hgb >= 80.0 else 3


def day_offset(d: Draws, low: int, high: int) -> timedelta:
    return timedelta(days=d.integer(low, high))
