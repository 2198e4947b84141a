"""Every dose-modification table of the protocol, as typed data, in one place.

Each table is a :class:`~.table_types.ValueTable` (bands of a measured value over
[0, ∞), explicit interval ends) or a :class:`~.table_types.GradeTable` (CTCAE v5.0
grades 0–5, each in exactly one band). Both are checked for gaps, overlaps and
monotone outcomes when this module is imported; the tests check every boundary on
both sides. Grade 5 (death) always discontinues. Sources, with the provenance tags of
the research note (clinical-content.md):

* gemcitabine day-1/day-8 counts: BC Cancer protocol-summary convention, §4.2 [STD];
* chemotherapy non-haematological toxicity: BC Cancer pattern, §4.2 [STD + ASSUMP];
  applied to oxaliplatin too [ASSUMP];
* oxaliplatin neuropathy, allergy, haematological: mFOLFOX6 conventions and label, §4.2
  [LIT/STD];
* HAIC suspension: SYSUCC HAIC protocol text, §4.2 [LIT];
* lenvatinib: LENVIMA HCC dose-modification table (J Gastroenterol Hepatol 2022;37:428,
  table 1) and LENVIMA USPI §2, §4.1 [STD]; rows the research note marks [RECALL] are
  marked so below;
* toripalimab: LOQTORZI USPI §2 table 2 (same structure as the KEYTRUDA class
  template), §4.3 [STD].
"""

from __future__ import annotations

import math
from types import MappingProxyType
from typing import Final

from oncotrial.core.dosing.adverse_events import AeCategory
from oncotrial.core.dosing.table_types import (
    Action,
    GradeBand,
    GradeTable,
    Outcome,
    TableChoice,
    TableSelector,
    ValueBand,
    ValueTable,
)
from oncotrial.core.grading.bands import Closed

INF: Final = math.inf
_L, _R, _B, _N = Closed.LEFT, Closed.RIGHT, Closed.BOTH, Closed.NEITHER

SRC_GEMCITABINE: Final = ("BC Cancer protocol summary, gemcitabine day-1/day-8 thresholds; "
                          "clinical-content.md §4.2 [STD]")
SRC_CHEMO_NON_HAEM: Final = ("BC Cancer non-haematological toxicity pattern; clinical-content.md §4.2 "
                             "[STD + ASSUMP]; applied to oxaliplatin [ASSUMP]")
SRC_OXALIPLATIN: Final = "mFOLFOX6 conventions and oxaliplatin label; clinical-content.md §4.2 [LIT/STD]"
SRC_HAIC: Final = "SYSUCC HAIC protocol text; clinical-content.md §4.2 [LIT]; issue 3 §2"
SRC_LENVATINIB: Final = ("LENVIMA HCC dose modifications (J Gastroenterol Hepatol 2022;37:428 table 1; "
                         "LENVIMA USPI §2); clinical-content.md §4.1 [STD]")
SRC_TORIPALIMAB: Final = "LOQTORZI (toripalimab-tpzi) USPI §2 table 2; clinical-content.md §4.3 [STD]"

GIVE: Final = Outcome(Action.GIVE, "give the full dose of the current level")


def _hold(text: str, step: int = 0) -> Outcome:
    return Outcome(Action.HOLD, text, step_down=step)


def _stop(text: str) -> Outcome:
    return Outcome(Action.DISCONTINUE, text)


def _v(lower: float, upper: float, closed: Closed, outcome: Outcome,
       recurrent: Outcome | None = None) -> ValueBand:
    return ValueBand(lower, upper, closed, outcome, recurrent)


def _g(lowest: int, highest: int, outcome: Outcome, persistent: Outcome | None = None,
       recurrent: Outcome | None = None) -> GradeBand:
    return GradeBand(lowest, highest, outcome, persistent, recurrent)


DEATH: Final = _stop("grade 5: discontinue")

