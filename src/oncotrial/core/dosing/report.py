"""Plain-data form of a treatment decision (the ``oncotrial dose --json`` output)."""

from __future__ import annotations

from oncotrial.core.dosing.decision import DrugDecision, TreatmentDecision
from oncotrial.core.dosing.doses import CalculatedDose
from oncotrial.core.dosing.table_types import FiredRule


def _dose(dose: CalculatedDose | None) -> dict[str, object] | None:
    if dose is None:
        return None
    return {
        "dose_mg": dose.dose_mg, "calculated_mg": round(dose.calculated_mg, 3), "level": dose.level,
        "amount": dose.amount, "unit": dose.unit, "fraction": dose.fraction,
        "frequency": dose.frequency.value, "bsa_m2": None if dose.bsa_m2 is None else round(dose.bsa_m2, 4),
        "rounding": dose.rounding, "text": dose.describe(),
    }


def _rule(rule: FiredRule) -> dict[str, object]:
    return {"table": rule.table, "condition": rule.condition, "action": rule.outcome.action.value,
            "text": rule.outcome.text, "fraction": rule.outcome.fraction,
            "step_down": rule.outcome.step_down, "adverse_event": rule.adverse_event, "source": rule.source}


def _drug(d: DrugDecision) -> dict[str, object]:
    return {
        "drug": d.drug.value, "route": d.route.value, "action": d.action.value, "level": d.level,
        "summary": d.summary, "dose": _dose(d.dose), "protocol_dose": _dose(d.protocol_dose),
        "deciding_rules": [_rule(r) for r in d.deciding], "rules": [_rule(r) for r in d.rules],
    }


def decision_to_dict(decision: TreatmentDecision) -> dict[str, object]:
    """The decision as JSON-compatible data (field names documented in docs/dose-input.md)."""
    b = decision.bsa
    return {
        "arm": decision.arm, "cycle": decision.cycle, "day": decision.day,
        "cycle_delayed": decision.cycle_delayed,
        "bsa": {"bsa_m2": round(b.bsa_m2, 4), "uncapped_m2": round(b.uncapped_m2, 4),
                "formula": b.formula.value, "height_cm": b.height_cm,
                "reference_weight_kg": b.reference_weight_kg, "current_weight_kg": b.current_weight_kg,
                "weight_used_kg": b.weight_used_kg, "weight_change_percent": round(100 * b.weight_change, 2),
                "recomputed": b.recomputed, "capped": b.capped, "rule": b.rule, "source": b.source},
        "drugs": [_drug(d) for d in decision.drugs],
        "notes": list(decision.notes),
    }
