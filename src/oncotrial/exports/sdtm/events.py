"""Events: AE (CTCAE v5.0 terms and grades) and MH (SDTMIG v3.4 §6.2).

``AEDECOD`` is the CTCAE v5.0 term (a MedDRA LLT), ``AEBODSYS``/``AESOC`` its MedDRA SOC,
``AETOXGR`` the CTCAE grade (used instead of AESEV, SDTMIG §6.2 AE assumption 6). ``AEREL``
is RELATED when the event is attributed to any study drug; per-drug causality stays in the
clinical records. A serious event is flagged as requiring hospitalization (``AESHOSP``)
[ASSUMP: the records carry no seriousness criterion]; grade 5 events as resulting in death.
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.spec import AE, MH
from oncotrial.exports.sdtm.timing import iso


def build_ae(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for a in ctx.records.adverse_events:
        serious = "Y" if a.serious else "N"
        criteria: dict[str, Value] = {
            f"AES{s}": ("N" if a.serious else None) for s in ("CONG", "DISAB", "DTH", "HOSP", "LIFE", "MIE")
        }
        if a.serious:
            criteria["AESHOSP"] = "Y"
            criteria["AESDTH"] = "Y" if a.grade == 5 else "N"
        rows.append(
            {
                **ctx.ids("AE", a.subject_id),
                "AETERM": a.term,
                "AEDECOD": a.decoded,
                "AEBODSYS": a.body_system,
                "AESOC": a.body_system,
                "AESER": serious,
                "AEACN": a.action,
                "AEREL": "RELATED" if a.related else "NOT RELATED",
                "AEOUT": a.outcome,
                **criteria,
                "AETOXGR": str(a.grade),
                **ctx.period("AE", a.subject_id, a.start, a.end),
            }
        )
    return finish(AE, rows, ctx, ("AESTDTC", "AEDECOD"))


def build_mh(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for m in ctx.records.medical_history:
        subject = ctx.records.subject(m.subject_id)
        collected = subject.informed_consent_on
        rows.append(
            {
                **ctx.ids("MH", m.subject_id),
                "MHTERM": m.term,
                "MHCAT": m.category,
                "EPOCH": ctx.epoch(m.subject_id, collected),
                "MHDTC": iso(collected),
                "MHSTDTC": iso(m.start),
                "MHDY": ctx.day(m.subject_id, collected),
                "MHSTDY": ctx.day(m.subject_id, m.start),
                "MHENRTPT": "ONGOING" if m.ongoing else None,
                "MHENTPT": iso(collected) if m.ongoing else None,
            }
        )
    return finish(MH, rows, ctx, ("MHSTDTC", "MHTERM"))
