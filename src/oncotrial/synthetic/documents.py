"""Plain JSON-ready documents built from the generator's values.

* :func:`screening_document`: the patient format of docs/patient-format.md, read by
  ``oncotrial.core.eligibility.patient_data.candidate_from_data``;
* :func:`assessment_document`: the tumour-assessment format of docs/recist-input.md,
  read by ``oncotrial.core.response.assess_from_dict``.

Both say ``SIMULATED`` (the patient format in ``simulated``/``comment``; the
assessment format has no free field, so the caller labels where it stores it).
"""

from __future__ import annotations

from datetime import date

from oncotrial.synthetic.labels import SIMULATED_LABEL
from oncotrial.synthetic.model import BaselineProfile, Lesion, PatientScript, TumourScan


def screening_document(
    *, patient_id: str, site_id: str, screening_date: date, baseline: BaselineProfile
) -> dict[str, object]:
    """The candidate in the patient JSON format (docs/patient-format.md)."""
    b = baseline
    facts: dict[str, object] = {}
    for name, present, on in b.facts:
        facts[name] = {"present": present, "date": on.isoformat()} if on is not None else present
    lesions = []
    for x in b.lesions:
        item: dict[str, object] = {
            "id": x.lesion_id,
            "organ": x.organ,
            "lymph_node": x.is_lymph_node,
            "slice_thickness_mm": x.slice_thickness_mm,
            "date": x.imaged_on.isoformat(),
        }
        if x.is_lymph_node:
            item["short_axis_mm"] = x.short_axis_mm
        elif x.longest_diameter_mm is not None:
            item["longest_diameter_mm"] = x.longest_diameter_mm
        lesions.append(item)
    return {
        "simulated": True,
        "comment": f"{SIMULATED_LABEL}; screened {screening_date.isoformat()}",
        "patient_id": patient_id,
        "site_id": site_id,
        "birth_date": b.birth_date.isoformat(),
        "sex": b.sex,
        "ecog": b.ecog,
        "weight": {"value": b.weight_kg, "unit": "kg", "date": b.lab_date.isoformat()},
        "height": {"value": b.height_cm, "unit": "cm"},
        "consent_date": b.consent_date.isoformat(),
        "labs": b.labs.as_dicts(),
        "reference_ranges": b.ranges.as_dict(),
        "lesions": lesions,
        "ascites": b.ascites,
        "encephalopathy": b.encephalopathy,
        "facts": facts,
        "numbers": dict(b.numbers),
        "attributes": {
            "extrahepatic_metastasis": "yes" if b.extrahepatic_metastasis else "no",
            "ecog": str(b.ecog),
            "hbv": "HBsAg+" if b.hbsag_positive else "HBsAg-",
            "disease_status": b.disease_status,
        },
    }


def _baseline_lesion(x: Lesion) -> dict[str, object]:
    out: dict[str, object] = {
        "lesion_id": x.lesion_id,
        "organ": x.organ,
        "is_lymph_node": x.is_lymph_node,
        "is_target": x.is_target,
        "slice_thickness_mm": x.slice_thickness_mm,
    }
    if x.is_lymph_node:
        out["short_axis_mm"] = x.short_axis_mm
    elif x.longest_diameter_mm is not None:
        out["longest_diameter_mm"] = x.longest_diameter_mm
    if x.is_target and not x.is_lymph_node:
        out["viable_diameter_mm"] = x.viable_diameter_mm
    return out


def _scan(s: TumourScan) -> dict[str, object]:
    targets = []
    for t in s.targets:
        item: dict[str, object] = {"lesion_id": t.lesion_id, "status": t.status}
        if t.status == "present":
            item["diameter_mm"] = t.diameter_mm
        if t.viable_diameter_mm is not None:
            item["viable_diameter_mm"] = t.viable_diameter_mm
        targets.append(item)
    non_targets = []
    for n in s.non_targets:
        nt: dict[str, object] = {"lesion_id": n.lesion_id, "status": n.status}
        if n.short_axis_mm is not None:
            nt["short_axis_mm"] = n.short_axis_mm
        if n.enhancing is not None:
            nt["enhancing"] = n.enhancing
        non_targets.append(nt)
    return {
        "scan_date": s.scan_date.isoformat(),
        "targets": targets,
        "non_targets": non_targets,
        "new_lesions": [{"lesion_id": n.lesion_id, "status": n.status} for n in s.new_lesions],
    }


def assessment_document(
    lesions: tuple[Lesion, ...], script: PatientScript, settings: dict[str, object] | None = None
) -> dict[str, object]:
    """Baseline lesions and the script's scans in the docs/recist-input.md format."""
    return {
        "randomization_date": script.randomization_date.isoformat(),
        "death_date": script.death.on.isoformat() if script.death is not None else None,
        "settings": settings,
        "lesions": [_baseline_lesion(x) for x in lesions],
        "scans": [_scan(s) for s in script.scans],
    }
