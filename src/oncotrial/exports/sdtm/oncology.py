"""Oncology domains TU, TR, RS (SDTMIG v3.4 §6.3.9; CDISC RECIST 1.1 supplement;
research/standards.md §1.2-1.3).

* TU: one record per lesion (``TUTESTCD = TUMIDENT``), ``TUORRES`` TARGET / NON-TARGET / NEW.
* TR: per lesion per scan; ``TRLNKID`` = ``TULNKID`` (the lesion), ``TRLNKGRP`` = ``RSLNKGRP``
  (the scan: every measurement that contributed to that scan's responses). Target lesions:
  ``LDIAM`` (RECIST 1.1) and ``VDIAM`` viable diameter (mRECIST); non-target and new lesions:
  ``TUMSTATE``.
* RS: per scan and criterion ``TRGRESP``, ``NTRGRESP``, ``NEWLPROG`` (Y/N) and ``OVRLRESP``; per
  subject and criterion ``BESTRESP``. ``RSCAT`` names the criterion (``RECIST 1.1`` /
  ``mRECIST``); values from CDISC codelist ONCRSR.
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.clinical_records import LesionMeasurement
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.findings import number_text
from oncotrial.exports.sdtm.spec import RS, TR, TU
from oncotrial.exports.sdtm.timing import iso

RS_TESTS = {
    "TRGRESP": "Target Response",
    "NTRGRESP": "Non-target Response",
    "NEWLPROG": "New Lesion Progression",
    "OVRLRESP": "Overall Response",
    "BESTRESP": "Best Overall Response",
}


def link_group(visit_code: str) -> str:
    """TRLNKGRP/RSLNKGRP of one scan: its visit code (``SCR``, ``TA1``, …)."""
    return visit_code


def build_tu(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for x in ctx.records.lesions:
        rows.append(
            {
                **ctx.ids("TU", x.subject_id),
                "TULNKID": x.lesion_id,
                "TUTESTCD": "TUMIDENT",
                "TUTEST": "Tumor Identification",
                "TUORRES": x.role.value,
                "TUSTRESC": x.role.value,
                "TULOC": x.location,
                "TUMETHOD": x.method,
                "TUEVAL": x.evaluator,
                **ctx.visit("TU", x.subject_id, x.visit_code, x.identified_on),
            }
        )
    return finish(TU, rows, ctx, ("TUDTC", "TULNKID"))


def _results(m: LesionMeasurement) -> list[tuple[str, str, str, float | None, str | None]]:
    out: list[tuple[str, str, str, float | None, str | None]] = []
    if m.longest_diameter_mm is not None:
        out.append(
            ("LDIAM", "Longest Diameter", number_text(m.longest_diameter_mm), m.longest_diameter_mm, "mm")
        )
    if m.short_axis_mm is not None:
        out.append(("LPERP", "Longest Perpendicular", number_text(m.short_axis_mm), m.short_axis_mm, "mm"))
    if m.viable_diameter_mm is not None:
        out.append(
            ("VDIAM", "Viable Diameter", number_text(m.viable_diameter_mm), m.viable_diameter_mm, "mm")
        )
    if m.state is not None:
        out.append(("TUMSTATE", "Tumor State", m.state, None, None))
    return out


def build_tr(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for m in ctx.records.measurements:
        for code, name, text, number, unit in _results(m):
            rows.append(
                {
                    **ctx.ids("TR", m.subject_id),
                    "TRLNKGRP": link_group(m.visit_code),
                    "TRLNKID": m.lesion_id,
                    "TRTESTCD": code,
                    "TRTEST": name,
                    "TRORRES": text,
                    "TRORRESU": unit,
                    "TRSTRESC": text,
                    "TRSTRESN": number,
                    "TRSTRESU": unit,
                    "TRMETHOD": m.method,
                    "TREVAL": "INVESTIGATOR",
                    **ctx.visit("TR", m.subject_id, m.visit_code, m.scan_on),
                }
            )
    return finish(TR, rows, ctx, ("TRDTC", "TRLNKID", "TRTESTCD"))


def build_rs(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for r in ctx.records.responses:
        values = {
            "TRGRESP": r.target,
            "NTRGRESP": r.non_target,
            "NEWLPROG": "Y" if r.new_lesions else "N",
            "OVRLRESP": r.overall,
        }
        for code, value in values.items():
            rows.append(
                {
                    **ctx.ids("RS", r.subject_id),
                    "RSLNKGRP": link_group(r.visit_code),
                    "RSTESTCD": code,
                    "RSTEST": RS_TESTS[code],
                    "RSCAT": r.criterion.value,
                    "RSORRES": value,
                    "RSSTRESC": value,
                    "RSEVAL": r.evaluator,
                    **ctx.visit("RS", r.subject_id, r.visit_code, r.scan_on),
                }
            )
    for b in ctx.records.best_responses:
        if (
            b.response == "MISSING"
        ):  # no post-baseline assessment: no BOR record (admiralonco's MISSING is ADaM only)
            continue
        rows.append(
            {
                **ctx.ids("RS", b.subject_id),
                "RSTESTCD": "BESTRESP",
                "RSTEST": RS_TESTS["BESTRESP"],
                "RSCAT": b.criterion.value,
                "RSORRES": b.response,
                "RSSTRESC": b.response,
                "RSEVAL": b.evaluator,
                "EPOCH": ctx.epoch(b.subject_id, b.on),
                "RSDTC": iso(b.on),
                "RSDY": ctx.day(b.subject_id, b.on),
            }
        )
    return finish(RS, rows, ctx, ("RSCAT", "RSDTC", "RSTESTCD"))
