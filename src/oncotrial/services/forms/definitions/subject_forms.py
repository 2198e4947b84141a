"""Subject-level forms: concomitant medication, end of treatment, follow-up, death, deviation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oncotrial.services.forms.builders import (
    as_date,
    boolean,
    choice,
    date_order,
    day,
    required_when,
    text,
)
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

ROUTES = ("oral", "iv", "sc", "im", "topical", "inhaled", "other")


def _conmed(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors = date_order(data, "start_date", "end_date", "an end date on or after the start date")
    if data.get("ongoing") is True and data.get("end_date") is not None:
        errors.append(FieldError("end_date", data["end_date"], "no end date for an ongoing medication"))
    return errors


CONMED = FormSpec(
    code="conmed",
    title="Concomitant medication",
    visit_bound=False,
    repeating=True,
    date_field="start_date",
    fields=(
        text("medication", "Medication (generic name)", required=True, max_length=200),
        text("indication", "Indication", required=True, max_length=200),
        text("dose", "Dose and frequency", max_length=100),
        choice("route", "Route", ROUTES),
        day("start_date", "Start date", required=True),
        day("end_date", "End date"),
        boolean("ongoing", "Ongoing"),
    ),
    checks=(Check("conmed_dates", Severity.HARD, "end on or after start, none if ongoing", _conmed),),
)

EOT_REASONS = (
    "progression",
    "toxicity",
    "withdrawal_of_consent",
    "death",
    "investigator_decision",
    "lost_to_follow_up",
    "completed",
    "other",
)


def _eot(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors = date_order(
        data, "last_dose_date", "eot_date", "an end-of-treatment date on or after the last dose"
    )
    errors += required_when(data, data.get("reason") == "other", "reason_detail", "the reason is other")
    return errors


def _eot_before_start(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    eot, course = as_date(data.get("eot_date")), ctx.treatment
    if eot is not None and course is not None and eot < course.start_date:
        return [
            FieldError(
                "eot_date",
                data["eot_date"],
                f"end of treatment before the start of treatment ({course.start_date.isoformat()})",
            )
        ]
    return []


END_OF_TREATMENT = FormSpec(
    code="end_of_treatment",
    title="End of treatment",
    visit_bound=False,
    repeating=False,
    date_field="eot_date",
    fields=(
        day("eot_date", "End-of-treatment date", required=True),
        day("last_dose_date", "Date of the last dose of any study drug", required=True),
        choice("reason", "Primary reason", EOT_REASONS, required=True),
        text("reason_detail", "Details", max_length=1000),
    ),
    checks=(
        Check("eot_consistency", Severity.HARD, "dates ordered, details for 'other'", _eot),
        Check("eot_before_start", Severity.SOFT, "end of treatment before its start", _eot_before_start),
    ),
)


def _follow_up(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors = required_when(
        data,
        data.get("subsequent_therapy") is True,
        "subsequent_therapy_name",
        "a subsequent therapy is reported",
    )
    errors += required_when(
        data,
        data.get("subsequent_therapy") is True,
        "subsequent_therapy_start",
        "a subsequent therapy is reported",
    )
    errors += required_when(
        data, data.get("survival_status") == "alive", "last_known_alive_date", "the subject is alive"
    )
    return errors


FOLLOW_UP = FormSpec(
    code="follow_up",
    title="Survival follow-up",
    visit_bound=False,
    repeating=True,
    date_field="contact_date",
    fields=(
        day("contact_date", "Contact date", required=True),
        choice("survival_status", "Survival status", ("alive", "dead", "lost_to_follow_up"), required=True),
        day("last_known_alive_date", "Last date known alive"),
        boolean("subsequent_therapy", "Subsequent anticancer therapy started", required=True),
        text("subsequent_therapy_name", "Subsequent therapy", max_length=200),
        day("subsequent_therapy_start", "Start of the subsequent therapy"),
        boolean("conversion_surgery", "Conversion surgery (resection)"),
    ),
    checks=(Check("follow_up_consistency", Severity.HARD, "details required by the answers", _follow_up),),
)

DEATH_CAUSES = ("disease_progression", "adverse_event", "other", "unknown")


def _death(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    return required_when(
        data,
        data.get("cause") in ("other", "adverse_event"),
        "cause_detail",
        "the cause is an adverse event or other",
    )


def _death_before_consent(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    died, consent = as_date(data.get("death_date")), ctx.consent_date
    if died is not None and consent is not None and died < consent:
        return [
            FieldError(
                "death_date", data["death_date"], f"death before informed consent ({consent.isoformat()})"
            )
        ]
    return []


DEATH = FormSpec(
    code="death",
    title="Death",
    visit_bound=False,
    repeating=False,
    date_field="death_date",
    fields=(
        day("death_date", "Date of death", required=True),
        choice("cause", "Primary cause", DEATH_CAUSES, required=True),
        text("cause_detail", "Cause details", max_length=1000),
        boolean("autopsy", "Autopsy performed"),
    ),
    checks=(
        Check("death_cause_detail", Severity.HARD, "details for AE or other causes", _death),
        Check("death_before_consent", Severity.SOFT, "death dated before consent", _death_before_consent),
    ),
)

DEVIATION_CATEGORIES = (
    "eligibility",
    "informed_consent",
    "dosing",
    "visit_window",
    "missed_assessment",
    "prohibited_medication",
    "other",
)

DEVIATION = FormSpec(
    code="deviation",
    title="Protocol deviation",
    visit_bound=False,
    repeating=True,
    date_field="deviation_date",
    fields=(
        day("deviation_date", "Date of the deviation", required=True),
        choice("category", "Category", DEVIATION_CATEGORIES, required=True),
        choice("severity", "Severity (ICH E3: important or not)", ("minor", "major"), required=True),
        text("description", "Description", required=True, max_length=2000),
        text("corrective_action", "Corrective and preventive action", max_length=2000),
    ),
)
