"""Build a :class:`Candidate` from plain data (the JSON patient format in docs/patient-format.md).

Every lab value must carry its unit; unknown units and implausible values are
rejected with an error naming the field. Absent fields stay ``None`` (not recorded).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from oncotrial.core.calculators.child_pugh import Ascites, Encephalopathy
from oncotrial.core.eligibility.patient import Candidate, Fact, ScreeningLesion, Sex
from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.reader import Reader
from oncotrial.core.reference_ranges import ReferenceRange, SiteReferenceRanges, reference_range
from oncotrial.core.units import Measurand, Measurement, measure, parse_measurand

FIELDS = frozenset({
    "patient_id", "site_id", "birth_date", "sex", "ecog", "weight", "height", "consent_date",
    "labs", "reference_ranges", "lesions", "ascites", "encephalopathy", "facts", "numbers",
    "attributes", "simulated", "comment",
})


def candidate_from_data(data: Mapping[str, object] | object) -> Candidate:
    """Validate a patient document and return the :class:`Candidate`."""
    r = Reader(data, "")
    r.reject_unknown(FIELDS)
    site_id = r.string("site_id")
    return Candidate(
        patient_id=r.string("patient_id"),
        site_id=site_id,
        birth_date=r.optional_date("birth_date"),
        sex=Sex(r.choice("sex", tuple(s.value for s in Sex))) if r.has("sex") else None,
        ecog=r.integer("ecog", minimum=0, maximum=5) if r.has("ecog") else None,
        weight=_body(r, "weight", Measurand.WEIGHT),
        height=_body(r, "height", Measurand.HEIGHT),
        labs=tuple(_lab(x) for x in r.items("labs", allow_empty=True)) if r.has("labs") else (),
        reference_ranges=_ranges(r.child("reference_ranges"), site_id)
        if r.has("reference_ranges") else SiteReferenceRanges(site_id),
        lesions=tuple(_lesion(x) for x in r.items("lesions", allow_empty=True))
        if r.has("lesions") else None,
        facts=MappingProxyType({k: _fact(v) for k, v in r.entries("facts")})
        if r.has("facts") else MappingProxyType({}),
        numbers=MappingProxyType({k: _number(v) for k, v in r.entries("numbers")})
        if r.has("numbers") else MappingProxyType({}),
        ascites=Ascites(r.choice("ascites", tuple(a.value for a in Ascites)))
        if r.has("ascites") else None,
        encephalopathy=Encephalopathy(r.choice("encephalopathy", tuple(e.value for e in Encephalopathy)))
        if r.has("encephalopathy") else None,
        consent_date=r.optional_date("consent_date"),
        attributes=MappingProxyType({k: _attribute(v) for k, v in r.entries("attributes")})
        if r.has("attributes") else MappingProxyType({}),
    )


def _body(r: Reader, key: str, measurand: Measurand) -> Measurement | None:
    if not r.has(key):
        return None
    b = r.child(key)
    b.reject_unknown({"value", "unit", "date"})
    return measure(measurand, b.raw("value"), b.raw("unit") if b.has("unit") else None,
                   collected_on=b.optional_date("date"), field=b.path)


def _lab(r: Reader) -> Measurement:
    r.reject_unknown({"test", "value", "unit", "date"})
    measurand = parse_measurand(r.raw("test"), field=f"{r.path}.test")
    return measure(measurand, r.raw("value"), r.raw("unit") if r.has("unit") else None,
                   collected_on=r.date("date"), field=f"{r.path}({measurand.value})")


def _ranges(r: Reader, site_id: str) -> SiteReferenceRanges:
    r.reject_unknown({"site_id", "ranges"})
    ranges: dict[Measurand, ReferenceRange] = {}
    for x in r.items("ranges"):
        x.reject_unknown({"test", "lln", "uln", "unit"})
        measurand = parse_measurand(x.raw("test"), field=f"{x.path}.test")
        if measurand in ranges:
            raise DomainError(f"{x.path}.test", measurand.value, "one range per test")
        ranges[measurand] = reference_range(
            measurand, x.raw("lln") if x.has("lln") else None,
            x.raw("uln") if x.has("uln") else None,
            x.raw("unit") if x.has("unit") else None, field=x.path)
    return SiteReferenceRanges(r.string("site_id", default=site_id), MappingProxyType(ranges))


def _lesion(r: Reader) -> ScreeningLesion:
    r.reject_unknown({"id", "organ", "lymph_node", "longest_diameter_mm", "short_axis_mm",
                      "slice_thickness_mm", "date"})
    return ScreeningLesion(
        lesion_id=r.string("id"), organ=r.string("organ"),
        is_lymph_node=r.boolean("lymph_node"),
        longest_diameter_mm=r.number("longest_diameter_mm", minimum=0)
        if r.has("longest_diameter_mm") else None,
        short_axis_mm=r.number("short_axis_mm", minimum=0) if r.has("short_axis_mm") else None,
        slice_thickness_mm=r.number("slice_thickness_mm", strictly_positive=True)
        if r.has("slice_thickness_mm") else None,
        imaged_on=r.date("date"),
    )


def _fact(r: Reader) -> Fact:
    if isinstance(r.value, bool):
        return Fact(r.value)
    r.reject_unknown({"present", "date"})
    return Fact(r.boolean("present"), r.optional_date("date"))


def _number(r: Reader) -> float:
    return Reader({"value": r.value}, r.path).number("value")


def _attribute(r: Reader) -> str:
    if isinstance(r.value, bool):
        return "yes" if r.value else "no"
    return r.as_string()
