"""``haic``: one hepatic arterial infusion chemotherapy session (experimental arm).

Data elements of clinical-content.md §4.4 ("data elements per HAIC session" [ASSUMP]):
date, operator, access site; angiographic findings (variant anatomy, stenosis or
occlusion, extrahepatic supply, arteriovenous shunt); catheter tip and embolized vessels
(GDA coiling); infusion start/stop (duration), dose prescribed versus delivered,
interruptions with reasons; contrast volume, haemostasis, bed rest; technical failure
with its reason. Procedure-related AEs are ``adverse_event`` records flagged
``haic_related`` with this session's date.

Derived: the delivered fraction of the prescribed dose. Soft check ``haic_dose_above_prescribed``:
delivered dose above the prescribed dose. Soft check ``haic_arm``: a HAIC session for a
subject not randomized to the HAIC arm.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from oncotrial.services.forms.builders import (
    boolean,
    choice,
    day,
    decimal,
    integer,
    required_when,
    table,
    text,
)
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

ACCESS_SITES = ("right_femoral", "left_femoral", "radial", "other")
CATHETER_TIPS = (
    "common_hepatic",
    "proper_hepatic",
    "right_hepatic",
    "left_hepatic",
    "tumour_feeding",
    "other",
)
HAEMOSTASIS = ("manual_compression", "closure_device", "other")


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    prescribed, delivered = data.get("dose_prescribed_mg"), data.get("dose_delivered_mg")
    fraction = None if not prescribed or delivered is None else round(delivered / prescribed, 4)
    minutes = sum(int(i.get("minutes", 0)) for i in data.get("interruptions", []))
    return {
        "delivered_fraction": fraction,
        "interruption_minutes": minutes,
        "source": "clinical-content.md §4.4 (HAIC session data elements)",
    }


def _consistency(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors = required_when(
        data,
        data.get("technical_failure") is True,
        "technical_failure_reason",
        "the procedure failed technically",
    )
    if data.get("technical_failure") is False and data.get("dose_delivered_mg") is None:
        errors.append(
            FieldError("dose_delivered_mg", None, "the delivered dose of a technically successful session")
        )
    return errors


def _above(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    prescribed, delivered = data.get("dose_prescribed_mg"), data.get("dose_delivered_mg")
    if prescribed is not None and delivered is not None and delivered > prescribed:
        return [
            FieldError(
                "dose_delivered_mg",
                delivered,
                f"a delivered dose above the prescribed {prescribed:g} mg: please confirm",
            )
        ]
    return []


def _arm(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    if ctx.arm is not None and ctx.arm != "HAIC":
        return [
            FieldError(
                "procedure_date",
                data.get("procedure_date"),
                f"a HAIC session for a subject of arm {ctx.arm}: please confirm",
            )
        ]
    return []


FORM = FormSpec(
    code="haic",
    title="HAIC procedure",
    visit_bound=True,
    repeating=False,
    date_field="procedure_date",
    fields=(
        day("procedure_date", "Procedure date", required=True),
        text("operator", "Operator", required=True, max_length=200),
        choice("access_site", "Arterial access site", ACCESS_SITES, required=True),
        boolean("variant_anatomy", "Variant hepatic arterial anatomy", required=True),
        boolean("arterial_stenosis_occlusion", "Hepatic arterial stenosis or occlusion", required=True),
        boolean("extrahepatic_supply", "Extrahepatic (parasitic) tumour supply", required=True),
        boolean("av_shunt", "Arteriovenous shunt", required=True),
        choice("catheter_tip", "Catheter tip location", CATHETER_TIPS, required=True),
        boolean("gda_coiled", "Gastroduodenal artery coil-occluded"),
        text("embolized_vessels", "Other embolized vessels", max_length=500),
        integer(
            "infusion_minutes",
            "Infusion duration (min)",
            minimum=0,
            maximum=720,
            help="protocol: oxaliplatin 85 mg/m² over 3 h (180 min)",
        ),
        decimal(
            "dose_prescribed_mg", "Oxaliplatin dose prescribed (mg)", required=True, minimum=0, maximum=1000
        ),
        decimal("dose_delivered_mg", "Oxaliplatin dose delivered (mg)", minimum=0, maximum=1000),
        table(
            "interruptions",
            "Infusion interruptions",
            (
                text("reason", "Reason", required=True, max_length=300),
                integer("minutes", "Duration (min)", required=True, minimum=0, maximum=720),
            ),
            max_rows=20,
        ),
        decimal("contrast_volume_ml", "Contrast volume (mL)", minimum=0, maximum=1000),
        choice("haemostasis", "Haemostasis method", HAEMOSTASIS),
        decimal("bed_rest_hours", "Bed rest after the procedure (h)", minimum=0, maximum=72),
        boolean("technical_failure", "Technical failure", required=True),
        text("technical_failure_reason", "Reason of the technical failure", max_length=500),
    ),
    derive=derive,
    checks=(
        Check(
            "haic_consistency", Severity.HARD, "failure reason; delivered dose when successful", _consistency
        ),
        Check("haic_dose_above_prescribed", Severity.SOFT, "delivered dose above prescribed", _above),
        Check("haic_arm", Severity.SOFT, "HAIC session outside the HAIC arm", _arm),
    ),
)
