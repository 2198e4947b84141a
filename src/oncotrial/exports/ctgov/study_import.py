"""ClinicalTrials.gov API v2 study JSON → a DRAFT protocol, its open values and an unmapped report.

Every field of the study ends up in exactly one place: the draft protocol (mapped),
or the unmapped report with the reason (:class:`~oncotrial.exports.ctgov.draft.UnmappedField`).
Protocol fields the record does not give are ``null`` in the draft and listed as
open values. Eligibility criteria are split into one criterion per clause and coded
where the wording is unambiguous (:mod:`oncotrial.exports.ctgov.criteria_coding`).
Nothing is guessed: the allocation ratio, the regimens, the schedule of assessments,
randomization, stratification and the protocol's assumptions are always open.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from oncotrial.core.errors import DomainError
from oncotrial.core.protocol.parse import REQUIRED_ASSUMPTIONS, SCHEMA_VERSION
from oncotrial.exports.ctgov.criteria_coding import CodedClause, code_fragment
from oncotrial.exports.ctgov.criteria_text import format_criteria, read_criteria, split_top_level
from oncotrial.exports.ctgov.draft import OpenValue, StudyImport, UnmappedField
from oncotrial.exports.ctgov.json_paths import get_path, is_within
from oncotrial.exports.ctgov.study_export import PHASES

P = "protocolSection"
_ID, _STATUS, _SPONSOR = f"{P}.identificationModule", f"{P}.statusModule", f"{P}.sponsorCollaboratorsModule"
_DESIGN, _ARMS, _ELIG = f"{P}.designModule", f"{P}.armsInterventionsModule", f"{P}.eligibilityModule"
_PHASES_BACK = {tuple(v): k for k, v in PHASES.items()}
_AGE = re.compile(r"^(\d+) Years?$")
_ROLES = {"PRINCIPAL_INVESTIGATOR": "principal investigator", "SPONSOR_INVESTIGATOR": "sponsor-investigator"}

#: Why a field has no place in the protocol model, by path (list indices written ``[]``).
REASONS: tuple[tuple[str, str], ...] = (
    (f"{P}.descriptionModule", "the protocol model has no summary or description text"),
    (f"{_ARMS}.armGroups[].description", "the protocol model has no arm description; the export writes "
     "one from the regimen"),
    (f"{_ARMS}.armGroups[].interventionNames", "registry interventions are named free text; the protocol "
     "codes each drug of an arm (arms[].regimen, an open value)"),
    (f"{_ARMS}.interventions", "registry interventions are free text; the protocol codes each drug of an "
     "arm (arms[].regimen, an open value)"),
    (f"{_SPONSOR}.leadSponsor.class", "the protocol keeps the sponsor's name only"),
    (f"{_SPONSOR}.collaborators", "the protocol keeps the lead sponsor only"),
    (f"{P}.contactsLocationsModule.locations[]", "the protocol's sites keep facility, city and country only"),
    (f"{P}.contactsLocationsModule", "the protocol keeps no contacts or officials"),
    (f"{P}.outcomesModule.otherOutcomes", "the protocol has primary and secondary endpoints only"),
    ("resultsSection", "results are not part of the protocol"),
    ("derivedSection", "computed by the registry"),
    ("annotationSection", "added by the registry"),
    ("documentSection", "documents are not part of the protocol"),
)


def import_study(study: object) -> StudyImport:
    """The draft protocol of a study JSON (one ``Study`` object of API v2)."""
    if not isinstance(study, Mapping) or not isinstance(study.get(P), Mapping):
        raise DomainError(P, type(study).__name__, "a study JSON object with a protocolSection")
    return _Importer(study).run()


class _Importer:
    """Walks one study, recording which paths it maps; the rest is reported as unmapped."""

    def __init__(self, study: Mapping[str, Any]) -> None:
        self.study = study
        self.used: list[str] = []
        self.unmapped: list[UnmappedField] = []
        self.open: list[OpenValue] = []

    # bookkeeping ------------------------------------------------------------------------
    def get(self, path: str) -> Any:
        try:
            return get_path(self.study, path)
        except KeyError:
            return None

    def use(self, path: str) -> Any:
        value = self.get(path)
        if value is not None:
            self.used.append(path)
        return value

    def leave_open(self, draft_path: str, reason: str) -> None:
        self.open.append(OpenValue(draft_path, reason))

    def refuse(self, path: str, draft_path: str, accepted: str) -> None:
        """The record has a value the protocol does not accept: report it and leave the field open."""
        value = self.get(path)
        reason = f"the record says {value!r}; the protocol accepts {accepted}"
        self.unmapped.append(UnmappedField(path, value, reason, restore=False, draft_path=draft_path))
        self.leave_open(draft_path, reason)

    def choice(self, path: str, draft_path: str, accepted: Sequence[str], missing: str) -> str | None:
        value = self.get(path)
        if value is None:
            self.leave_open(draft_path, missing)
        elif value in accepted:
            return str(self.use(path))
        else:
            self.refuse(path, draft_path, "one of " + ", ".join(accepted))
        return None

    def date(self, path: str, draft_path: str) -> str | None:
        """A full date maps; a partial one (``2023-08``) is reported and restored by the export."""
        value = self.get(path)
        if _full_date(value):
            return str(self.use(path))
        if value is not None:
            self.unmapped.append(UnmappedField(path, value, f"{draft_path} needs a full date (YYYY-MM-DD)"))
        return None

    # sections ---------------------------------------------------------------------------
    def run(self) -> StudyImport:
        self.use("hasResults")  # derived again by the export
        draft: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "identification": self.identification(),
            "design": self.design(),
            "arms": self.arms(),
            "assessments": None,
            "assumptions": dict.fromkeys(REQUIRED_ASSUMPTIONS),
            "eligibility": self.eligibility(),
            "stratification": None,
            "randomization": None,
            "endpoints": self.endpoints(),
        }
        self.leave_open("assessments", "the registry has no schedule of assessments")
        for name in REQUIRED_ASSUMPTIONS:
            self.leave_open(f"assumptions.{name}", "a protocol parameter the registry does not give "
                            "(docs/protocol-format.md, Required assumptions)")
        self.leave_open("stratification", "the registry gives no stratification factors "
                        "({factors: []} for none)")
        self.leave_open("randomization", "the registry gives no randomization method")
        handled = self.used + [u.path for u in self.unmapped]
        self.unmapped.extend(UnmappedField(path, value, _reason(path))
                             for path, value in _leftovers(self.study, "", handled))
        return StudyImport(draft, tuple(self.open), tuple(self.unmapped))

    def identification(self) -> dict[str, Any]:
        nct = self.use(f"{_ID}.nctId")
        if nct is None:
            self.leave_open("identification.nct_id", "the record has no NCT number")
        title = self.use(f"{_ID}.briefTitle")
        if title is None:
            self.leave_open("identification.brief_title", "the record has no brief title")
        sponsor = self.use(f"{_SPONSOR}.leadSponsor.name")
        if sponsor is None:
            self.leave_open("identification.sponsor", "the record has no lead sponsor")
        conditions = self.use(f"{P}.conditionsModule.conditions")
        if not conditions:
            self.leave_open("identification.conditions", "the record lists no conditions")
        updated = self.date(f"{_STATUS}.lastUpdatePostDateStruct.date",
                            "identification.registry_last_updated")
        return _compact({
            "nct_id": nct, "org_study_id": self.use(f"{_ID}.orgStudyIdInfo.id"), "brief_title": title,
            "acronym": self.use(f"{_ID}.acronym"), "conditions": conditions or None,
            "keywords": self.use(f"{P}.conditionsModule.keywords"), "sponsor": sponsor,
            "responsible_party": self.responsible_party(), "sites": self.sites() or None,
            "registry_last_updated": updated, "overall_status": self.use(f"{_STATUS}.overallStatus"),
            "source": f"ClinicalTrials.gov record {nct} (API v2 study JSON)"
                      + (f", last updated {updated}" if updated else "")
                      + "; draft by oncotrial ctgov import",
        }, keep=("nct_id", "brief_title", "conditions", "sponsor"))

    def responsible_party(self) -> str | None:
        base = f"{_SPONSOR}.responsibleParty"
        kind = self.get(f"{base}.type")
        if kind == "SPONSOR":
            self.use(f"{base}.type")
            return "sponsor"
        name = self.get(f"{base}.investigatorFullName")
        if kind not in _ROLES or not name:
            return None
        for key in ("type", "investigatorFullName", "investigatorTitle"):
            self.use(f"{base}.{key}")
        title = self.get(f"{base}.investigatorTitle")
        return f"{name}, {title} ({_ROLES[kind]})" if title else f"{name} ({_ROLES[kind]})"

    def sites(self) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for i, loc in enumerate(self.get(f"{P}.contactsLocationsModule.locations") or []):
            base = f"{P}.contactsLocationsModule.locations[{i}]"
            if not isinstance(loc, Mapping) or not loc.get("facility"):
                continue
            out.append(_compact({"code": f"SITE{len(out) + 1}", "name": self.use(f"{base}.facility"),
                                 "city": self.use(f"{base}.city"), "country": self.use(f"{base}.country")}))
        return out

    def design(self) -> dict[str, Any]:
        phases = self.get(f"{_DESIGN}.phases")
        phase = _PHASES_BACK.get(tuple(phases)) if isinstance(phases, list) else None
        if phase is not None:
            self.use(f"{_DESIGN}.phases")
        elif phases is None:
            self.leave_open("design.phase", "the record gives no phase")
        else:
            self.refuse(f"{_DESIGN}.phases", "design.phase", "one phase or two adjacent phases from "
                        "EARLY_PHASE1, PHASE1 ... PHASE4")
        info = f"{_DESIGN}.designInfo"
        count = self.use(f"{_DESIGN}.enrollmentInfo.count")
        if count is None:
            self.leave_open("design.target_enrollment", "the record gives no enrollment")
        purpose = self.use(f"{info}.primaryPurpose")
        if purpose is None:
            self.leave_open("design.primary_purpose", "the record gives no primary purpose")
        return _compact({
            "study_type": self.choice(f"{_DESIGN}.studyType", "design.study_type", ("INTERVENTIONAL",),
                                      "the record gives no study type"),
            "phase": phase,
            "allocation": self.choice(f"{info}.allocation", "design.allocation", ("RANDOMIZED",),
                                      "the record gives no allocation"),
            "intervention_model": self.choice(f"{info}.interventionModel", "design.intervention_model",
                                              ("PARALLEL", "CROSSOVER", "FACTORIAL"),
                                              "the record gives no intervention model"),
            "primary_purpose": purpose,
            "masking": self.choice(f"{info}.maskingInfo.masking", "design.masking",
                                   ("NONE", "SINGLE", "DOUBLE", "TRIPLE", "QUADRUPLE"),
                                   "the record gives no masking"),
            "target_enrollment": count,
            "start_date": self.date(f"{_STATUS}.startDateStruct.date", "design.start_date"),
            "completion_date": self.date(f"{_STATUS}.completionDateStruct.date", "design.completion_date"),
        }, keep=("study_type", "phase", "allocation", "intervention_model", "primary_purpose", "masking",
                 "target_enrollment"))

    def arms(self) -> list[dict[str, Any]] | None:
        groups = self.get(f"{_ARMS}.armGroups") or []
        if len(groups) < 2:
            self.leave_open("arms", "the record lists fewer than two arm groups")
            return None
        out = []
        for i, g in enumerate(groups):
            base, at = f"{_ARMS}.armGroups[{i}]", f"arms[{i}]"
            label = self.use(f"{base}.label")
            if label is None:
                self.leave_open(f"{at}.label", "the arm group has no label")
            names = ", ".join(g.get("interventionNames") or []) if isinstance(g, Mapping) else ""
            out.append({
                "code": f"ARM{i + 1}", "label": label,
                "type": self.choice(f"{base}.type", f"{at}.type", ("EXPERIMENTAL", "ACTIVE_COMPARATOR",
                                    "PLACEBO_COMPARATOR", "NO_INTERVENTION", "OTHER"), "the arm has no type"),
                "allocation_weight": None, "cycle_length_days": None, "regimen": None,
            })
            self.leave_open(f"{at}.allocation_weight", "the registry gives no allocation ratio")
            self.leave_open(f"{at}.cycle_length_days", "the registry gives no cycle length")
            self.leave_open(f"{at}.regimen", "code each drug (dose, route, schedule) of the arm's "
                            f"interventions: {names or 'none listed'}")
        return out

    def eligibility(self) -> dict[str, Any]:
        age_text = self.get(f"{_ELIG}.minimumAge")
        age = _AGE.match(age_text) if isinstance(age_text, str) else None
        if age:
            self.use(f"{_ELIG}.minimumAge")
        elif age_text is None:
            self.leave_open("eligibility.minimum_age_years", "the record gives no minimum age (0 for none)")
        else:
            self.refuse(f"{_ELIG}.minimumAge", "eligibility.minimum_age_years", "an age in whole years")
        volunteers = self.use(f"{_ELIG}.healthyVolunteers")
        if not isinstance(volunteers, bool):
            self.leave_open("eligibility.healthy_volunteers", "the record does not say")
        return {
            "minimum_age_years": int(age.group(1)) if age else None,
            "sex": self.choice(f"{_ELIG}.sex", "eligibility.sex", ("ALL", "FEMALE", "MALE"),
                               "the record gives no sex"),
            "healthy_volunteers": volunteers if isinstance(volunteers, bool) else None,
            "criteria": self.criteria(),
        }

    def criteria(self) -> list[dict[str, Any]] | None:
        path = f"{_ELIG}.eligibilityCriteria"
        text = self.get(path)
        if not isinstance(text, str) or not text.strip():
            self.leave_open("eligibility.criteria", "the record gives no eligibility criteria")
            return None
        sections = read_criteria(text)
        out: list[dict[str, Any]] = []
        for kind, prefix, bullets in (("inclusion", "INC", sections.inclusion),
                                      ("exclusion", "EXC", sections.exclusion)):
            clauses = [c for b in bullets for f in split_top_level(b, ";") for c in code_fragment(f)]
            for n, clause in enumerate(clauses, start=1):
                out.append(self.criterion(clause, f"{prefix}{n:02d}", kind, len(out)))
        for other in sections.other:
            self.unmapped.append(UnmappedField(path, other, "text outside the Inclusion/Exclusion Criteria "
                                               "sections is not a criterion", restore=False))
        layout = format_criteria([c["text"] for c in out if c["kind"] == "inclusion"],
                                 [c["text"] for c in out if c["kind"] == "exclusion"])
        if layout == text:
            self.use(path)
        else:
            self.unmapped.append(UnmappedField(
                path, text, "the record's bullet layout is not kept: the protocol holds one criterion per "
                "clause; restored only while the criteria texts are unchanged", guard=layout))
        if not out:
            self.leave_open("eligibility.criteria", "no criterion could be read from the record's text")
            return None
        return out

    def criterion(self, clause: CodedClause, code: str, kind: str, index: int) -> dict[str, Any]:
        draft_path = f"eligibility.criteria[{index}].rule"
        if clause.rule is None:
            reason = f"{code} {clause.text!r}: {clause.reason}"
            self.leave_open(draft_path, reason)
            self.unmapped.append(UnmappedField(f"{_ELIG}.eligibilityCriteria", clause.text,
                                               f"not coded: {clause.reason}", restore=False,
                                               draft_path=draft_path))
        return _compact({"code": code, "kind": kind, "text": clause.text, "rule": clause.rule,
                         "interpretation": clause.interpretation}, keep=("rule",))

    def endpoints(self) -> list[dict[str, Any]] | None:
        out = []
        for key, kind in (("primaryOutcomes", "primary"), ("secondaryOutcomes", "secondary")):
            for i, o in enumerate(self.get(f"{P}.outcomesModule.{key}") or []):
                base = f"{P}.outcomesModule.{key}[{i}]"
                if not isinstance(o, Mapping) or not o.get("measure"):
                    continue
                out.append(_compact({"code": f"{kind.upper()}{i + 1}", "type": kind,
                                     "title": self.use(f"{base}.measure"),
                                     "description": self.use(f"{base}.description"),
                                     "time_frame": self.use(f"{base}.timeFrame"),
                                     "source": f"registry record ({key}[{i}])"}))
        if not any(e["type"] == "primary" for e in out):
            self.leave_open("endpoints", "the record lists no primary outcome measure; the protocol needs "
                            "at least one primary endpoint")
            return out or None
        return out


def _full_date(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _compact(d: dict[str, Any], keep: Sequence[str] = ()) -> dict[str, Any]:
    """Drop absent optional fields; keep required ones as null (open values)."""
    return {k: v for k, v in d.items() if v is not None or k in keep}


def _leftovers(node: object, path: str, handled: Sequence[str]) -> Iterator[tuple[str, object]]:
    """The largest subtrees of ``node`` containing no handled path."""
    if path and any(is_within(path, h) for h in handled):
        return
    if path and not any(is_within(h, path) for h in handled):
        yield path, node
        return
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from _leftovers(value, f"{path}.{key}" if path else str(key), handled)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leftovers(value, f"{path}[{i}]", handled)


def _reason(path: str) -> str:
    generic = re.sub(r"\[\d+\]", "[]", path)
    for prefix, reason in REASONS:
        if is_within(generic, prefix):
            return reason
    return "no place in the protocol model"
