"""Special-purpose and disposition domains of the subjects: DM, SE, SV, DS (SDTMIG v3.4 §5, §6.2)."""

from __future__ import annotations

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.spec import DM, DS, SE, SV
from oncotrial.exports.sdtm.timing import end_of_participation, iso


def build_dm(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    protocol = ctx.records.study.protocol
    labels = {a.code: a.label for a in protocol.arms}
    cutoff = ctx.records.study.cutoff
    for s in ctx.records.subjects:
        end = end_of_participation(s, cutoff)
        died = s.death_on if s.death_on is not None and s.death_on <= cutoff else None
        screening = next(
            (
                v.on
                for v in ctx.records.visits
                if v.subject_id == s.subject_id
                and v.number
                == min((w.number for w in ctx.records.visits if w.subject_id == s.subject_id), default=0)
            ),
            None,
        )
        rows.append(
            {
                **ctx.ids("DM", s.subject_id),
                "SUBJID": s.subject_id,
                "RFSTDTC": iso(s.first_dose_on),
                "RFENDTC": iso(end),
                "RFXSTDTC": iso(s.first_dose_on),
                "RFXENDTC": iso(s.last_dose_on),
                "RFICDTC": iso(s.informed_consent_on),
                "RFPENDTC": iso(end),
                "DTHDTC": iso(died),
                "DTHFL": "Y" if died else None,
                "SITEID": s.site_code,
                "AGE": s.age_years,
                "AGEU": "YEARS",
                "SEX": s.sex,
                "RACE": s.race,
                "ETHNIC": s.ethnicity,
                "ARMCD": s.arm_planned,
                "ARM": labels.get(s.arm_planned, s.arm_planned),
                "ACTARMCD": s.arm_actual,
                "ACTARM": labels.get(s.arm_actual, s.arm_actual) if s.arm_actual else None,
                "ARMNRS": None if s.arm_actual else "NOT TREATED",
                "COUNTRY": s.country,
                "DMDTC": iso(screening),
                "DMDY": ctx.day(s.subject_id, screening),
            }
        )
    return finish(DM, rows, ctx)


def build_se(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for subject_id, elements in ctx.elements.items():
        for e in elements:
            rows.append(
                {
                    **ctx.ids("SE", subject_id),
                    "ETCD": e.code,
                    "ELEMENT": e.name,
                    "TAETORD": e.order,
                    "EPOCH": e.epoch,
                    "SESTDTC": iso(e.start),
                    "SEENDTC": iso(e.end),
                    "SESTDY": ctx.day(subject_id, e.start),
                    "SEENDY": ctx.day(subject_id, e.end),
                }
            )
    return finish(SE, rows, ctx, ("SESTDTC", "TAETORD"))


def build_sv(ctx: Context, planned_days: dict[int, int]) -> Dataset:
    """One record per visit that took place; VISITDY from the trial design (TV)."""
    rows: list[dict[str, Value]] = []
    for v in ctx.records.visits:
        rows.append(
            {
                **ctx.ids("SV", v.subject_id),
                "VISITNUM": v.number,
                "VISIT": v.name,
                "VISITDY": planned_days.get(v.number),
                "EPOCH": ctx.epoch(v.subject_id, v.on),
                "SVSTDTC": iso(v.on),
                "SVENDTC": iso(v.on),
                "SVSTDY": ctx.day(v.subject_id, v.on),
                "SVENDY": ctx.day(v.subject_id, v.on),
            }
        )
    return finish(SV, rows, ctx, ("VISITNUM",))


def build_ds(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for s in ctx.records.subjects:
        for e in s.disposition:
            rows.append(
                {
                    **ctx.ids("DS", s.subject_id),
                    "DSTERM": e.term,
                    "DSDECOD": e.decoded,
                    "DSCAT": e.category.value,
                    "DSSCAT": e.subcategory,
                    "EPOCH": ctx.epoch(s.subject_id, e.on),
                    "DSSTDTC": iso(e.on),
                    "DSSTDY": ctx.day(s.subject_id, e.on),
                }
            )
    return finish(DS, rows, ctx, ("DSSTDTC",))