# --- gemcitabine: counts on the day of treatment (adjust only for that day) ----------------
_DELAY = _hold("delay the cycle (oxaliplatin is delayed too)")
_OMIT = _hold("omit the day-8 dose (not made up)")
_SEVENTY_FIVE = Outcome(Action.REDUCE, "give 75 % (this day only)", fraction=0.75)
_FULL = Outcome(Action.GIVE, "give 100 %")


def _gem(name: str, quantity: str, low: float, mid: float, hold: Outcome) -> ValueTable:
    return ValueTable(name, quantity, "10^9/L",
                      (_v(0, low, _L, hold), _v(low, mid, _L, _SEVENTY_FIVE), _v(mid, INF, _L, _FULL)),
                      worse_when_low=True, source=SRC_GEMCITABINE)


GEMCITABINE_D1_ANC: Final = _gem("gemcitabine day 1, ANC", "ANC", 0.5, 1.0, _DELAY)
GEMCITABINE_D1_PLATELETS: Final = _gem("gemcitabine day 1, platelets", "platelets", 75, 100, _DELAY)
GEMCITABINE_D8_ANC: Final = _gem("gemcitabine day 8, ANC", "ANC", 0.5, 1.0, _OMIT)
GEMCITABINE_D8_PLATELETS: Final = _gem("gemcitabine day 8, platelets", "platelets", 75, 100, _OMIT)

GEMCITABINE_STOMATITIS_DIARRHEA: Final = GradeTable("gemcitabine stomatitis or diarrhoea", (
    _g(0, 1, GIVE),
    _g(2, 2, _hold("omit until resolved, then 100 %")),
    _g(3, 3, _hold("omit until resolved, then 75 %", step=1)),
    _g(4, 5, _stop("grade 4: discontinue (the alternative 50 % is not used)")),
), SRC_CHEMO_NON_HAEM)
CHEMO_NON_HAEMATOLOGICAL: Final = GradeTable("chemotherapy non-haematological toxicity", (
    _g(0, 2, GIVE),
    _g(3, 3, _hold("omit until resolved, then one level lower (75 % for gemcitabine)", step=1)),
    _g(4, 5, _stop("grade 4: discontinue (the alternative 50 % is not used)")),
), SRC_CHEMO_NON_HAEM)

# --- oxaliplatin -------------------------------------------------------------------------
OXALIPLATIN_NEUROPATHY: Final = GradeTable("oxaliplatin sensory neuropathy", (
    _g(0, 1, GIVE),
    _g(2, 2, GIVE, persistent=Outcome(Action.REDUCE, "persistent grade 2: reduce to 65 mg/m²", step_down=1)),
    _g(3, 3, _hold("hold until ≤ grade 2, then 65 mg/m² (or discontinue)", step=1),
       persistent=_stop("persistent grade 3: discontinue oxaliplatin, continue the other agents")),
    _g(4, 5, _stop("grade 4: discontinue oxaliplatin, continue the other agents")),
), SRC_OXALIPLATIN)
OXALIPLATIN_ALLERGY: Final = GradeTable("oxaliplatin allergic reaction", (
    _g(0, 2, GIVE),
    _g(3, 5, _stop("grade 3–4 allergic reaction: discontinue oxaliplatin")),
), SRC_OXALIPLATIN)
OXALIPLATIN_HAEMATOLOGICAL: Final = GradeTable("oxaliplatin thrombocytopenia or febrile neutropenia", (
    _g(0, 2, GIVE),
    _g(3, 4, Outcome(Action.REDUCE, "grade 3–4: reduce by about 25 % (85 → 65 mg/m²)", step_down=1)),
    _g(5, 5, DEATH),
), SRC_OXALIPLATIN)

# --- HAIC suspension (experimental arm) -----------------------------------------------------
_SUSPEND = _hold("suspend HAIC until recovery")
_PROCEED = Outcome(Action.GIVE, "HAIC may proceed")
HAIC_ANC: Final = ValueTable("HAIC, ANC", "ANC", "10^9/L",
                             (_v(0, 1.2, _L, _SUSPEND), _v(1.2, INF, _L, _PROCEED)), True, SRC_HAIC)
