"""Interventions: EX (as the protocol prescribes), EC (as collected), CM (SDTMIG v3.4 §6.1).

EX and EC records of the same administration share ``--LNKID`` (EC→EX derivation link;
SDTMIG §6.1.3). EC doses are the mg actually given, EX doses the protocol unit (mg/m2 or mg).
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.spec import CM, EC, EX


def _link(e_subject: str, drug: str, start: str) -> str:
    return f"{drug.upper()}-{start}"


def build_ex(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for e in ctx.records.exposures:
        visit = ctx.visits.get((e.subject_id, e.visit_code))
        rows.append(
            {
                **ctx.ids("EX", e.subject_id),
                "EXLNKID": _link(e.subject_id, e.drug, e.start.isoformat()),
                "EXTRT": e.drug.upper(),
                "EXDOSE": float(e.dose),
                "EXDOSU": e.unit,
                "EXDOSFRM": e.dose_form,
                "EXDOSFRQ": e.frequency,
                "EXROUTE": e.route,
                "EXADJ": e.adjustment_reason,
                "VISITNUM": visit.number if visit else None,
                "VISIT": visit.name if visit else None,
                **ctx.period("EX", e.subject_id, e.start, e.end),
            }
        )
    return finish(EX, rows, ctx, ("EXSTDTC", "EXTRT"))


def build_ec(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for e in ctx.records.exposures:
        visit = ctx.visits.get((e.subject_id, e.visit_code))
        rows.append(
            {
                **ctx.ids("EC", e.subject_id),
                "ECLNKID": _link(e.subject_id, e.drug, e.start.isoformat()),
                "ECTRT": e.drug.upper(),
                "ECMOOD": "PERFORMED",
                "ECDOSE": float(e.collected_dose_mg),
                "ECDOSU": "mg",
                "ECDOSFRM": e.dose_form,
                "ECDOSFRQ": e.frequency,
                "ECROUTE": e.route,
                "VISITNUM": visit.number if visit else None,
                "VISIT": visit.name if visit else None,
                **ctx.period("EC", e.subject_id, e.start, e.end),
            }
        )
    return finish(EC, rows, ctx, ("ECSTDTC", "ECTRT"))


def build_cm(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for m in ctx.records.con_meds:
        rows.append(
            {
                **ctx.ids("CM", m.subject_id),
                "CMTRT": m.name,
                "CMCAT": m.category,
                "CMINDC": m.indication,
                "CMDOSE": m.dose,
                "CMDOSU": m.unit,
                "CMDOSFRQ": m.frequency,
                "CMROUTE": m.route,
                **ctx.period("CM", m.subject_id, m.start, m.end),
            }
        )
    return finish(CM, rows, ctx, ("CMSTDTC", "CMTRT"))
