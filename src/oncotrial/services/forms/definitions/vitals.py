"""``vitals``: weight, height, blood pressure, heart rate, temperature and ECOG, with the dosing BSA.

Derived (core :func:`oncotrial.core.dosing.dosing_bsa`, clinical-content.md §3.6): the BSA
used for dosing by the Mosteller formula (no cap), recomputed only when the weight has
changed by ≥10 % from the reference weight, i.e. the weight the BSA in force was computed
from (the previous vitals' ``bsa_weight_kg``; at the first vitals, the screening weight).
Height falls back to the last recorded height, then to the screening document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oncotrial.core.dosing import BsaPolicy, dosing_bsa
from oncotrial.core.units import Measurand, Measurement, measure
from oncotrial.services.forms.builders import as_date, before, day, decimal, integer, measurement
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

CODE = "vitals"


def _measure(entry: object, measurand: Measurand) -> Measurement | None:
    if not isinstance(entry, dict):
        return None
    return measure(measurand, entry["value"], entry["unit"])


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    on = as_date(data.get("assessment_date"))
    assert on is not None
    earlier = before(ctx.records(CODE), "assessment_date", on)
    weight = _measure(data.get("weight"), Measurand.WEIGHT)
    height = _measure(data.get("height"), Measurand.HEIGHT)
    for previous in reversed(earlier):
        if height is not None:
            break
        height = _measure(previous.data.get("height"), Measurand.HEIGHT)
    if height is None:
        height = ctx.screening_measurement("height", Measurand.HEIGHT)
    if weight is None:
        return {"bsa_m2": None, "bsa_reason": "no weight recorded"}
    if height is None:
        return {"bsa_m2": None, "bsa_reason": "no height recorded (this visit, earlier visits or screening)"}
    reference_kg = next(
        (
            p.derived.get("bsa_weight_kg")
            for p in reversed(earlier)
            if p.derived.get("bsa_weight_kg") is not None
        ),
        None,
    )
    if reference_kg is not None:
        reference = measure(Measurand.WEIGHT, reference_kg, "kg")
    else:
        reference = ctx.screening_measurement("weight", Measurand.WEIGHT) or weight
    bsa = dosing_bsa(height, reference, weight, BsaPolicy())
    return {
        "bsa_m2": round(bsa.bsa_m2, 4),
        "bsa_formula": bsa.formula.value,
        "height_cm": round(bsa.height_cm, 2),
        "weight_kg": round(bsa.current_weight_kg, 3),
        "reference_weight_kg": round(bsa.reference_weight_kg, 3),
        "weight_change_pct": round(bsa.weight_change * 100, 2),
        "bsa_recomputed": bsa.recomputed,
        "bsa_weight_kg": round(bsa.weight_used_kg, 3),
        "bsa_rule": bsa.rule,
        "source": bsa.source,
    }


def _pressure(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    sbp, dbp = data.get("systolic_bp"), data.get("diastolic_bp")
    if isinstance(sbp, dict) and isinstance(dbp, dict) and dbp["value"] >= sbp["value"]:
        return [
            FieldError("diastolic_bp", dbp, f"a diastolic pressure below the systolic ({sbp['value']:g})")
        ]
    return []


def _height_needed(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    if (
        data.get("weight") is not None
        and data.get("height") is None
        and not ctx.records(CODE)
        and ctx.screening_measurement("height", Measurand.HEIGHT) is None
    ):
        return [FieldError("height", None, "a height at the first vitals (needed for the BSA)")]
    return []


FORM = FormSpec(
    code=CODE,
    title="Vital signs and performance status",
    visit_bound=True,
    repeating=False,
    date_field="assessment_date",
    fields=(
        day("assessment_date", "Assessment date", required=True),
        measurement("weight", "Body weight", "WEIGHT", required=True),
        measurement("height", "Height", "HEIGHT", help="required at the first vitals; later optional"),
        measurement("systolic_bp", "Systolic blood pressure", "SYSBP"),
        measurement("diastolic_bp", "Diastolic blood pressure", "DIABP"),
        measurement("heart_rate", "Heart rate", "HR"),
        measurement("temperature", "Body temperature", "TEMP"),
        integer(
            "ecog",
            "ECOG performance status",
            minimum=0,
            maximum=5,
            help="Oken et al., Am J Clin Oncol 1982: 0 fully active … 5 dead",
        ),
        decimal(
            "bsa_cap_m2",
            "BSA cap (m²), if the site caps BSA",
            minimum=1.0,
            maximum=3.0,
            help="not applied in this version: ASCO 2021 recommends no cap (recorded for review)",
        ),
    ),
    derive=derive,
    checks=(
        Check("vitals_bp_order", Severity.HARD, "diastolic pressure below systolic", _pressure),
        Check("vitals_height_first", Severity.HARD, "a height at the first vitals", _height_needed),
    ),
)