HAIC_PLATELETS: Final = ValueTable("HAIC, platelets", "platelets", "10^9/L",
                                   (_v(0, 60, _L, _SUSPEND), _v(60, INF, _L, _PROCEED)), True, SRC_HAIC)
HAIC_BILIRUBIN: Final = ValueTable("HAIC, total bilirubin", "total bilirubin", "µmol/L",
                                   (_v(0, 30, _B, _PROCEED), _v(30, INF, _N, _SUSPEND)), False, SRC_HAIC)
HAIC_ALBUMIN: Final = ValueTable("HAIC, albumin", "albumin", "g/L",
                                 (_v(0, 30, _L, _SUSPEND), _v(30, INF, _L, _PROCEED)), True, SRC_HAIC)
HAIC_DELAY_DAYS: Final = ValueTable("HAIC, delay", "HAIC delay", "days", (
    _v(0, 30, _B, Outcome(Action.GIVE, "within the 30-day limit")),
    _v(30, INF, _N, _stop("no recovery after a 30-day delay: stop HAIC")),
), False, SRC_HAIC)

# --- lenvatinib ---------------------------------------------------------------------------
_INTERRUPT_DOWN = _hold("interrupt until grade 0–1 or baseline, then resume one level lower", step=1)
_PERSISTENT_G2 = _hold("persistent or intolerable grade 2: interrupt, then resume one level lower", step=1)
_LENV_G4 = _stop("grade 4: discontinue (a non-life-threatening lab abnormality counts as grade 3)")

LENVATINIB_GENERAL: Final = GradeTable("lenvatinib toxicity", (
    _g(0, 1, GIVE), _g(2, 2, GIVE, persistent=_PERSISTENT_G2), _g(3, 3, _INTERRUPT_DOWN), _g(4, 5, _LENV_G4),
), SRC_LENVATINIB)
LENVATINIB_HAEMATOLOGICAL: Final = GradeTable("lenvatinib haematological toxicity", (
    _g(0, 2, GIVE),
    _g(3, 3, _hold("interrupt until ≤ grade 2; first occurrence: no reduction"),
       recurrent=_hold("recurrence: interrupt until ≤ grade 2, then resume one level lower", step=1)),
    _g(4, 5, _LENV_G4),
), SRC_LENVATINIB)
LENVATINIB_PROTEINURIA: Final = ValueTable("lenvatinib proteinuria", "urine protein", "g/24h", (
    _v(0, 2, _L, GIVE),
    _v(2, INF, _L, _hold("≥2 g/24 h: interrupt until <2 g/24 h; first occurrence: no reduction"),
       recurrent=_hold("recurrence ≥2 g/24 h: interrupt until <2 g/24 h, then one level lower", step=1)),
), False, SRC_LENVATINIB)
LENVATINIB_HYPERTENSION: Final = GradeTable("lenvatinib hypertension", (
    _g(0, 2, Outcome(Action.GIVE, "continue; start or adjust antihypertensive therapy")),
    _g(3, 3, _hold("withhold; resume one level lower when ≤ grade 2", step=1)),
    _g(4, 5, _stop("life-threatening hypertension: discontinue")),
), SRC_LENVATINIB)
LENVATINIB_HEPATIC_RENAL: Final = GradeTable("lenvatinib hepatotoxicity or renal impairment", (
    _g(0, 1, GIVE), _g(2, 2, GIVE, persistent=_PERSISTENT_G2),
    _g(3, 4, _hold("withhold until grade 0–1 or baseline, then one level lower (or discontinue)", step=1)),
    _g(5, 5, DEATH),
), SRC_LENVATINIB)
LENVATINIB_HEMORRHAGE_CARDIAC: Final = GradeTable("lenvatinib haemorrhage or cardiac dysfunction", (
    _g(0, 1, GIVE), _g(2, 2, GIVE, persistent=_PERSISTENT_G2),
    _g(3, 3, _hold("withhold until grade 0–1 or baseline, then one level lower (or discontinue)", step=1)),
    _g(4, 5, _stop("grade 4: discontinue")),
), SRC_LENVATINIB)
LENVATINIB_STOP_ANY_GRADE: Final = GradeTable(
    "lenvatinib arterial thromboembolism, GI perforation, hepatic failure or nephrotic syndrome", (
        _g(0, 0, GIVE), _g(1, 5, _stop("any grade: discontinue")),
    ), SRC_LENVATINIB + "; nephrotic syndrome [RECALL]")
