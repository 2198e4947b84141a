"""CTCAE v5.0 term → ClinicalTrials.gov organ system (``adverseEvents[].organSystem``).

The registry accepts only its fixed organ-system list, which mirrors the MedDRA System
Organ Classes with a few short names ("General disorders" for "General disorders and
administration site conditions"; PRS Results Data Element Definitions, "Adverse Event
Information", and research/standards.md §4.2, §7). Each term's SOC is the one CTCAE v5.0
(NCI, 27 Nov 2017) files it under; for the laboratory terms Oncotrial grades it is read
from :data:`oncotrial.core.grading.ctcae_v5_tables.SYSTEM_ORGAN_CLASS`.

HAIC procedure complications are recorded with descriptive terms that are not CTCAE
terms; they are filed [ASSUMP] under the SOC of the nearest CTCAE term named in the
comment. A term not in the table is refused (never guessed): pass ``extra`` to map it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from oncotrial.core.errors import DomainError
from oncotrial.core.grading.ctcae_v5_tables import SYSTEM_ORGAN_CLASS

#: The registry's organ-system names.
CTGOV_ORGAN_SYSTEMS: Final = frozenset({
    "Blood and lymphatic system disorders", "Cardiac disorders", "Congenital, familial and genetic disorders",
    "Ear and labyrinth disorders", "Endocrine disorders", "Eye disorders", "Gastrointestinal disorders",
    "General disorders", "Hepatobiliary disorders", "Immune system disorders", "Infections and infestations",
    "Injury, poisoning and procedural complications", "Investigations", "Metabolism and nutrition disorders",
    "Musculoskeletal and connective tissue disorders",
    "Neoplasms benign, malignant and unspecified (incl cysts and polyps)", "Nervous system disorders",
    "Pregnancy, puerperium and perinatal conditions", "Product Issues", "Psychiatric disorders",
    "Renal and urinary disorders", "Reproductive system and breast disorders",
    "Respiratory, thoracic and mediastinal disorders", "Skin and subcutaneous tissue disorders",
    "Social circumstances", "Surgical and medical procedures", "Vascular disorders",
})
_GI, _GENERAL, _NERVOUS = "Gastrointestinal disorders", "General disorders", "Nervous system disorders"
_SKIN, _METABOLISM = "Skin and subcutaneous tissue disorders", "Metabolism and nutrition disorders"
_PROCEDURAL = "Injury, poisoning and procedural complications"

#: CTCAE v5.0 clinical terms seen with this regimen (GEMOX/HAIC, lenvatinib, toripalimab).
CLINICAL_TERMS: Final = MappingProxyType({
    "Fatigue": _GENERAL, "Fever": _GENERAL, "Edema limbs": _GENERAL, "Pain": _GENERAL,
    "Peripheral sensory neuropathy": _NERVOUS, "Dysgeusia": _NERVOUS, "Headache": _NERVOUS,
    "Abdominal pain": _GI, "Nausea": _GI, "Vomiting": _GI, "Diarrhea": _GI, "Constipation": _GI,
    "Mucositis oral": _GI, "Colitis": _GI, "Gastric ulcer": _GI, "Duodenal ulcer": _GI,
    "Anorexia": _METABOLISM, "Hypokalemia": _METABOLISM, "Hyponatremia": _METABOLISM,
    "Hypothyroidism": "Endocrine disorders", "Hyperthyroidism": "Endocrine disorders",
    "Palmar-plantar erythrodysesthesia syndrome": _SKIN, "Rash maculo-papular": _SKIN, "Pruritus": _SKIN,
    "Pneumonitis": "Respiratory, thoracic and mediastinal disorders",
    "Dysphonia": "Respiratory, thoracic and mediastinal disorders",
    "Epistaxis": "Respiratory, thoracic and mediastinal disorders",
    "Arthralgia": "Musculoskeletal and connective tissue disorders",
    "Hepatic failure": "Hepatobiliary disorders", "Cholangitis": "Infections and infestations",
    "Weight loss": "Investigations", "Hematoma": "Vascular disorders",
    "Thromboembolic event": "Vascular disorders",
    # HAIC procedure complications [ASSUMP]: nearest CTCAE v5.0 term in the comment.
    "Puncture site hematoma": _PROCEDURAL,  # "Vascular access complication"
    "Catheter dislocation": _PROCEDURAL,  # "Vascular access complication"
    "Hepatic artery occlusion": "Vascular disorders",  # "Vascular disorders - Other, specify"
    "Gastroduodenal ulcer": _GI,  # "Gastric ulcer" / "Duodenal ulcer"
    "Upper gastrointestinal hemorrhage": _GI,  # CTCAE v5.0: Gastrointestinal disorders
})


def organ_system(term: str, extra: Mapping[str, str] | None = None) -> str:
    """The registry organ system of a CTCAE term; DomainError for a term not in the table."""
    found = (extra or {}).get(term) or CLINICAL_TERMS.get(term) or SYSTEM_ORGAN_CLASS.get(term)  # type: ignore[call-overload]
    if found is None and " - Other, specify" in term:
        # CTCAE v5.0 "<system organ class> - Other, specify": the SOC is the term's own prefix.
        prefix = term.split(" - Other, specify", 1)[0].strip()
        found = prefix if prefix in CTGOV_ORGAN_SYSTEMS else None
    if found is None:
        raise DomainError("adverse_events.term", term, "a CTCAE v5.0 term with a known organ system",
                          "pass organ_systems={term: organ system} to map it")
    if found not in CTGOV_ORGAN_SYSTEMS:
        raise DomainError(f"organ_systems[{term!r}]", found, "a ClinicalTrials.gov organ-system name")
    return found
