"""Every threshold of every dose-modification table, tested on both sides.

Expected actions are read from the sources cited in ``tables.py`` (clinical-content.md
§4.1–4.3 with the BC Cancer, SYSUCC HAIC, LENVIMA and LOQTORZI texts), not from running
the code: e.g. BC Cancer gives 100 % gemcitabine for ANC ≥1.0 and platelets ≥100,
75 % for ANC 0.5 to <1.0 or platelets 75 to <100, delay/omit below.
"""

from __future__ import annotations

import pytest

from oncotrial.core.dosing import tables
from oncotrial.core.dosing.table_types import Action, GradeTable, ValueTable

G, R, H, D = Action.GIVE, Action.REDUCE, Action.HOLD, Action.DISCONTINUE

VALUE_CASES = [
    # gemcitabine, BC Cancer (clinical-content.md §4.2 [STD])
    (tables.GEMCITABINE_D1_ANC, [(0, H), (0.49, H), (0.5, R), (0.99, R), (1.0, G), (5, G)]),
    (tables.GEMCITABINE_D1_PLATELETS, [(0, H), (74.9, H), (75, R), (99.9, R), (100, G), (100.1, G)]),
    (tables.GEMCITABINE_D8_ANC, [(0.49, H), (0.5, R), (0.99, R), (1.0, G), (1.01, G)]),
    (tables.GEMCITABINE_D8_PLATELETS, [(74.9, H), (75, R), (99.9, R), (100, G), (100.1, G)]),
    # HAIC suspension: ANC <1.2, PLT <60, bilirubin >30 µmol/L, albumin <30 g/L; >30 days stops
    (tables.HAIC_ANC, [(1.19, H), (1.2, G), (1.21, G)]),
    (tables.HAIC_PLATELETS, [(59.9, H), (60, G), (60.1, G)]),
    (tables.HAIC_BILIRUBIN, [(29.9, G), (30, G), (30.01, H)]),
    (tables.HAIC_ALBUMIN, [(29.9, H), (30, G), (30.1, G)]),
    (tables.HAIC_DELAY_DAYS, [(0, G), (29, G), (30, G), (31, D)]),
    # lenvatinib proteinuria: interrupt at ≥2 g/24 h, resume when <2 g/24 h
    (tables.LENVATINIB_PROTEINURIA, [(1.99, G), (2.0, H), (2.01, H)]),
    # toripalimab hepatitis, no liver tumour: AST/ALT >3–8 × ULN withhold, >8 discontinue;
    # bilirubin >1.5–3 × ULN withhold, >3 discontinue
    (tables.TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT, [(2.99, G), (3, G), (3.01, H), (8, H), (8.01, D)]),
    (tables.TORIPALIMAB_HEPATITIS_NO_LIVER_BILIRUBIN, [(1.49, G), (1.5, G), (1.51, H), (3, H), (3.01, D)]),
    # with liver tumour: baseline >1–3 × ULN: >5–10 withhold; baseline >3–5: >8–10; >10 discontinue
    (tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3,
     [(4.99, G), (5, G), (5.01, H), (10, H), (10.01, D)]),
    (tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5,
     [(7.99, G), (8, G), (8.01, H), (10, H), (10.01, D)]),
    (tables.TORIPALIMAB_HEPATITIS_LIVER_BILIRUBIN, [(2.99, G), (3, G), (3.01, D)]),
    # 12 weeks (84 days) of steroids; prednisone ≤10 mg/day
    (tables.TORIPALIMAB_STEROID_DAYS, [(83, G), (84, G), (85, D)]),
    (tables.TORIPALIMAB_PREDNISONE, [(9.9, G), (10, G), (10.1, D)]),
]


@pytest.mark.parametrize(("table", "value", "action"),
                         [(t, v, a) for t, cases in VALUE_CASES for v, a in cases],
                         ids=lambda x: getattr(x, "name", str(x)))
def test_value_table_threshold(table: ValueTable, value: float, action: Action):
    assert table.find(value).outcome.action is action


def test_every_value_table_is_tested_at_its_boundaries():
    tested = {id(t) for t, _ in VALUE_CASES}
    assert tested == {id(t) for t in tables.VALUE_TABLES}
    for table, cases in VALUE_CASES:
        values = [v for v, _ in cases]
        for band in table.bands[1:]:
            end = band.lower
            assert end in values, (table.name, end)
            assert any(v < end for v in values) and any(v > end for v in values), (table.name, end)


def test_gemcitabine_seventy_five_percent_is_a_one_day_fraction():
    band = tables.GEMCITABINE_D1_ANC.find(0.7)
    assert band.outcome.fraction == 0.75 and band.outcome.step_down == 0


def test_day_one_delays_the_cycle_and_day_eight_omits():
    assert "delay the cycle" in tables.GEMCITABINE_D1_ANC.find(0.4).outcome.text
    assert "omit" in tables.GEMCITABINE_D8_PLATELETS.find(50).outcome.text


def test_proteinuria_first_occurrence_holds_without_reduction_and_recurrence_reduces():
    band = tables.LENVATINIB_PROTEINURIA.find(2.0)
    assert band.outcome.step_down == 0
    assert band.recurrent is not None and band.recurrent.step_down == 1


@pytest.mark.parametrize(("baseline", "table"), [
    (0.9, tables.TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT),
    (1.0, tables.TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT),
    (1.01, tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3),
    (3.0, tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3),
    (3.01, tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5),
    (5.0, tables.TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5),
])
def test_hepatitis_with_liver_tumour_chooses_the_row_by_baseline(baseline: float, table: ValueTable):
    assert tables.TORIPALIMAB_HEPATITIS_LIVER_BY_BASELINE.select(baseline) is table