LENVATINIB_FISTULA: Final = GradeTable("lenvatinib fistula", (
    _g(0, 1, GIVE), _g(2, 2, GIVE, persistent=_PERSISTENT_G2),
    _g(3, 5, _stop("grade 3–4 fistula: discontinue")),
), SRC_LENVATINIB + " [RECALL]")
LENVATINIB_RPLS: Final = GradeTable("lenvatinib RPLS", (
    _g(0, 0, GIVE),
    _g(1, 4, _hold("withhold until resolved, then one level lower (or discontinue)", step=1)),
    _g(5, 5, DEATH),
), SRC_LENVATINIB + " [RECALL]")

# --- toripalimab: never reduced, only withheld or discontinued ----------------------------
_WITHHOLD = _hold("withhold; resume at grade 0–1 after the corticosteroid taper")
_DISCONTINUE = _stop("permanently discontinue")


def _irae(name: str, give_to: int, hold_to: int, source: str = SRC_TORIPALIMAB) -> GradeTable:
    bands = [_g(0, give_to, GIVE)]
    if hold_to > give_to:
        bands.append(_g(give_to + 1, hold_to, _WITHHOLD))
    bands.append(_g(hold_to + 1, 5, _DISCONTINUE))
    return GradeTable(name, tuple(bands), source)


TORIPALIMAB_PNEUMONITIS: Final = _irae("toripalimab pneumonitis", 1, 2)
TORIPALIMAB_COLITIS: Final = _irae("toripalimab colitis", 1, 3)
TORIPALIMAB_NEPHRITIS: Final = _irae("toripalimab nephritis (increased creatinine)", 1, 3)
TORIPALIMAB_NEUROLOGICAL: Final = _irae("toripalimab neurological toxicity", 1, 2)
TORIPALIMAB_MYOCARDITIS: Final = _irae(
    "toripalimab myocarditis", 0, 1,
    SRC_TORIPALIMAB + "; grade 1 withheld [ASSUMP: the label lists grades 2–4 only]")
TORIPALIMAB_ENDOCRINOPATHY: Final = GradeTable("toripalimab endocrinopathy", (
    _g(0, 2, GIVE),
    _g(3, 4, _hold("withhold until clinically stable (or discontinue, depending on severity)")),
    _g(5, 5, DEATH),
), SRC_TORIPALIMAB)
TORIPALIMAB_INFUSION_REACTION: Final = GradeTable("toripalimab infusion-related reaction", (
    _g(0, 2, Outcome(Action.GIVE, "give; interrupt or slow the infusion for grade 1–2")),
    _g(3, 5, _DISCONTINUE),
), SRC_TORIPALIMAB)
TORIPALIMAB_OTHER_IMMUNE: Final = GradeTable("toripalimab other immune-mediated reaction", (
    _g(0, 2, GIVE),
    _g(3, 3, _hold("grade 3: withhold; resume at grade 0–1 after the corticosteroid taper"),
       recurrent=_stop("recurrent severe (grade 3) reaction: permanently discontinue")),
    _g(4, 5, _stop("grade 4: permanently discontinue")),
), SRC_TORIPALIMAB + " (general rule)")


def _uln(name: str, hold_above: float, stop_above: float) -> ValueTable:
    return ValueTable(name, "× ULN", "× ULN", (
        _v(0, hold_above, _B, GIVE), _v(hold_above, stop_above, _R, _WITHHOLD),
        _v(stop_above, INF, _N, _DISCONTINUE)), False, SRC_TORIPALIMAB)


TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT: Final = _uln("toripalimab hepatitis, no liver tumour, AST/ALT", 3, 8)
TORIPALIMAB_HEPATITIS_NO_LIVER_BILIRUBIN: Final = _uln(
    "toripalimab hepatitis, no liver tumour, bilirubin", 1.5, 3)
TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3: Final = _uln(
    "toripalimab hepatitis, liver tumour, baseline AST/ALT >1–3 × ULN", 5, 10)
TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5: Final = _uln(
    "toripalimab hepatitis, liver tumour, baseline AST/ALT >3–5 × ULN", 8, 10)
TORIPALIMAB_HEPATITIS_LIVER_BILIRUBIN: Final = ValueTable(
    "toripalimab hepatitis, liver tumour, bilirubin", "× ULN", "× ULN",
    (_v(0, 3, _B, GIVE), _v(3, INF, _N, _DISCONTINUE)), False, SRC_TORIPALIMAB)
TORIPALIMAB_HEPATITIS_LIVER_BY_BASELINE: Final = TableSelector(
    "toripalimab hepatitis, liver tumour: table by baseline AST/ALT", "baseline × ULN", (
        TableChoice(0, 1, _B, TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT),
        TableChoice(1, 3, _R, TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3),
        TableChoice(3, INF, _N, TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5),
    ), SRC_TORIPALIMAB + "; baseline ≤ ULN uses the no-liver rows [RECALL: KEYTRUDA footnote]; "
                         "baseline >5 × ULN uses the >3–5 row [ASSUMP]")
TORIPALIMAB_STEROID_DAYS: Final = ValueTable(
    "toripalimab 12 weeks of corticosteroids", "steroid days", "days", (
    _v(0, 84, _B, Outcome(Action.GIVE, "within 12 weeks of initiating steroids")),
    _v(84, INF, _N, _stop("no resolution to grade 0–1 within 12 weeks of initiating steroids: "
                           "permanently discontinue")),
), False, SRC_TORIPALIMAB)
TORIPALIMAB_PREDNISONE: Final = ValueTable("toripalimab prednisone after 12 weeks", "prednisone", "mg/day", (
    _v(0, 10, _B, Outcome(Action.GIVE, "prednisone reduced to ≤10 mg/day")),
    _v(10, INF, _N, _stop("prednisone not reduced to ≤10 mg/day within 12 weeks: permanently discontinue")),
), False, SRC_TORIPALIMAB)

VALUE_TABLES: Final[tuple[ValueTable, ...]] = (
    GEMCITABINE_D1_ANC, GEMCITABINE_D1_PLATELETS, GEMCITABINE_D8_ANC, GEMCITABINE_D8_PLATELETS,
    HAIC_ANC, HAIC_PLATELETS, HAIC_BILIRUBIN, HAIC_ALBUMIN, HAIC_DELAY_DAYS, LENVATINIB_PROTEINURIA,
    TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT, TORIPALIMAB_HEPATITIS_NO_LIVER_BILIRUBIN,
    TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_1_3, TORIPALIMAB_HEPATITIS_LIVER_AST_ALT_FROM_3_5,
    TORIPALIMAB_HEPATITIS_LIVER_BILIRUBIN, TORIPALIMAB_STEROID_DAYS, TORIPALIMAB_PREDNISONE,
)
GRADE_TABLES: Final[tuple[GradeTable, ...]] = (
    GEMCITABINE_STOMATITIS_DIARRHEA, CHEMO_NON_HAEMATOLOGICAL, OXALIPLATIN_NEUROPATHY, OXALIPLATIN_ALLERGY,
    OXALIPLATIN_HAEMATOLOGICAL, LENVATINIB_GENERAL, LENVATINIB_HAEMATOLOGICAL, LENVATINIB_HYPERTENSION,
    LENVATINIB_HEPATIC_RENAL, LENVATINIB_HEMORRHAGE_CARDIAC, LENVATINIB_STOP_ANY_GRADE, LENVATINIB_FISTULA,
    LENVATINIB_RPLS, TORIPALIMAB_PNEUMONITIS, TORIPALIMAB_COLITIS, TORIPALIMAB_NEPHRITIS,
    TORIPALIMAB_NEUROLOGICAL, TORIPALIMAB_MYOCARDITIS, TORIPALIMAB_ENDOCRINOPATHY,
    TORIPALIMAB_INFUSION_REACTION, TORIPALIMAB_OTHER_IMMUNE,
)
SELECTORS: Final[tuple[TableSelector, ...]] = (TORIPALIMAB_HEPATITIS_LIVER_BY_BASELINE,)

