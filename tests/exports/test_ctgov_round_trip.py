"""Round trip of NCT07304388's own record: import → draft → fill open values → parse → export.

What "round trip" means here, precisely:

1. *Through the protocol model alone* (export without the unmapped report): every
   field of the record that the import maps (the record's leaf values, except the
   fields listed in the unmapped report) comes back exactly.
2. *With the unmapped report* (``export_study(protocol, report.unmapped)``): every
   field of the record comes back exactly, the criteria's bullet layout included,
   because registry texts the protocol cannot hold are put back at their paths.
3. In both, the export may add fields the *filled* protocol supplies and the record
   lacks: here only the outcome measures (the record lists none; the fill gives the
   built-in endpoints) and, without the report, Oncotrial's own arm and intervention texts.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from oncotrial.core.eligibility.rule_data import rule_from_data
from oncotrial.core.errors import ProtocolError
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.protocol.parse import parse_protocol
from oncotrial.core.protocol.reader import Reader
from oncotrial.exports.ctgov.draft import StudyImport, fill_draft
from oncotrial.exports.ctgov.json_paths import get_path, has_path, is_within, leaf_paths
from oncotrial.exports.ctgov.schema import validate_study
from oncotrial.exports.ctgov.study_export import export_study
from oncotrial.exports.ctgov.study_import import import_study
from oncotrial.protocol_files import default_protocol_text, load_default_protocol

RECORD = Path(__file__).parent / "data" / "NCT07304388.json"
BUILTIN: dict[str, Any] = yaml.safe_load(default_protocol_text())

#: The open values of the record's draft, filled by a person (here: from the built-in protocol file).
UNCODED_RULES = {
    "INC01": {"type": "attestation", "fact": "unresectable_icc_histologically_proven"},
    "INC12": {"type": "lab_uln", "test": "CREAT", "operator": "<=", "multiple": 1.5},
    "EXC02": {"type": "condition", "fact": "other_malignancy"},
    "EXC03": {"type": "condition", "fact": "prior_anticancer_therapy"},
    "EXC04": {"type": "condition", "fact": "allergy_to_study_drugs"},
    "EXC05": {"type": "condition", "fact": "uncontrolled_comorbidity_or_active_infection"},
    "EXC06": {"type": "condition", "fact": "pregnancy_or_lactation"},
    "EXC07": {"type": "condition", "fact": "refuses_study_procedures"},
    "EXC08": {"type": "condition_within", "fact": "gi_bleeding", "days": 28},
}


def fill_values(result: StudyImport, rules: dict[str, dict[str, object]] | None = None) -> dict[str, object]:
    """Values for every open value of ``result``; uncoded criteria get ``rules[code]``."""
    rules = UNCODED_RULES if rules is None else rules
    values: dict[str, object] = {}
    for i, arm in enumerate(BUILTIN["arms"]):
        values[f"arms[{i}].allocation_weight"] = arm["allocation_weight"]
        values[f"arms[{i}].cycle_length_days"] = arm["cycle_length_days"]
        values[f"arms[{i}].regimen"] = arm["regimen"]
    for key in ("assessments", "stratification", "randomization", "endpoints"):
        values[key] = BUILTIN[key]
    for name in result.draft["assumptions"]:
        values[f"assumptions.{name}"] = BUILTIN["assumptions"][name]
    for i, c in enumerate(result.draft["eligibility"]["criteria"]):
        if c["rule"] is None:
            values[f"eligibility.criteria[{i}].rule"] = rules[c["code"]]
    return values


@pytest.fixture(scope="module")
def record() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(RECORD.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def imported(record: dict[str, Any]) -> StudyImport:
    return import_study(record)


@pytest.fixture(scope="module")
def protocol(imported: StudyImport) -> Protocol:
    return parse_protocol(fill_draft(imported.draft, fill_values(imported)))


def test_the_fill_covers_exactly_the_open_values(imported: StudyImport):
    assert set(fill_values(imported)) == {o.path for o in imported.open_values}


def test_the_draft_is_rejected_until_its_open_values_are_filled(imported: StudyImport):
    with pytest.raises(ProtocolError) as err:
        parse_protocol(imported.draft)
    assert err.value.field in {o.path for o in imported.open_values}


def test_the_filled_draft_is_a_protocol_with_the_records_values(protocol: Protocol):
    assert protocol.identification.nct_id == "NCT07304388"
    assert protocol.design.target_enrollment == 120 and protocol.eligibility.minimum_age_years == 18
    assert [a.label for a in protocol.arms] == ["Experimental arm", "Control arm"]
    assert len(protocol.eligibility.inclusions) == 15 and len(protocol.eligibility.exclusions) == 8


def test_the_coded_lab_rules_equal_the_builtin_protocols(protocol: Protocol):
    builtin = {c.code: c.rule for c in load_default_protocol().eligibility.criteria}
    imported = [c.rule for c in protocol.eligibility.criteria]
    for code in ("INC03", "INC04", "INC05", "INC06", "INC07", "INC08", "INC09", "INC10", "INC11", "INC12",
                 "INC13", "INC14", "INC15", "INC16", "EXC01"):
        assert builtin[code] in imported, code


def _leaves(doc: object) -> dict[str, object]:
    return dict(leaf_paths(doc))


def test_without_the_report_every_mapped_field_of_the_record_comes_back(
        record: dict[str, Any], imported: StudyImport, protocol: Protocol):
    exported = export_study(protocol).study
    unmapped = [u.path for u in imported.unmapped]
    mapped = {p: v for p, v in _leaves(record).items() if not any(is_within(p, u) for u in unmapped)}
    assert len(mapped) == 35
    assert {p: get_path(exported, p) if has_path(exported, p) else "<missing>" for p in mapped} == mapped
    assert validate_study(exported) == ()


def test_with_the_report_the_whole_record_comes_back(record: dict[str, Any], imported: StudyImport,
                                                     protocol: Protocol):
    result = export_study(protocol, imported.unmapped)
    assert result.skipped == ()
    exported = _leaves(result.study)
    original = _leaves(record)
    assert {p: exported.get(p, "<missing>") for p in original} == original
    added = {p.split("[")[0] for p in set(exported) - set(original)}
    assert added == {"protocolSection.outcomesModule.primaryOutcomes",
                     "protocolSection.outcomesModule.secondaryOutcomes"}
    without_outcomes = copy.deepcopy(result.study)
    del without_outcomes["protocolSection"]["outcomesModule"]
    assert without_outcomes == record
    assert validate_study(result.study) == ()


def test_the_criteria_layout_is_not_restored_once_the_criteria_change(imported: StudyImport,
                                                                      protocol: Protocol):
    criteria = list(protocol.eligibility.criteria)
    criteria[3] = dataclasses.replace(criteria[3], text="ECOG performance status 0-2")
    changed = dataclasses.replace(protocol, eligibility=dataclasses.replace(
        protocol.eligibility, criteria=tuple(criteria)))
    result = export_study(changed, imported.unmapped)
    assert result.skipped == ("protocolSection.eligibilityModule.eligibilityCriteria",)
    assert "* ECOG performance status 0-2\n" in result.study["protocolSection"]["eligibilityModule"][
        "eligibilityCriteria"]


def test_an_exported_protocol_imports_back_to_the_same_criteria_and_rules():
    builtin = load_default_protocol()
    again = import_study(export_study(builtin).study)
    criteria = again.draft["eligibility"]["criteria"]
    assert [(c["kind"], c["text"]) for c in criteria] == [
        (c.kind.value, c.text) for c in builtin.eligibility.criteria]
    for mine, theirs in zip(criteria, builtin.eligibility.criteria, strict=True):
        if mine["rule"] is not None:
            assert rule_from_data(Reader(mine["rule"], "rule", ProtocolError)) == theirs.rule, mine["code"]
    uncoded = [c["code"] for c in criteria if c["rule"] is None]
    assert uncoded == ["INC01", "INC02", "INC13", "EXC02", "EXC03", "EXC04", "EXC05", "EXC06", "EXC07",
                       "EXC08", "EXC09"]  # attestations, the creatinine clearance reading, history items
    # one bullet per criterion: the text is the criteria's own layout, nothing to restore
    assert not any(u.restore and u.path.endswith("eligibilityCriteria") for u in again.unmapped)


def test_an_exported_and_reimported_protocol_exports_the_same_study():
    builtin = load_default_protocol()
    first = export_study(builtin).study
    again = import_study(first)
    rules = {c["code"]: c["rule"] for c in BUILTIN["eligibility"]["criteria"]}
    values = fill_values(again, rules)
    second = export_study(parse_protocol(fill_draft(again.draft, values)), again.unmapped).study
    assert second == first