# Grade tables: the action for each CTCAE grade 0–5 and, where the source has one, the
# persistent or recurrent variant. (action, step) with step 1 = one level lower on resuming/today.
GRADE_CASES: list[tuple[GradeTable, list[tuple[Action, int]]]] = [
    # BC Cancer: G2 stomatitis/diarrhoea omit then 100 %; G3 omit then 75 %; G4 discontinue
    (tables.GEMCITABINE_STOMATITIS_DIARRHEA, [(G, 0), (G, 0), (H, 0), (H, 1), (D, 0), (D, 0)]),
    (tables.CHEMO_NON_HAEMATOLOGICAL, [(G, 0), (G, 0), (G, 0), (H, 1), (D, 0), (D, 0)]),
    # oxaliplatin neuropathy: G3 hold then 65 mg/m²; G4 discontinue
    (tables.OXALIPLATIN_NEUROPATHY, [(G, 0), (G, 0), (G, 0), (H, 1), (D, 0), (D, 0)]),
    (tables.OXALIPLATIN_ALLERGY, [(G, 0), (G, 0), (G, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.OXALIPLATIN_HAEMATOLOGICAL, [(G, 0), (G, 0), (G, 0), (R, 1), (R, 1), (D, 0)]),
    # lenvatinib: G3 interrupt then next lower level; G4 discontinue
    (tables.LENVATINIB_GENERAL, [(G, 0), (G, 0), (G, 0), (H, 1), (D, 0), (D, 0)]),
    (tables.LENVATINIB_HAEMATOLOGICAL, [(G, 0), (G, 0), (G, 0), (H, 0), (D, 0), (D, 0)]),
    (tables.LENVATINIB_HYPERTENSION, [(G, 0), (G, 0), (G, 0), (H, 1), (D, 0), (D, 0)]),
    (tables.LENVATINIB_HEPATIC_RENAL, [(G, 0), (G, 0), (G, 0), (H, 1), (H, 1), (D, 0)]),
    (tables.LENVATINIB_HEMORRHAGE_CARDIAC, [(G, 0), (G, 0), (G, 0), (H, 1), (D, 0), (D, 0)]),
    (tables.LENVATINIB_STOP_ANY_GRADE, [(G, 0), (D, 0), (D, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.LENVATINIB_FISTULA, [(G, 0), (G, 0), (G, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.LENVATINIB_RPLS, [(G, 0), (H, 1), (H, 1), (H, 1), (H, 1), (D, 0)]),
    # toripalimab (LOQTORZI table 2): never a reduction
    (tables.TORIPALIMAB_PNEUMONITIS, [(G, 0), (G, 0), (H, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_COLITIS, [(G, 0), (G, 0), (H, 0), (H, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_NEPHRITIS, [(G, 0), (G, 0), (H, 0), (H, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_NEUROLOGICAL, [(G, 0), (G, 0), (H, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_MYOCARDITIS, [(G, 0), (H, 0), (D, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_ENDOCRINOPATHY, [(G, 0), (G, 0), (G, 0), (H, 0), (H, 0), (D, 0)]),
    (tables.TORIPALIMAB_INFUSION_REACTION, [(G, 0), (G, 0), (G, 0), (D, 0), (D, 0), (D, 0)]),
    (tables.TORIPALIMAB_OTHER_IMMUNE, [(G, 0), (G, 0), (G, 0), (H, 0), (D, 0), (D, 0)]),
]


@pytest.mark.parametrize(("table", "grade", "expected"),
                         [(t, g, e) for t, row in GRADE_CASES for g, e in enumerate(row)],
                         ids=lambda x: getattr(x, "name", str(x)))
def test_grade_table_row(table: GradeTable, grade: int, expected: tuple[Action, int]):
    outcome = table.find(grade).outcome
    assert (outcome.action, outcome.step_down) == expected


def test_every_grade_table_is_tested():
    assert {id(t) for t, _ in GRADE_CASES} == {id(t) for t in tables.GRADE_TABLES}


@pytest.mark.parametrize(("table", "grade", "variant", "expected"), [
    # lenvatinib: persistent or intolerable grade 2 → interrupt, then next lower level
    (tables.LENVATINIB_GENERAL, 2, "persistent", (H, 1)),
    (tables.LENVATINIB_HEPATIC_RENAL, 2, "persistent", (H, 1)),
    # haematological: no reduction for a first occurrence; a recurrence reduces
    (tables.LENVATINIB_HAEMATOLOGICAL, 3, "recurrent", (H, 1)),
    # oxaliplatin: persistent G2 → 65 mg/m²; persistent G3 → discontinue
    (tables.OXALIPLATIN_NEUROPATHY, 2, "persistent", (R, 1)),
    (tables.OXALIPLATIN_NEUROPATHY, 3, "persistent", (D, 0)),
    # toripalimab general: recurrent severe (G3) → permanently discontinue
    (tables.TORIPALIMAB_OTHER_IMMUNE, 3, "recurrent", (D, 0)),
])
def test_persistent_and_recurrent_variants(table: GradeTable, grade: int, variant: str,
                                           expected: tuple[Action, int]):
    outcome = getattr(table.find(grade), variant)
    assert outcome is not None and (outcome.action, outcome.step_down) == expected


def test_toripalimab_tables_never_reduce():
    toripalimab = [t for t in tables.GRADE_TABLES if t.name.startswith("toripalimab")]
    toripalimab += [t for t in tables.VALUE_TABLES if t.name.startswith("toripalimab")]
    for table in toripalimab:
        for band in table.bands:
            for o in (band.outcome, getattr(band, "persistent", None), band.recurrent):
                if o is not None:
                    assert o.action is not Action.REDUCE and o.step_down == 0, table.name