# --- which grade table applies to an AE of each category, per drug -------------------------
_C = AeCategory
LENVATINIB_BY_CATEGORY: Final = MappingProxyType({
    **{c: LENVATINIB_HAEMATOLOGICAL for c in AeCategory if c.is_haematological},
    _C.HYPERTENSION: LENVATINIB_HYPERTENSION,
    _C.HEPATOTOXICITY: LENVATINIB_HEPATIC_RENAL, _C.RENAL: LENVATINIB_HEPATIC_RENAL,
    _C.HEMORRHAGE: LENVATINIB_HEMORRHAGE_CARDIAC, _C.CARDIAC_DYSFUNCTION: LENVATINIB_HEMORRHAGE_CARDIAC,
    _C.ARTERIAL_THROMBOEMBOLISM: LENVATINIB_STOP_ANY_GRADE, _C.GI_PERFORATION: LENVATINIB_STOP_ANY_GRADE,
    _C.HEPATIC_FAILURE: LENVATINIB_STOP_ANY_GRADE, _C.NEPHROTIC_SYNDROME: LENVATINIB_STOP_ANY_GRADE,
    _C.FISTULA: LENVATINIB_FISTULA, _C.RPLS: LENVATINIB_RPLS,
})
"""Lenvatinib table per AE category; any other category uses :data:`LENVATINIB_GENERAL`
(proteinuria uses the g/24 h table :data:`LENVATINIB_PROTEINURIA`)."""

TORIPALIMAB_BY_CATEGORY: Final = MappingProxyType({
    _C.PNEUMONITIS: TORIPALIMAB_PNEUMONITIS, _C.COLITIS: TORIPALIMAB_COLITIS,
    _C.NEPHRITIS: TORIPALIMAB_NEPHRITIS, _C.NEUROLOGICAL: TORIPALIMAB_NEUROLOGICAL,
    _C.MYOCARDITIS: TORIPALIMAB_MYOCARDITIS, _C.ENDOCRINOPATHY: TORIPALIMAB_ENDOCRINOPATHY,
    _C.INFUSION_REACTION: TORIPALIMAB_INFUSION_REACTION,
})
"""Toripalimab table per AE category; any other category uses :data:`TORIPALIMAB_OTHER_IMMUNE`
(hepatitis uses the × ULN tables)."""

OXALIPLATIN_BY_CATEGORY: Final = MappingProxyType({
    _C.PERIPHERAL_NEUROPATHY: OXALIPLATIN_NEUROPATHY, _C.ALLERGIC_REACTION: OXALIPLATIN_ALLERGY,
    _C.THROMBOCYTOPENIA: OXALIPLATIN_HAEMATOLOGICAL, _C.FEBRILE_NEUTROPENIA: OXALIPLATIN_HAEMATOLOGICAL,
    _C.NEUTROPENIA: None, _C.ANEMIA: None,
})
"""Oxaliplatin table per AE category (``None``: no oxaliplatin rule; the day-1 counts
decide); any other category uses :data:`CHEMO_NON_HAEMATOLOGICAL` [ASSUMP]."""

GEMCITABINE_BY_CATEGORY: Final = MappingProxyType({
    **{c: None for c in AeCategory if c.is_haematological},
    _C.STOMATITIS_DIARRHEA: GEMCITABINE_STOMATITIS_DIARRHEA,
})
"""Gemcitabine table per AE category (``None``: the counts on the day of treatment decide,
BC Cancer "adjust only for the day the CBC is drawn"); any other category uses
:data:`CHEMO_NON_HAEMATOLOGICAL`."""
