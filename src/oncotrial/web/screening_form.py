"""The screening form: protocol-driven fields in, a patient document out.

The form is built from the protocol (its attestation, condition and number facts become
checkboxes and number inputs with the criterion's own text), so another protocol file
gives another form without code. The posted values become the patient document of
``docs/patient-format.md``; every rule is then applied by the core eligibility engine
in the service, never here. Input names mirror the document paths (``labs.PLAT.value``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from oncotrial.core.protocol.model import Protocol
from oncotrial.core.units import SPECS, Measurand

LAB_PANEL: Final = (
    Measurand.WBC,
    Measurand.NEUTROPHILS,
    Measurand.HEMOGLOBIN,
    Measurand.PLATELETS,
    Measurand.ALBUMIN,
    Measurand.BILIRUBIN,
    Measurand.AST,
    Measurand.ALT,
    Measurand.CREATININE,
    Measurand.PROTHROMBIN_TIME,
    Measurand.INR,
    Measurand.CA19_9,
)
"""The screening laboratory panel (the tests the eligibility criteria read)."""

LESION_ROWS: Final = 5


@dataclass(frozen=True, slots=True)
class FactField:
    code: str
    label: str
    kind: str  # "flag", "flag_dated" or "number"


@dataclass(frozen=True, slots=True)
class LabField:
    code: str
    label: str
    units: tuple[str, ...]
    canonical: str


def fact_fields(protocol: Protocol) -> tuple[FactField, ...]:
    """One field per fact named by the protocol's criteria, labelled with the criterion text."""
    seen: dict[str, FactField] = {}
    for criterion in protocol.eligibility.criteria:
        rule = criterion.rule
        fact = getattr(rule, "fact", None)
        if not isinstance(fact, str) or fact in seen:
            continue
        kind_name = type(rule).__name__.lower()
        kind = "number" if "number" in kind_name else "flag_dated" if "within" in kind_name else "flag"
        seen[fact] = FactField(fact, f"{criterion.code}: {criterion.text}", kind)
    return tuple(seen.values())


def lab_fields() -> tuple[LabField, ...]:
    return tuple(
        LabField(m.value, SPECS[m].name, SPECS[m].accepted_units, SPECS[m].canonical_unit) for m in LAB_PANEL
    )


def _text(post: Mapping[str, str], key: str) -> str:
    return (post.get(key) or "").strip()


def _number_or_text(raw: str) -> object:
    """A number when the text is one; otherwise the text, for the engine to reject by name."""
    try:
        return int(raw) if raw.lstrip("-").isdigit() else float(raw)
    except ValueError:
        return raw


def patient_document(post: Mapping[str, str], protocol: Protocol) -> dict[str, object]:
    """The patient document for the posted form; empty inputs are left out, not guessed."""
    doc: dict[str, object] = {}
    for key in ("patient_id", "site_id", "birth_date", "sex", "consent_date", "ascites", "encephalopathy"):
        if value := _text(post, key):
            doc[key] = value
    if ecog := _text(post, "ecog"):
        doc["ecog"] = _number_or_text(ecog)
    for body in ("weight", "height"):
        if value := _text(post, f"{body}.value"):
            measured: dict[str, object] = {
                "value": _number_or_text(value),
                "unit": _text(post, f"{body}.unit"),
            }
            if body == "weight" and (day := _text(post, "labs_date")):
                measured["date"] = day
            doc[body] = measured
    labs = []
    for lab in lab_fields():
        if value := _text(post, f"labs.{lab.code}.value"):
            labs.append(
                {
                    "test": lab.code,
                    "value": _number_or_text(value),
                    "unit": _text(post, f"labs.{lab.code}.unit"),
                    "date": _text(post, "labs_date"),
                }
            )
    if labs:
        doc["labs"] = labs
    lesions = []
    for i in range(LESION_ROWS):
        lesion_id = _text(post, f"lesions.{i}.id")
        if not lesion_id:
            continue
        node = post.get(f"lesions.{i}.lymph_node") == "on"
        size = _text(post, f"lesions.{i}.size_mm")
        lesion: dict[str, object] = {
            "id": lesion_id,
            "organ": _text(post, f"lesions.{i}.organ"),
            "lymph_node": node,
            "date": _text(post, "imaging_date"),
        }
        if size:
            lesion["short_axis_mm" if node else "longest_diameter_mm"] = _number_or_text(size)
        if thickness := _text(post, "slice_thickness_mm"):
            lesion["slice_thickness_mm"] = _number_or_text(thickness)
        lesions.append(lesion)
    if lesions:
        doc["lesions"] = lesions
    facts: dict[str, object] = {}
    numbers: dict[str, object] = {}
    for fact in fact_fields(protocol):
        if fact.kind == "number":
            if raw := _text(post, f"numbers.{fact.code}"):
                numbers[fact.code] = _number_or_text(raw)
        elif fact.kind == "flag_dated" and post.get(f"facts.{fact.code}") == "on":
            facts[fact.code] = {"present": True, "date": _text(post, f"facts.{fact.code}.date")}
        else:
            facts[fact.code] = post.get(f"facts.{fact.code}") == "on"
    doc["facts"] = facts
    if numbers:
        doc["numbers"] = numbers
    attributes = {
        factor.attribute: _text(post, f"attributes.{factor.attribute}")
        for factor in protocol.stratification.factors
        if factor.attribute != "ecog" and _text(post, f"attributes.{factor.attribute}")
    }
    if attributes:
        doc["attributes"] = attributes
    return doc


def input_name_for(field: str) -> str:
    """The form input that a core error's field path points at (``labs[3](PLAT)`` → ``labs.PLAT.value``)."""
    for lab in LAB_PANEL:
        if f"({lab.value})" in field:
            return f"labs.{lab.value}.value"
    head = field.split("[", 1)[0].split(".", 1)[0]
    if head in {"weight", "height"}:
        return f"{head}.value"
    if head == "lesions" and "[" in field:
        index = field.split("[", 1)[1].split("]", 1)[0]
        return f"lesions.{index}.id"
    if head in {"facts", "numbers", "attributes"} and "." in field:
        return field.split("(", 1)[0]
    return head
