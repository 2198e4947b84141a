"""Findings: LB (collected and SI units, reference ranges, CTCAE v5.0 grade) and VS (SDTMIG v3.4 §6.3).

``--LOBXFL`` (SDTMIG v3.4, replacing --BLFL) flags the last observation before exposure,
as given by the clinical records' ``baseline``. ``LBNRIND`` compares the SI value with the
SI reference range.
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.clinical_records import LabResult
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.spec import LB, VS


def number_text(value: float) -> str:
    """A result as character (``12``, ``0.7``): shortest round-trip text, no trailing ``.0``."""
    return f"{value:g}" if float(value).is_integer() else repr(float(value))


def _range_text(value: float | None, factor: float) -> str | None:
    return None if value is None else number_text(round(value / factor, 2))


def reference_indicator(lab: LabResult) -> str | None:
    if lab.low_si is not None and lab.si_value < lab.low_si:
        return "LOW"
    if lab.high_si is not None and lab.si_value > lab.high_si:
        return "HIGH"
    return "NORMAL" if lab.low_si is not None or lab.high_si is not None else None


def build_lb(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for x in ctx.records.labs:
        factor = x.si_value / x.value if x.value else 1.0
        rows.append(
            {
                **ctx.ids("LB", x.subject_id),
                "LBTESTCD": x.test_code,
                "LBTEST": x.test_name,
                "LBCAT": x.category,
                "LBORRES": number_text(x.value),
                "LBORRESU": x.unit,
                "LBORNRLO": _range_text(x.low_si, factor),
                "LBORNRHI": _range_text(x.high_si, factor),
                "LBSTRESC": number_text(x.si_value),
                "LBSTRESN": float(x.si_value),
                "LBSTRESU": x.si_unit,
                "LBSTNRLO": x.low_si,
                "LBSTNRHI": x.high_si,
                "LBNRIND": reference_indicator(x),
                "LBSPEC": x.specimen,
                "LBLOBXFL": "Y" if x.baseline else None,
                "LBTOXGR": None if x.ctcae_grade is None else str(x.ctcae_grade),
                **ctx.visit("LB", x.subject_id, x.visit_code, x.on),
            }
        )
    return finish(LB, rows, ctx, ("LBDTC", "LBTESTCD"))


def build_vs(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for x in ctx.records.vitals:
        rows.append(
            {
                **ctx.ids("VS", x.subject_id),
                "VSTESTCD": x.test_code,
                "VSTEST": x.test_name,
                "VSORRES": number_text(x.value),
                "VSORRESU": x.unit,
                "VSSTRESC": number_text(x.value),
                "VSSTRESN": float(x.value),
                "VSSTRESU": x.unit,
                "VSLOBXFL": "Y" if x.baseline else None,
                **ctx.visit("VS", x.subject_id, x.visit_code, x.on),
            }
        )
    return finish(VS, rows, ctx, ("VSDTC", "VSTESTCD"))
