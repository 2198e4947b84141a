"""Protocol → ClinicalTrials.gov API v2 study JSON (``protocolSection``).

Field names, nesting and enumerations follow the ``Study`` schema of the API v2
OpenAPI spec (ctg-oas-v2.yaml, "2.0.0-draft"); the eligibility text follows the
registry's Markdown layout (:mod:`oncotrial.exports.ctgov.criteria_text`). The result
is checked with :func:`oncotrial.exports.ctgov.schema.validate_study`.

What the protocol holds is written from the protocol. Registry texts the protocol
model has no place for (summary, arm descriptions, the interventions as the registry
words them, ...) come back only when the unmapped report of an import is passed in
(``registry``); :class:`StudyExport` lists what was restored and what was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from oncotrial.core.protocol.model import Arm, DrugRegimen, Protocol, Route
from oncotrial.exports.ctgov.criteria_text import format_criteria
from oncotrial.exports.ctgov.draft import UnmappedField, restore_fields
from oncotrial.exports.ctgov.json_paths import get_path

JsonObject = dict[str, Any]

#: Module order of ``protocolSection`` in the API v2 schema.
MODULE_ORDER = (
    "identificationModule", "statusModule", "sponsorCollaboratorsModule", "oversightModule",
    "descriptionModule", "conditionsModule", "designModule", "armsInterventionsModule",
    "outcomesModule", "eligibilityModule", "contactsLocationsModule", "referencesModule",
    "ipdSharingStatementModule",
)
#: Protocol ``design.phase`` → API v2 ``designModule.phases`` (the registry lists both phases).
PHASES = {"EARLY_PHASE1": ["EARLY_PHASE1"], "PHASE1": ["PHASE1"], "PHASE1_PHASE2": ["PHASE1", "PHASE2"],
          "PHASE2": ["PHASE2"], "PHASE2_PHASE3": ["PHASE2", "PHASE3"], "PHASE3": ["PHASE3"],
          "PHASE4": ["PHASE4"]}
RESPONSIBLE_ROLES = {"principal investigator": "PRINCIPAL_INVESTIGATOR",
                     "sponsor-investigator": "SPONSOR_INVESTIGATOR"}
_RESPONSIBLE = re.compile(r"^(?P<name>[^,()]+?)(?:,\s*(?P<title>[^()]+?))?\s*"
                          r"\((?P<role>principal investigator|sponsor-investigator)\)$")
_ROUTE_WORDS = {Route.IV: "intravenously", Route.ORAL: "orally",
                Route.HEPATIC_ARTERIAL_INFUSION: "by hepatic arterial infusion"}


@dataclass(frozen=True, slots=True)
class StudyExport:
    """A study JSON and what went into it besides the protocol."""

    study: JsonObject
    restored: tuple[str, ...]  # registry fields put back from an import report
    skipped: tuple[str, ...]  # guarded registry fields not put back: the protocol changed them
    not_exported: tuple[str, ...]  # protocol content the registry format has no field for


def export_study(protocol: Protocol, registry: Sequence[UnmappedField] = ()) -> StudyExport:
    """The API v2 study JSON of ``protocol``; ``registry`` restores fields an import could not map."""
    section = protocol_section(protocol)
    study: JsonObject = {"protocolSection": section}
    restored, skipped = restore_fields(study, registry, get_path)
    study["protocolSection"] = {k: study["protocolSection"][k] for k in _module_order(study)}
    study["hasResults"] = "resultsSection" in study
    return StudyExport(study, restored, skipped, not_exported(protocol))


def _module_order(study: JsonObject) -> list[str]:
    keys = list(study["protocolSection"])
    return sorted(keys, key=lambda k: MODULE_ORDER.index(k) if k in MODULE_ORDER else len(MODULE_ORDER))


def protocol_section(p: Protocol) -> JsonObject:
    """``protocolSection`` written from the protocol alone."""
    section: JsonObject = {
        "identificationModule": _identification(p),
        "statusModule": _status(p),
        "sponsorCollaboratorsModule": _sponsors(p),
        "conditionsModule": _drop_empty({"conditions": list(p.identification.conditions),
                                         "keywords": list(p.identification.keywords)}),
        "designModule": _design(p),
        "armsInterventionsModule": {"armGroups": [_arm_group(a) for a in p.arms],
                                    "interventions": _interventions(p.arms)},
        "outcomesModule": _outcomes(p),
        "eligibilityModule": _eligibility(p),
        "contactsLocationsModule": _drop_empty({"locations": [
            _drop_empty({"facility": s.name, "city": s.city, "country": s.country})
            for s in p.identification.sites]}),
    }
    return {k: v for k, v in section.items() if v}


def _drop_empty(d: JsonObject) -> JsonObject:
    return {k: v for k, v in d.items() if v is not None and v != [] and v != {}}


def _identification(p: Protocol) -> JsonObject:
    i = p.identification
    return _drop_empty({"nctId": i.nct_id,
                        "orgStudyIdInfo": {"id": i.org_study_id} if i.org_study_id else None,
                        "briefTitle": i.brief_title, "acronym": i.acronym})


def _date(value: Any) -> JsonObject | None:
    return {"date": value.isoformat()} if value is not None else None


def _status(p: Protocol) -> JsonObject:
    return _drop_empty({"overallStatus": p.identification.overall_status,
                        "startDateStruct": _date(p.design.start_date),
                        "completionDateStruct": _date(p.design.completion_date),
                        "lastUpdatePostDateStruct": _date(p.identification.registry_last_updated)})


def responsible_party(text: str | None) -> JsonObject | None:
    """``"Shi Ming, Professor (principal investigator)"`` → ``responsibleParty``; None if unreadable."""
    if text is None:
        return None
    if text.strip().lower() == "sponsor":
        return {"type": "SPONSOR"}
    m = _RESPONSIBLE.match(text.strip())
    if m is None:
        return None
    return _drop_empty({"type": RESPONSIBLE_ROLES[m["role"]], "investigatorFullName": m["name"].strip(),
                        "investigatorTitle": m["title"].strip() if m["title"] else None})


def _sponsors(p: Protocol) -> JsonObject:
    return _drop_empty({"responsibleParty": responsible_party(p.identification.responsible_party),
                        "leadSponsor": {"name": p.identification.sponsor}})


def _design(p: Protocol) -> JsonObject:
    d = p.design
    return {"studyType": d.study_type, "phases": PHASES[d.phase],
            "designInfo": {"allocation": d.allocation, "interventionModel": d.intervention_model,
                           "primaryPurpose": d.primary_purpose, "maskingInfo": {"masking": d.masking}},
            "enrollmentInfo": {"count": d.target_enrollment}}


def describe_regimen(r: DrugRegimen, cycle_length_days: int) -> str:
    """``oxaliplatin by hepatic arterial infusion: 85 mg/m² over 180 min, day 1 of each 21-day cycle``."""
    infusion = f" over {r.infusion_minutes} min" if r.infusion_minutes else ""
    return (f"{r.drug} {_ROUTE_WORDS[r.route]}: {r.dose.describe()}{infusion}, "
            f"{r.schedule.describe(cycle_length_days)}")


def _arm_group(a: Arm) -> JsonObject:
    return _drop_empty({"label": a.label, "type": a.type,
                        "description": "; ".join(describe_regimen(r, a.cycle_length_days) for r in a.regimen),
                        "interventionNames": [f"Drug: {r.drug}" for r in a.regimen]})


def _interventions(arms: Sequence[Arm]) -> list[JsonObject]:
    """One DRUG intervention per drug name, with the arms giving it and how each gives it."""
    drugs = list(dict.fromkeys(r.drug for a in arms for r in a.regimen))
    out = []
    for drug in drugs:
        uses = [(a, r) for a in arms for r in a.regimen if r.drug == drug]
        texts = [describe_regimen(r, a.cycle_length_days) for a, r in uses]
        description = texts[0] if len(set(texts)) == 1 else \
            "; ".join(f"{a.label}: {t}" for (a, _), t in zip(uses, texts, strict=True))
        out.append({"type": "DRUG", "name": drug, "description": description,
                    "armGroupLabels": [a.label for a, _ in uses]})
    return out


def _outcomes(p: Protocol) -> JsonObject:
    def outcome(e: Any) -> JsonObject:
        return _drop_empty({"measure": e.title, "description": e.description, "timeFrame": e.time_frame})
    return _drop_empty({"primaryOutcomes": [outcome(e) for e in p.primary_endpoints],
                        "secondaryOutcomes": [outcome(e) for e in p.secondary_endpoints]})


def eligibility_text(p: Protocol) -> str:
    """The criteria in the registry's layout, one bullet per criterion text."""
    return format_criteria([c.text for c in p.eligibility.inclusions],
                           [c.text for c in p.eligibility.exclusions])


