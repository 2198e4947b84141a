"""The eCRF data a site would enter, built from a virtual patient's script.

Pure mapping from :mod:`oncotrial.synthetic` objects to the form fields declared in
``services/forms`` (``docs/crf.md``); nothing is decided here. Doses come from the core
decision the exposure form derives, never from the script.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from oncotrial.synthetic.model import (
    AdverseEventScript,
    CycleScript,
    LabPanel,
    Lesion,
    Relatedness,
    TumourScan,
)

DRUGS: Final = ("gemcitabine", "oxaliplatin", "lenvatinib", "toripalimab")
ATTRIBUTION: Final = {
    Relatedness.RELATED: "probable",
    Relatedness.POSSIBLY_RELATED: "possible",
    Relatedness.NOT_RELATED: "not_related",
}


def labs_data(panel: LabPanel) -> dict[str, Any]:
    """``labs`` form: one measurement per analyte, each with the unit it was reported in."""
    data: dict[str, Any] = {"collection_date": panel.collected_on.isoformat()}
    for value in panel.values:
        data[value.test.value.lower()] = {"value": value.value, "unit": value.unit}
    return data


def vitals_data(cycle: CycleScript, on: date, *, height_cm: float | None, ecog: int) -> dict[str, Any]:
    v = cycle.vitals
    data: dict[str, Any] = {
        "assessment_date": on.isoformat(),
        "weight": {"value": round(v.weight_kg, 1), "unit": "kg"},
        "systolic_bp": {"value": v.systolic_bp_mmhg, "unit": "mmHg"},
        "diastolic_bp": {"value": v.diastolic_bp_mmhg, "unit": "mmHg"},
        "ecog": ecog,
    }
    if height_cm is not None:
        data["height"] = {"value": round(height_cm, 1), "unit": "cm"}
    return data


def exposure_data(on: date, cycle: int, day: int, *, haic_feasible: bool | None) -> dict[str, Any]:
    data: dict[str, Any] = {"administration_date": on.isoformat(), "cycle": cycle, "day": day}
    if haic_feasible is not None:
        data["haic_technically_feasible"] = haic_feasible
    return data


def all_discontinued(derived: dict[str, Any]) -> bool:
    """Whether core's decision discontinued every drug (its ``levels_after``): treatment ends."""
    levels = derived.get("levels_after", {})
    return bool(levels) and all(level == "discontinued" for level in levels.values())


def administered_rows(derived: dict[str, Any]) -> list[dict[str, Any]]:
    """The doses given: exactly what the verified prescription says (held drugs are not given)."""
    rows = []
    for drug, (action, _level, dose_mg) in sorted(derived.get("prescription", {}).items()):
        if dose_mg is None or action in {"hold", "discontinue", "not_due", "omit"}:
            continue
        rows.append({"drug": drug, "dose_mg": round(float(dose_mg), 1)})
    return rows


def adverse_event_data(ae: AdverseEventScript, *, resolved_by: date | None) -> dict[str, Any]:
    """``adverse_event`` form as known on a day: resolution only once it has happened."""
    related = {a.drug: ATTRIBUTION[a.relatedness] for a in ae.attribution}
    data: dict[str, Any] = {
        "term": ae.term,
        "grade": ae.grade,
        "category": ae.category,
        "onset_date": ae.onset_date.isoformat(),
        "serious": ae.serious,
        "immune_related": ae.immune_mediated,
        "outcome": "fatal" if ae.fatal else "not_recovered",
    }
    for drug in DRUGS:
        data[f"attribution_{drug}"] = related.get(drug, "not_related")
    if ae.serious:
        data["sae_death" if ae.fatal else "sae_hospitalisation"] = True
    if resolved_by is not None and ae.resolution_date is not None and ae.resolution_date <= resolved_by:
        data["resolution_date"] = ae.resolution_date.isoformat()
        data["outcome"] = "recovered"
    if ae.source.startswith("haic"):
        data["haic_related"] = True
    return data


def baseline_scan_data(lesions: tuple[Lesion, ...], on: date) -> dict[str, Any]:
    rows = []
    for x in lesions:
        row: dict[str, Any] = {
            "lesion_id": x.lesion_id,
            "organ": x.organ,
            "kind": "target" if x.is_target else "non_target",
            "lymph_node": x.is_lymph_node,
        }
        if x.is_lymph_node and x.short_axis_mm is not None:
            row["short_axis_mm"] = x.short_axis_mm
        elif x.longest_diameter_mm is not None:
            row["longest_diameter_mm"] = x.longest_diameter_mm
        if x.is_target and not x.is_lymph_node and x.viable_diameter_mm is not None:
            row["viable_diameter_mm"] = x.viable_diameter_mm
        rows.append(row)
    return {"scan_date": on.isoformat(), "modality": "ct", "lesions": rows}


def follow_up_scan_data(scan: TumourScan, lesions: tuple[Lesion, ...]) -> dict[str, Any]:
    by_id = {x.lesion_id: x for x in lesions}
    rows: list[dict[str, Any]] = []
    for t in scan.targets:
        base = by_id[t.lesion_id]
        row: dict[str, Any] = {
            "lesion_id": t.lesion_id,
            "organ": base.organ,
            "kind": "target",
            "lymph_node": base.is_lymph_node,
            "target_status": t.status,
        }
        if t.status == "present":
            row["short_axis_mm" if base.is_lymph_node else "longest_diameter_mm"] = t.diameter_mm
            if t.viable_diameter_mm is not None and not base.is_lymph_node:
                row["viable_diameter_mm"] = t.viable_diameter_mm
        rows.append(row)
    for n in scan.non_targets:
        base = by_id[n.lesion_id]
        nt: dict[str, Any] = {
            "lesion_id": n.lesion_id,
            "organ": base.organ,
            "kind": "non_target",
            "lymph_node": base.is_lymph_node,
            "non_target_status": n.status,
        }
        if n.short_axis_mm is not None:
            nt["short_axis_mm"] = n.short_axis_mm
        if n.enhancing is not None:
            nt["enhancing"] = n.enhancing
        rows.append(nt)
    for new in scan.new_lesions:
        rows.append(
            {
                "lesion_id": new.lesion_id,
                "organ": new.organ,
                "kind": "new",
                "new_status": new.status,
                "longest_diameter_mm": new.longest_diameter_mm,
            }
        )
    return {"scan_date": scan.scan_date.isoformat(), "modality": "ct", "lesions": rows}
