"""``adverse_event``: a CTCAE v5.0 term and grade with seriousness, attribution per drug and outcome.

Fields follow clinical-content.md §4.3 ("attribution problem" [ASSUMP]): a relatedness per
study drug and an immune-mediated flag (no / suspected / yes), so that each drug's dose
rules apply to the AEs attributed to it (core :class:`oncotrial.core.dosing.AdverseEvent`).
Seriousness criteria are those of ICH E2A. ``category`` selects the dose-modification
row (core ``AeCategory``).

Hard checks: resolution not before onset; a serious AE names at least one criterion;
grade 5 ⇔ outcome fatal. Soft check ``ae_onset_before_consent``: onset before the
informed consent (usually medical history, not an AE).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from oncotrial.core.dosing import AeCategory, Drug, ImmuneMediated
from oncotrial.services.forms.builders import (
    as_date,
    boolean,
    choice,
    date_order,
    day,
    integer,
    text,
)
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

CODE = "adverse_event"
DRUGS: Final = tuple(d.value for d in Drug)
ATTRIBUTION: Final = ("not_related", "unlikely", "possible", "probable", "definite")
RELATED: Final = frozenset({"possible", "probable", "definite"})
ACTIONS: Final = ("none", "dose_reduced", "interrupted", "withdrawn", "not_applicable")
OUTCOMES: Final = ("recovered", "recovering", "not_recovered", "recovered_with_sequelae", "fatal", "unknown")
SAE_CRITERIA: Final = (
    ("sae_death", "Results in death"),
    ("sae_life_threatening", "Is life-threatening"),
    ("sae_hospitalisation", "Requires or prolongs hospitalisation"),
    ("sae_disability", "Persistent or significant disability/incapacity"),
    ("sae_congenital_anomaly", "Congenital anomaly/birth defect"),
    ("sae_medically_important", "Other medically important event"),
)


def related_drugs(data: Mapping[str, Any]) -> list[str]:
    return [d for d in DRUGS if data.get(f"attribution_{d}") in RELATED]


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "related_to": related_drugs(data),
        "immune": data.get("immune_related", "no") != "no",
        "serious": bool(data.get("serious")),
        "grade_3_or_more": int(data["grade"]) >= 3,
        "source": "CTCAE v5.0; ICH E2A seriousness criteria",
    }


def _consistency(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors = date_order(data, "onset_date", "resolution_date", "a resolution date on or after the onset date")
    if data.get("serious") is True and not any(data.get(name) for name, _ in SAE_CRITERIA):
        errors.append(FieldError("serious", True, "at least one seriousness criterion for a serious AE"))
    if any(data.get(name) for name, _ in SAE_CRITERIA) and data.get("serious") is False:
        errors.append(FieldError("serious", False, "true when a seriousness criterion is ticked"))
    grade, outcome = data.get("grade"), data.get("outcome")
    if grade == 5 and outcome not in (None, "fatal"):
        errors.append(FieldError("outcome", outcome, "fatal for a grade 5 (death) adverse event"))
    if outcome == "fatal" and grade != 5:
        errors.append(FieldError("grade", grade, "grade 5 when the outcome is fatal (CTCAE v5.0)"))
    if outcome in ("recovered", "recovered_with_sequelae") and data.get("resolution_date") is None:
        errors.append(FieldError("resolution_date", None, "a resolution date when the outcome is recovered"))
    return errors


def _before_consent(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    onset, consent = as_date(data.get("onset_date")), ctx.consent_date
    if onset is not None and consent is not None and onset < consent:
        return [
            FieldError(
                "onset_date",
                data["onset_date"],
                f"onset before informed consent ({consent.isoformat()}): is this medical history?",
            )
        ]
    return []


FORM = FormSpec(
    code=CODE,
    title="Adverse event",
    visit_bound=False,
    repeating=True,
    date_field="onset_date",
    fields=(
        text(
            "term",
            "CTCAE v5.0 term",
            required=True,
            max_length=200,
            help="CTCAE v5.0 term, e.g. 'Neutrophil count decreased'",
        ),
        integer("grade", "CTCAE grade (worst)", required=True, minimum=1, maximum=5),
        choice(
            "category",
            "Dose-modification category",
            [c.value for c in AeCategory],
            required=True,
            help="which dose-modification table row applies ('other' if none)",
        ),
        day("onset_date", "Onset date", required=True),
        day("resolution_date", "Resolution date"),
        boolean("serious", "Serious (ICH E2A)", required=True),
        *(boolean(name, label) for name, label in SAE_CRITERIA),
        *(choice(f"attribution_{d}", f"Relationship to {d}", ATTRIBUTION, required=True) for d in DRUGS),
        choice("immune_related", "Immune-mediated", [i.value for i in ImmuneMediated], required=True),
        *(choice(f"action_{d}", f"Action taken with {d}", ACTIONS) for d in DRUGS),
        choice("outcome", "Outcome", OUTCOMES, required=True),
        boolean("haic_related", "Related to a HAIC procedure"),
        day("haic_session_date", "Date of the related HAIC session"),
        integer("occurrence", "Occurrence (1 = first, 2+ = recurrence)", minimum=1, maximum=50),
        text("comment", "Comment", max_length=2000),
    ),
    derive=derive,
    checks=(
        Check("ae_consistency", Severity.HARD, "dates, seriousness and grade 5 consistent", _consistency),
        Check("ae_onset_before_consent", Severity.SOFT, "onset before consent", _before_consent),
    ),
)
