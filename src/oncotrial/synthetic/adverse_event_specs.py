"""Rates and courses of the clinical and procedure adverse events (CTCAE v5.0 terms).

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

The lab AE terms (:data:`LAB_TERMS`) are those of the scripted lab values (:mod:`.labs`).
"""

from __future__ import annotations

from dataclasses import dataclass

from oncotrial.core.units import Measurand
from oncotrial.synthetic.model import Relatedness

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
