"""Clinical and procedure adverse events (CTCAE v5.0 terms), and AE episodes from the labs.

Rates per patient (any grade; grade split given occurrence). clinical-content.md §2
gives the haematological and hepatic G3–4 rates (see :mod:`.scenario`) and the HAIC
complication rates of §4.4; the other rates are class-typical values, marked
[RECALL] (published lenvatinib/PD-1 experience not verified word for word) or
[ASSUMP]:

* fatigue 50 % (NCT04361331 arm A: 71 %, §2.1) G1/2/3 55/40/5 %;
* nausea 30 % (HAIC arm 35 %: infusion nausea, §4.4); decreased appetite 30 %;
* diarrhoea 25 % (lenvatinib) [RECALL]; palmar-plantar erythrodysesthesia 20 % [RECALL];
* hypertension (lenvatinib) 38 %, G2 50 %, G3 35 % of them (≈ 13 % G3) [RECALL,
  REFLECT ≈ 42 % any grade];
* proteinuria (lenvatinib) 25 %, G3 15 % of them [RECALL];
* peripheral sensory neuropathy (oxaliplatin, cumulative): G1 from cycle 2 +
  Geometric(0.2), G2 45 % of those 2 + Geometric(0.3) cycles later, G3 15 % of G2
  [ASSUMP; §4.2 oxaliplatin rules]; NCT04361331 arm A paresthesia 45 % (§2.1);
* toripalimab immune-related [RECALL, PD-1 class]: hypothyroidism 15 % (G1–2),
  immune-mediated hepatitis 4 % (G2/3/4 35/50/15 %), pneumonitis 3 %, colitis 2 %,
  maculo-papular rash 12 % (immune-mediated "suspected");
* upper GI haemorrhage 2 % control, 3 % HAIC (Lin 2024 GI bleeding 5.9 % vs 2.6 %, §2.2);
* HAIC procedure (experimental arm, §4.4; Japanese catheter series n = 88, 17 %
  overall): abdominal pain during intra-arterial oxaliplatin 20 % of sessions (G1/2/3
  75/22/3 %) [ASSUMP, "common"]; puncture-site hematoma 4.5 % (4/88); duodenal ulcer
  5 % (6/88 GD ulcer); hepatic artery occlusion 2 % (1/88; port series 4.0 %),
  which makes further HAIC technically impossible; catheter dislocation 1 %
  (0.5–1 %); catheter occlusion 3.5 %.

Serious [ASSUMP]: every grade 4–5 event; grade 3: 50 % (clinical), 100 % (immune-
mediated, HAIC procedure). Lab episodes (grade ≥ 2 runs of the scripted lab values)
are serious only at grade 4 (50 %).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from oncotrial.core.units import Measurand
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.labs import GradedDraw
from oncotrial.synthetic.model import AdverseEventScript, Attribution, GradeChange, Relatedness

R, P, N = Relatedness.RELATED, Relatedness.POSSIBLY_RELATED, Relatedness.NOT_RELATED
DRUGS = ("oxaliplatin", "gemcitabine", "lenvatinib", "toripalimab")


@dataclass(frozen=True, slots=True)
class AeSpec:
    term: str
    category: str
    attribution: tuple[tuple[str, Relatedness], ...]
    immune: str
    p_control: float
    p_haic: float
    grades: tuple[float, float, float, float]  # P(G1..G4 | any)
    onset_days: tuple[int, int]
    duration_days: tuple[int, int] | None  # None: lasts until after the end of treatment


CLINICAL: tuple[AeSpec, ...] = (
    AeSpec(
        "Fatigue",
        "other",
        (("gemcitabine", P), ("lenvatinib", P), ("oxaliplatin", P)),
        "no",
        0.50,
        0.50,
        (0.55, 0.40, 0.05, 0.0),
        (3, 60),
        (30, 120),
    ),
    AeSpec(
        "Nausea",
        "other",
        (("oxaliplatin", R), ("gemcitabine", P)),
        "no",
        0.30,
        0.35,
        (0.70, 0.27, 0.03, 0.0),
        (1, 10),
        (3, 10),
    ),
    AeSpec(
        "Anorexia",
        "other",
        (("lenvatinib", P), ("gemcitabine", P)),
        "no",
        0.30,
        0.30,
        (0.60, 0.35, 0.05, 0.0),
        (7, 90),
        (21, 90),
    ),
    AeSpec(
        "Diarrhea",
        "stomatitis_diarrhea",
        (("lenvatinib", R),),
        "no",
        0.25,
        0.25,
        (0.60, 0.32, 0.08, 0.0),
        (14, 120),
        (5, 20),
    ),
    AeSpec(
        "Palmar-plantar erythrodysesthesia syndrome",
        "other",
        (("lenvatinib", R),),
        "no",
        0.20,
        0.20,
        (0.60, 0.30, 0.10, 0.0),
        (14, 90),
        (30, 120),
    ),
    AeSpec(
        "Hypertension",
        "hypertension",
        (("lenvatinib", R),),
        "no",
        0.38,
        0.38,
        (0.15, 0.50, 0.35, 0.0),
        (7, 60),
        None,
    ),
    AeSpec(
        "Proteinuria",
        "proteinuria",
        (("lenvatinib", R),),
        "no",
        0.25,
        0.25,
        (0.50, 0.35, 0.15, 0.0),
        (21, 120),
        (42, 150),
    ),
    AeSpec(
        "Hypothyroidism",
        "endocrinopathy",
        (("toripalimab", R), ("lenvatinib", P)),
        "yes",
        0.15,
        0.15,
        (0.45, 0.55, 0.0, 0.0),
        (42, 180),
        None,
    ),
    AeSpec(
        "Hepatobiliary disorders - Other, specify: immune-mediated hepatitis",
        "hepatitis",
        (("toripalimab", R),),
        "yes",
        0.04,
        0.04,
        (0.0, 0.35, 0.50, 0.15),
        (21, 120),
        (21, 60),
    ),
    AeSpec(
        "Pneumonitis",
        "pneumonitis",
        (("toripalimab", R),),
        "yes",
        0.03,
        0.03,
        (0.10, 0.60, 0.30, 0.0),
        (30, 240),
        (21, 60),
    ),
    AeSpec(
        "Colitis",
        "colitis",
        (("toripalimab", R),),
        "yes",
        0.02,
        0.02,
        (0.10, 0.55, 0.35, 0.0),
        (30, 200),
        (14, 45),
    ),
    AeSpec(
        "Rash maculo-papular",
        "other",
        (("toripalimab", R), ("lenvatinib", P)),
        "suspected",
        0.12,
        0.12,
        (0.60, 0.30, 0.10, 0.0),
        (7, 90),
        (14, 42),
    ),
    AeSpec(
        "Upper gastrointestinal hemorrhage",
        "hemorrhage",
        (("lenvatinib", P),),
        "no",
        0.02,
        0.03,
        (0.30, 0.40, 0.30, 0.0),
        (14, 240),
        (5, 21),
    ),
)
HEPATITIS_TERM = CLINICAL[8].term

HAIC_PATIENT: tuple[AeSpec, ...] = (
    AeSpec("Hematoma", "other", (), "no", 0.0, 0.045, (0.60, 0.35, 0.05, 0.0), (0, 1), (7, 21)),
    AeSpec(
        "Duodenal ulcer",
        "other",
        (("oxaliplatin", P),),
        "no",
        0.0,
        0.05,
        (0.30, 0.50, 0.20, 0.0),
        (3, 20),
        (21, 56),
    ),
    AeSpec(
        "Vascular disorders - Other, specify: hepatic artery occlusion",
        "other",
        (),
        "no",
        0.0,
        0.02,
        (0.0, 0.60, 0.40, 0.0),
        (0, 0),
        None,
    ),
    AeSpec(
        "Injury, poisoning and procedural complications - Other, specify: catheter dislocation",
        "other",
        (),
        "no",
        0.0,
        0.01,
        (0.50, 0.50, 0.0, 0.0),
        (0, 0),
        (1, 1),
    ),
    AeSpec(
        "Injury, poisoning and procedural complications - Other, specify: catheter occlusion",
        "other",
        (),
        "no",
        0.0,
        0.035,
        (1.0, 0.0, 0.0, 0.0),
        (0, 0),
        (1, 1),
    ),
)
HA_OCCLUSION_TERM = HAIC_PATIENT[2].term
INFUSION_PAIN = AeSpec(
    "Abdominal pain", "other", (("oxaliplatin", R),), "no", 0.0, 0.20, (0.75, 0.22, 0.03, 0.0), (0, 0), (1, 3)
)
NEUROPATHY_TERM = "Peripheral sensory neuropathy"
FATAL_TERMS = ("Hepatic failure", "Sepsis", "Upper gastrointestinal hemorrhage", "Pneumonitis")

LAB_TERMS = {
    Measurand.NEUTROPHILS: (
        "Neutrophil count decreased",
        "neutropenia",
        (("gemcitabine", R), ("oxaliplatin", P)),
    ),
    Measurand.PLATELETS: (
        "Platelet count decreased",
        "thrombocytopenia",
        (("gemcitabine", R), ("oxaliplatin", P), ("lenvatinib", P)),
    ),
    Measurand.ALT: (
        "Alanine aminotransferase increased",
        "hepatotoxicity",
        (("lenvatinib", P), ("oxaliplatin", P), ("gemcitabine", P)),
    ),
    Measurand.AST: (
        "Aspartate aminotransferase increased",
        "hepatotoxicity",
        (("lenvatinib", P), ("oxaliplatin", P), ("gemcitabine", P)),
    ),
    Measurand.BILIRUBIN: (
        "Blood bilirubin increased",
        "hepatotoxicity",
        (("lenvatinib", P), ("oxaliplatin", P)),
    ),
    Measurand.HEMOGLOBIN: ("Anemia", "anemia", (("gemcitabine", R), ("oxaliplatin", P))),
}


@dataclass(frozen=True, slots=True)
class Window:
    """Treatment-emergent window: first dose .. end (exclusive), data end (exclusive)."""

    first_dose: date
    treatment_end: date  # last possible dosing day + 1
    data_end: date  # death, withdrawal or cut-off + 1: nothing on or after (death itself is allowed)
    death: date | None


def _attribution(pairs: Sequence[tuple[str, Relatedness]], drugs: Sequence[str]) -> tuple[Attribution, ...]:
    given = dict(pairs)
    return tuple(Attribution(drug, given.get(drug, N)) for drug in drugs)


def _course(
    onset: date, grade: int, resolution: date | None, w: Window
) -> tuple[tuple[GradeChange, ...], date | None]:
    changes = [GradeChange(onset, grade)]
    if resolution is not None and grade >= 2:
        step = onset + timedelta(days=max(1, (resolution - onset).days * 2 // 5))
        if step < resolution and step < w.data_end:
            changes.append(GradeChange(step, 1))
    if resolution is not None and resolution < w.data_end and (w.death is None or resolution < w.death):
        changes.append(GradeChange(resolution, 0))
        return tuple(changes), resolution
    return tuple(changes), None


def _serious(d: Draws, grade: int, immune: str, procedure: bool) -> bool:
    if grade >= 4:
        return True
    if grade == 3:
        return True if immune == "yes" or procedure else d.bernoulli(0.5)
    return False


def _event(
    d: Draws,
    spec: AeSpec,
    onset: date,
    grade: int,
    w: Window,
    drugs: Sequence[str],
    *,
    source: str,
    cycle_of: dict[date, int] | None = None,
) -> AdverseEventScript | None:
    if onset < w.first_dose or onset >= w.data_end or (w.death is not None and onset > w.death):
        return None
    if spec.duration_days is None:  # lasts while treated: resolves 2–8 weeks after the later of the two
        resolution = max(w.treatment_end, onset) + timedelta(days=d.integer(14, 60))
    else:
        resolution = onset + timedelta(days=d.integer(*spec.duration_days))
    course, resolved = _course(onset, grade, resolution, w)
    return AdverseEventScript(
        ae_id="",
        term=spec.term,
        category=spec.category,
        grade=grade,
        onset_date=onset,
        resolution_date=resolved,
        course=course,
        serious=_serious(d, grade, spec.immune, source != "clinical"),
        attribution=_attribution(spec.attribution, drugs),
        immune_mediated=spec.immune,
        source=source,
        cycle=None,
        fatal=False,
    )


def clinical_events(d: Draws, *, has_haic: bool, drugs: Sequence[str], w: Window) -> list[AdverseEventScript]:
    out = []
    for spec in CLINICAL:
        p = spec.p_haic if has_haic else spec.p_control
        if not d.bernoulli(p):
            d.random()
            d.random()
            continue
        grade = 1 + d.choice(spec.grades)
        onset = w.first_dose + timedelta(days=d.integer(*spec.onset_days))
        if onset >= w.treatment_end + timedelta(days=30):
            continue
        e = _event(d, spec, onset, grade, w, drugs, source="clinical")
        if e is not None:
            out.append(e)
    return out


def neuropathy(
    d: Draws, *, cycle_days: Sequence[date], drugs: Sequence[str], w: Window
) -> AdverseEventScript | None:
    """Cumulative oxaliplatin sensory neuropathy by cycle number (§4.2)."""
    n = len(cycle_days)
    c1 = 2 + _geometric(d, 0.2)
    if c1 > n:
        return None
    changes = [(cycle_days[c1 - 1] + timedelta(days=d.integer(0, 10)), 1)]
    if d.bernoulli(0.45):
        c2 = c1 + 2 + _geometric(d, 0.3)
        if c2 <= n:
            changes.append((cycle_days[c2 - 1] + timedelta(days=d.integer(0, 10)), 2))
            if d.bernoulli(0.15):
                c3 = c2 + 2 + _geometric(d, 0.4)
                if c3 <= n:
                    changes.append((cycle_days[c3 - 1] + timedelta(days=d.integer(0, 10)), 3))
    changes = [(on, g) for on, g in changes if on < w.data_end and (w.death is None or on <= w.death)]
    if not changes:
        return None
    grade = max(g for _, g in changes)
    course = [GradeChange(on, g) for on, g in changes]
    improve = w.treatment_end + timedelta(days=d.integer(30, 120))
    resolution = improve + timedelta(days=d.integer(60, 200))
    end = w.data_end if w.death is None else min(w.data_end, w.death)
    if grade >= 2 and improve < end and improve > course[-1].on:
        course.append(GradeChange(improve, 1))
    resolved = None
    if resolution < end and resolution > course[-1].on:
        course.append(GradeChange(resolution, 0))
        resolved = resolution
    return AdverseEventScript(
        ae_id="",
        term=NEUROPATHY_TERM,
        category="peripheral_neuropathy",
        grade=grade,
        onset_date=course[0].on,
        resolution_date=resolved,
        course=tuple(course),
        serious=grade >= 3 and d.bernoulli(0.3),
        attribution=_attribution((("oxaliplatin", R),), drugs),
        immune_mediated="no",
        source="clinical",
        cycle=c1,
        fatal=False,
    )


def haic_events(
    d: Draws, *, sessions: Sequence[date], drugs: Sequence[str], w: Window
) -> tuple[list[AdverseEventScript], date | None]:
    """Procedure events of the HAIC sessions; the date of a hepatic-artery occlusion, if any."""
    out: list[AdverseEventScript] = []
    occlusion: date | None = None
    for on in sessions:
        if d.bernoulli(INFUSION_PAIN.p_haic):
            e = _event(
                d, INFUSION_PAIN, on, 1 + d.choice(INFUSION_PAIN.grades), w, drugs, source="haic_procedure"
            )
            if e is not None:
                out.append(e)
    for spec in HAIC_PATIENT:
        if not sessions or not d.bernoulli(spec.p_haic):
            continue
        session = sessions[d.integer(0, len(sessions) - 1)]
        onset = session + timedelta(days=d.integer(*spec.onset_days))
        e = _event(d, spec, onset, 1 + d.choice(spec.grades), w, drugs, source="haic_procedure")
        if e is not None:
            out.append(e)
            if spec.term == HA_OCCLUSION_TERM:
                occlusion = onset
    return out, occlusion


def fatal_event(d: Draws, *, death: date, drugs: Sequence[str], w: Window) -> AdverseEventScript:
    term = FATAL_TERMS[d.integer(0, len(FATAL_TERMS) - 1)]
    onset = max(w.first_dose, death - timedelta(days=d.integer(1, 10)))
    course = (GradeChange(onset, 3 if onset < death else 5),) + (
        (GradeChange(death, 5),) if onset < death else ()
    )
    pairs = (("toripalimab", R),) if term == "Pneumonitis" else (("lenvatinib", P), ("oxaliplatin", P))
    return AdverseEventScript(
        ae_id="",
        term=term,
        category="hemorrhage"
        if "hemorrhage" in term
        else "pneumonitis"
        if term == "Pneumonitis"
        else "hepatic_failure"
        if term == "Hepatic failure"
        else "other",
        grade=5,
        onset_date=onset,
        resolution_date=None,
        course=course,
        serious=True,
        attribution=_attribution(pairs, drugs),
        immune_mediated="yes" if term == "Pneumonitis" else "no",
        source="clinical",
        cycle=None,
        fatal=True,
    )


def lab_events(
    graded: Sequence[GradedDraw],
    anemia: Sequence[tuple[date, int, int]],
    *,
    drugs: Sequence[str],
    w: Window,
    skip: dict[Measurand, tuple[date, date]],
    d: Draws,
) -> list[AdverseEventScript]:
    """Grade ≥ 2 runs of consecutive draws of one test become one AE episode each [ASSUMP]."""
    by_test: dict[Measurand, list[tuple[date, int, int]]] = {}
    for g in graded:
        by_test.setdefault(g.test, []).append((g.on, g.grade, g.cycle))
    by_test[Measurand.HEMOGLOBIN] = list(anemia)
    out = []
    for test, rows in by_test.items():
        rows.sort()
        term, category, pairs = LAB_TERMS[test]
        run: list[tuple[date, int, int]] = []
        for i, row in enumerate([*rows, (date.max, 0, 0)]):
            if row[1] >= 2 and row[0] != date.max:
                run.append(row)
                continue
            if run:
                window = skip.get(test)
                if window is None or not (window[0] <= run[0][0] <= window[1]):
                    out.append(_lab_episode(d, term, category, pairs, run, row, drugs, w))
                run = []
            del i
    return out


def _lab_episode(
    d: Draws,
    term: str,
    category: str,
    pairs: tuple[tuple[str, Relatedness], ...],
    run: list[tuple[date, int, int]],
    after: tuple[date, int, int],
    drugs: Sequence[str],
    w: Window,
) -> AdverseEventScript:
    course = [GradeChange(run[0][0], run[0][1])]
    for on, g, _ in run[1:]:
        if g != course[-1].grade:
            course.append(GradeChange(on, g))
    resolved = None
    if after[0] != date.max and after[0] < w.data_end:
        course.append(GradeChange(after[0], 0))
        resolved = after[0]
    grade = max(g for _, g, _ in run)
    return AdverseEventScript(
        ae_id="",
        term=term,
        category=category,
        grade=grade,
        onset_date=run[0][0],
        resolution_date=resolved,
        course=tuple(course),
        serious=grade >= 4 and d.bernoulli(0.5),
        attribution=_attribution(pairs, drugs),
        immune_mediated="no",
        source="lab",
        cycle=run[0][2],
        fatal=False,
    )


def _geometric(d: Draws, p: float) -> int:
    """Failures before the first success, P(success) = p."""
    k = 0
    while not d.bernoulli(p) and k < 60:
        k += 1
    return k