def _eligibility(p: Protocol) -> JsonObject:
    e = p.eligibility
    years = e.minimum_age_years
    return _drop_empty({"eligibilityCriteria": eligibility_text(p) or None,
                        "healthyVolunteers": e.healthy_volunteers, "sex": e.sex,
                        "minimumAge": f"{years} Year{'' if years == 1 else 's'}" if years else None})


def not_exported(p: Protocol) -> tuple[str, ...]:
    """Protocol content the API v2 study format has no field for (listed, not silently dropped)."""
    notes = [
        "arms[].code, allocation_weight, cycle_length_days: no registry field (the regimen is "
        "written as text in armGroups[].description and interventions[].description)",
        "eligibility.criteria[].rule and interpretation: the registry keeps the criteria as text",
        f"assessments ({len(p.assessments)}), assumptions ({len(p.assumptions)}), stratification, "
        "randomization: no registry field",
    ]
    if any(e.criteria or e.source for e in p.endpoints):
        notes.append("endpoints[].criteria and source: no field in the registry's outcome measures")
    if p.identification.responsible_party and responsible_party(p.identification.responsible_party) is None:
        notes.append(f"identification.responsible_party {p.identification.responsible_party!r}: not in "
                     "the form 'Name, Title (principal investigator)', 'Name (sponsor-investigator)' "
                     "or 'sponsor'")
    if p.identification.sites:
        notes.append("identification.sites[].code: no registry field")
    return tuple(notes)
