"""Child-Pugh: band tables, boundaries on both sides, published table cases, properties.

The expected points of every case below are read by hand from the published
Child-Pugh tables, cited next to each case:

* Harrison's 20th ed. table (µmol/L, g/L, INR, PT):
  https://download.skyscape.com/download/ota/lonestar/76CD77F7-898A-4928-AE45-A3D54D0FF0F0/harrisons.ed20/content/HTML/m/tl14.htm
* Cleveland Clinic J Med table 1 (mg/dL, g/dL, INR):
  https://www.ccjm.org/highwire/markup/12320/expansion?height=500&iframe=true&width=1000
* Gut (BMJ) table 2 (bilirubin <34 / 34–51 / >51 µmol/L; albumin >35 / 28–35 / <28 g/L):
  https://gut.bmj.com/highwire/markup/188450/expansion
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.calculators.child_pugh import (
    CLASS_BANDS,
    TABLES,
    AlbuminCutoffs,
    Ascites,
    Band,
    ChildPughClass,
    CoagulationBasis,
    Encephalopathy,
    check_bands,
    child_pugh_class,
    child_pugh_score,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.units import Measurand, Measurement, measure


def bili(value: float, unit: str = "µmol/L") -> Measurement:
    return measure(Measurand.BILIRUBIN, value, unit)


def alb(value: float, unit: str = "g/L") -> Measurement:
    return measure(Measurand.ALBUMIN, value, unit)


def inr(value: float) -> Measurement:
    return measure(Measurand.INR, value, "1")


def pt(seconds: float) -> Measurement:
    return measure(Measurand.PROTHROMBIN_TIME, seconds, "s")


NORMAL = {
    "bilirubin": bili(10), "albumin": alb(42), "inr": inr(1.0),
    "ascites": Ascites.NONE, "encephalopathy": Encephalopathy.NONE,
}


def score_with(**changes: object) -> int:
    """Total score of a patient who is normal except for ``changes``."""
    inputs = {**NORMAL, **changes}
    return child_pugh_score(**inputs).total  # type: ignore[arg-type]


# --- tables --------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_band_table_covers_its_range_exactly_once(name: str) -> None:
    bands, low, high = TABLES[name]
    check_bands(bands, low=low, high=high, name=name)
    # Independent probe: every boundary, and points just either side of it, lie in
    # exactly one band.
    for edge in sorted({b.lower for b in bands} | {b.upper for b in bands}):
        if not math.isfinite(edge):
            continue
        for probe in (edge - 1e-6, edge, edge + 1e-6):
            if low <= probe <= high:
                assert sum(b.contains(probe) for b in bands) == 1, (name, probe)


@given(data=st.data())
def test_any_value_in_a_table_range_falls_in_exactly_one_band(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(TABLES)))
    bands, low, high = TABLES[name]
    value = data.draw(st.floats(min_value=max(low, -1e6), max_value=min(high, 1e6)))
    assert sum(b.contains(value) for b in bands) == 1


@pytest.mark.parametrize(
    ("bands", "why"),
    [
        ((Band(1, 0, 30, "left"), Band(2, 31, math.inf, "left")), "gap between bands"),
        ((Band(1, 0, 30, "both"), Band(2, 30, math.inf, "left")), "30 in both"),
        ((Band(1, 0, 30, "left"), Band(2, 30, math.inf, "neither")), "30 in neither"),
        ((Band(1, 0, 30, "left"), Band(2, 25, math.inf, "left")), "overlap"),
        ((Band(1, 1, 30, "left"), Band(2, 30, math.inf, "left")), "starts too late"),
        ((Band(1, 0, 30, "neither"), Band(2, 30, math.inf, "left")), "0 not covered"),
        ((Band(1, 0, 30, "left"), Band(2, 30, 100, "left")), "ends too early"),
        ((Band(1, 0, 0, "left"), Band(2, 0, math.inf, "left")), "empty band"),
        ((), "no band"),
    ],
)
def test_the_table_checker_rejects_broken_tables(bands: tuple[Band, ...], why: str) -> None:
    with pytest.raises(DomainError):
        check_bands(bands, low=0.0, high=math.inf, name=why)


def test_class_table_covers_scores_5_to_15_exactly_once() -> None:
    covered = [s for _, low, high in CLASS_BANDS for s in range(low, high + 1)]
    assert sorted(covered) == list(range(5, 16))


# --- boundaries on both sides ----------------------------------------------------------

@pytest.mark.parametrize(
    ("value", "unit", "points"),
    [
        (33.9, "µmol/L", 1), (34, "µmol/L", 2), (51, "µmol/L", 2), (51.1, "µmol/L", 3),
        (1.99, "mg/dL", 1), (2.0, "mg/dL", 2), (3.0, "mg/dL", 2), (3.01, "mg/dL", 3),
    ],
)
def test_bilirubin_boundaries(value: float, unit: str, points: int) -> None:
    assert child_pugh_score(**{**NORMAL, "bilirubin": bili(value, unit)}).bilirubin_points == points  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "unit", "cutoffs", "points"),
    [
        (35.1, "g/L", AlbuminCutoffs.PUGH_1973, 1), (35, "g/L", AlbuminCutoffs.PUGH_1973, 2),
        (28, "g/L", AlbuminCutoffs.PUGH_1973, 2), (27.9, "g/L", AlbuminCutoffs.PUGH_1973, 3),
        (3.6, "g/dL", AlbuminCutoffs.PUGH_1973, 1), (3.5, "g/dL", AlbuminCutoffs.PUGH_1973, 2),
        (2.8, "g/dL", AlbuminCutoffs.PUGH_1973, 2), (2.7, "g/dL", AlbuminCutoffs.PUGH_1973, 3),
        (35.1, "g/L", AlbuminCutoffs.HARRISON, 1), (35, "g/L", AlbuminCutoffs.HARRISON, 2),
        (30, "g/L", AlbuminCutoffs.HARRISON, 2), (29.9, "g/L", AlbuminCutoffs.HARRISON, 3),
        (28, "g/L", AlbuminCutoffs.HARRISON, 3),
    ],
)
def test_albumin_boundaries(value: float, unit: str, cutoffs: AlbuminCutoffs, points: int) -> None:
    result = child_pugh_score(**{**NORMAL, "albumin": alb(value, unit)}, albumin_cutoffs=cutoffs)  # type: ignore[arg-type]
    assert result.albumin_points == points
    assert result.albumin_cutoffs is cutoffs


@pytest.mark.parametrize(("value", "points"), [(1.69, 1), (1.7, 2), (2.3, 2), (2.31, 3)])
def test_inr_boundaries(value: float, points: int) -> None:
    result = child_pugh_score(**{**NORMAL, "inr": inr(value)})  # type: ignore[arg-type]
    assert result.coagulation_points == points
    assert result.coagulation_basis is CoagulationBasis.INR


@pytest.mark.parametrize(
    ("patient_s", "points"), [(15.9, 1), (16.0, 2), (18.0, 2), (18.1, 3), (11.0, 1)]
)
def test_pt_prolongation_boundaries_over_a_12_s_control(patient_s: float, points: int) -> None:
    # Prolongation = patient − control: 3.9 s → 1; 4 s → 2; 6 s → 2; 6.1 s → 3; −1 s → 1.
    inputs = {k: v for k, v in NORMAL.items() if k != "inr"}
    result = child_pugh_score(
        **inputs, prothrombin_time=pt(patient_s), control_prothrombin_time=pt(12.0)  # type: ignore[arg-type]
    )
    assert result.coagulation_points == points
    assert result.coagulation_basis is CoagulationBasis.PT_PROLONGATION


@pytest.mark.parametrize(
    ("score", "klass"),
    [(5, "A"), (6, "A"), (7, "B"), (9, "B"), (10, "C"), (15, "C")],
)
def test_class_boundaries(score: int, klass: str) -> None:
    assert child_pugh_class(score) == ChildPughClass(klass)


@pytest.mark.parametrize("score", [4, 16, 7.0, True, "7"])
def test_class_of_an_impossible_score_is_rejected(score: object) -> None:
    with pytest.raises(DomainError):
        child_pugh_class(score)  # type: ignore[arg-type]


# --- cases read from the published tables ------------------------------------------------

def test_all_normal_findings_score_5_class_a() -> None:
    # Harrison's table: bilirubin 17 µmol/L (<34 → 1), albumin 40 g/L (>35 → 1),
    # INR 1.0 (<1.7 → 1), no ascites (1), no encephalopathy (1): 5 → class A.
    result = child_pugh_score(bilirubin=bili(17), albumin=alb(40), inr=inr(1.0),
                              ascites=Ascites.NONE, encephalopathy=Encephalopathy.NONE)
    assert (result.total, result.child_pugh_class) == (5, ChildPughClass.A)


def test_conventional_units_case_scores_8_class_b() -> None:
    # CCJM table 1: bilirubin 2.5 mg/dL (2–3 → 2), albumin 3.0 g/dL (2.8–3.5 → 2),
    # INR 1.5 (<1.7 → 1), mild ascites (2), no encephalopathy (1): 2+2+1+2+1 = 8 → B.
    result = child_pugh_score(bilirubin=bili(2.5, "mg/dL"), albumin=alb(3.0, "g/dL"),
                              inr=inr(1.5), ascites=Ascites.MILD,
                              encephalopathy=Encephalopathy.NONE)
    assert (result.bilirubin_points, result.albumin_points, result.coagulation_points,
            result.ascites_points, result.encephalopathy_points) == (2, 2, 1, 2, 1)
    assert (result.total, result.child_pugh_class) == (8, ChildPughClass.B)


def test_worst_findings_score_15_class_c() -> None:
    # Gut table 2 / Harrison's: bilirubin 60 µmol/L (>51 → 3), albumin 25 g/L (<28 → 3),
    # INR 2.5 (>2.3 → 3), moderate–severe ascites (3), grade 3–4 encephalopathy (3) = 15 → C.
    result = child_pugh_score(bilirubin=bili(60), albumin=alb(25), inr=inr(2.5),
                              ascites=Ascites.MODERATE_SEVERE,
                              encephalopathy=Encephalopathy.GRADE_3_4)
    assert (result.total, result.child_pugh_class) == (15, ChildPughClass.C)


def test_albumin_29_is_class_a_by_pugh_but_class_b_by_harrison() -> None:
    # Bilirubin 20 µmol/L (1), INR 1.2 (1), no ascites (1), no encephalopathy (1).
    # Albumin 29 g/L: 2 points by Pugh 1973 (28–35; Gut table) → total 6, class A;
    # 3 points by Harrison's (<30) → total 7, class B.
    inputs = {**NORMAL, "bilirubin": bili(20), "albumin": alb(29), "inr": inr(1.2)}
    pugh = child_pugh_score(**inputs)  # type: ignore[arg-type]
    harrison = child_pugh_score(**inputs, albumin_cutoffs=AlbuminCutoffs.HARRISON)  # type: ignore[arg-type]
    assert (pugh.total, pugh.child_pugh_class) == (6, ChildPughClass.A)
    assert (harrison.total, harrison.child_pugh_class) == (7, ChildPughClass.B)


def test_clinical_grades_may_be_given_as_strings() -> None:
    result = child_pugh_score(**{**NORMAL, "ascites": "mild", "encephalopathy": "grade_1_2"})  # type: ignore[arg-type]
    assert (result.ascites_points, result.encephalopathy_points) == (2, 2)


# --- input errors ---------------------------------------------------------------------------

def test_inr_and_pt_together_are_rejected() -> None:
    with pytest.raises(DomainError) as caught:
        child_pugh_score(**NORMAL, prothrombin_time=pt(14), control_prothrombin_time=pt(12))  # type: ignore[arg-type]
    assert caught.value.field == "inr"


@pytest.mark.parametrize("extra", [{}, {"prothrombin_time": pt(14)}])
def test_missing_coagulation_is_rejected(extra: dict[str, Measurement]) -> None:
    inputs = {k: v for k, v in NORMAL.items() if k != "inr"}
    with pytest.raises(DomainError) as caught:
        child_pugh_score(**inputs, **extra)  # type: ignore[arg-type]
    assert caught.value.field == "prothrombin_time"


@pytest.mark.parametrize(
    ("field", "wrong"),
    [("albumin", bili(20)), ("bilirubin", alb(40)), ("inr", pt(12)), ("albumin", 40)],
)
def test_wrong_measurand_is_rejected_naming_the_field(field: str, wrong: object) -> None:
    with pytest.raises(DomainError) as caught:
        child_pugh_score(**{**NORMAL, field: wrong})  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("field", "wrong"),
    [("ascites", "severe"), ("encephalopathy", 2), ("albumin_cutoffs", "who")],
)
def test_unknown_grade_is_rejected_naming_the_field(field: str, wrong: object) -> None:
    with pytest.raises(DomainError) as caught:
        child_pugh_score(**{**NORMAL, field: wrong})  # type: ignore[arg-type]
    assert caught.value.field == field


# --- properties -------------------------------------------------------------------------------

@given(
    b=st.floats(min_value=0, max_value=1500), a=st.floats(min_value=5, max_value=80),
    i=st.floats(min_value=0.5, max_value=20), asc=st.sampled_from(Ascites),
    enc=st.sampled_from(Encephalopathy), cut=st.sampled_from(AlbuminCutoffs),
)
def test_total_is_the_sum_of_points_and_class_follows_total(
    b: float, a: float, i: float, asc: Ascites, enc: Encephalopathy, cut: AlbuminCutoffs
) -> None:
    r = child_pugh_score(bilirubin=bili(b), albumin=alb(a), inr=inr(i), ascites=asc,
                         encephalopathy=enc, albumin_cutoffs=cut)
    parts = (r.bilirubin_points, r.albumin_points, r.coagulation_points,
             r.ascites_points, r.encephalopathy_points)
    assert all(p in (1, 2, 3) for p in parts)
    assert r.total == sum(parts)
    assert 5 <= r.total <= 15
    assert r.child_pugh_class == child_pugh_class(r.total)


@given(low=st.floats(min_value=0, max_value=1500), high=st.floats(min_value=0, max_value=1500))
def test_higher_bilirubin_never_lowers_the_score(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert score_with(bilirubin=bili(low)) <= score_with(bilirubin=bili(high))


@given(low=st.floats(min_value=5, max_value=80), high=st.floats(min_value=5, max_value=80))
def test_lower_albumin_never_lowers_the_score(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert score_with(albumin=alb(low)) >= score_with(albumin=alb(high))


@given(low=st.floats(min_value=0.5, max_value=20), high=st.floats(min_value=0.5, max_value=20))
def test_higher_inr_never_lowers_the_score(low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert score_with(inr=inr(low)) <= score_with(inr=inr(high))


@given(a=st.floats(min_value=5, max_value=80))
def test_harrison_cutoffs_never_score_albumin_better_than_pugh(a: float) -> None:
    pugh = child_pugh_score(**{**NORMAL, "albumin": alb(a)})  # type: ignore[arg-type]
    harrison = child_pugh_score(**{**NORMAL, "albumin": alb(a)},  # type: ignore[arg-type]
                                albumin_cutoffs=AlbuminCutoffs.HARRISON)
    assert harrison.albumin_points >= pugh.albumin_points
