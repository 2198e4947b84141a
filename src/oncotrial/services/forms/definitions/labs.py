"""``labs``: a laboratory panel, each result with its unit, graded by CTCAE v5.0.

Derived per analyte (core :func:`oncotrial.core.grading.grade_measurement`, NCI CTCAE
v5.0, 27 Nov 2017): the canonical value, the CTCAE term, grade, criterion and basis,
using the site's reference ranges (``LabReferenceRange`` rows, else the screening
document's ranges) and the screening results as baseline (CTCAE "baseline abnormal"
rule). Grades ≥ 3 are listed in ``grade_3_or_more``. A grade that needs a missing LLN,
ULN or baseline is not guessed (``grade`` null with the reason).

Soft check ``labs_plausibility_band`` [ASSUMP, Oncotrial]: a value below 0.5 × LLN or above
5 × ULN of the site's range saves but opens a system query asking the site to confirm it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import grade_measurement
from oncotrial.core.units import SPECS, Measurand, measure
from oncotrial.services.forms.builders import boolean, day, measurement
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

CODE = "labs"
ANALYTES: Final[tuple[Measurand, ...]] = (
    Measurand.WBC,
    Measurand.NEUTROPHILS,
    Measurand.PLATELETS,
    Measurand.HEMOGLOBIN,
    Measurand.ALBUMIN,
    Measurand.BILIRUBIN,
    Measurand.AST,
    Measurand.ALT,
    Measurand.ALP,
    Measurand.GGT,
    Measurand.CREATININE,
    Measurand.PROTHROMBIN_TIME,
    Measurand.INR,
    Measurand.CA19_9,
    Measurand.CEA,
    Measurand.URINE_PROTEIN_24H,
)
FIELD_OF: Final = {m: m.value.lower() for m in ANALYTES}
"""Field name of each analyte: the lower-case CDISC-style code (``neut``, ``ca19_9``)."""
GRADED: Final = frozenset(
    {
        Measurand.WBC,
        Measurand.NEUTROPHILS,
        Measurand.PLATELETS,
        Measurand.HEMOGLOBIN,
        Measurand.ALBUMIN,
        Measurand.BILIRUBIN,
        Measurand.AST,
        Measurand.ALT,
        Measurand.ALP,
        Measurand.GGT,
        Measurand.CREATININE,
        Measurand.INR,
    }
)
BAND_LOW: Final = 0.5
BAND_HIGH: Final = 5.0


def measurements(data: Mapping[str, Any]) -> dict[Measurand, Any]:
    """The panel's validated measurements, by measurand."""
    found = {}
    for m in ANALYTES:
        entry = data.get(FIELD_OF[m])
        if isinstance(entry, dict):
            found[m] = measure(m, entry["value"], entry["unit"], field=FIELD_OF[m])
    return found


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    grades: dict[str, Any] = {}
    flagged = []
    anticoagulated = data.get("on_anticoagulation")
    for m, value in measurements(data).items():
        entry: dict[str, Any] = {"value": round(value.value, 6), "unit": value.unit}
        if m in GRADED:
            if m is Measurand.INR and anticoagulated is None:
                entry.update(grade=None, reason="INR is graded only when on_anticoagulation is given")
            else:
                try:
                    result = grade_measurement(
                        value,
                        ctx.reference_ranges.get(m),
                        baseline=ctx.baseline_labs.get(m),
                        on_anticoagulation=anticoagulated,
                    )
                except DomainError as err:
                    entry.update(grade=None, reason=str(err))
                else:
                    entry.update(
                        term=result.term,
                        grade=result.grade,
                        rule=result.rule,
                        basis=None if result.basis is None else result.basis.value,
                        reason=result.reason,
                        source=result.source,
                    )
                    if result.grade is not None and result.grade >= 3:
                        flagged.append(FIELD_OF[m])
        grades[FIELD_OF[m]] = entry
    return {"grades": grades, "grade_3_or_more": flagged, "source": "CTCAE v5.0"}


def _at_least_one(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    if not any(FIELD_OF[m] in data for m in ANALYTES):
        return [FieldError(FIELD_OF[Measurand.NEUTROPHILS], None, "at least one laboratory result")]
    return []


def _band(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    warnings = []
    for m, value in measurements(data).items():
        ref = ctx.reference_ranges.get(m)
        if ref is None:
            continue
        if ref.lln is not None and value.value < BAND_LOW * ref.lln:
            warnings.append(
                FieldError(
                    FIELD_OF[m],
                    data[FIELD_OF[m]],
                    f"a value below {BAND_LOW:g} × LLN ({BAND_LOW * ref.lln:g} {value.unit}) "
                    "was entered: please confirm the value and its unit",
                )
            )
        elif ref.uln is not None and value.value > BAND_HIGH * ref.uln:
            warnings.append(
                FieldError(
                    FIELD_OF[m],
                    data[FIELD_OF[m]],
                    f"a value above {BAND_HIGH:g} × ULN ({BAND_HIGH * ref.uln:g} {value.unit}) "
                    "was entered: please confirm the value and its unit",
                )
            )
    return warnings


FORM = FormSpec(
    code=CODE,
    title="Laboratory results",
    visit_bound=True,
    repeating=False,
    date_field="collection_date",
    fields=(
        day("collection_date", "Sample collection date", required=True),
        *(measurement(FIELD_OF[m], SPECS[m].name.capitalize(), m.value) for m in ANALYTES),
        boolean("on_anticoagulation", "On anticoagulation (for INR grading)"),
    ),
    derive=derive,
    checks=(
        Check("labs_at_least_one", Severity.HARD, "at least one result", _at_least_one),
        Check("labs_plausibility_band", Severity.SOFT, "value far outside the site's reference range", _band),
    ),
)
