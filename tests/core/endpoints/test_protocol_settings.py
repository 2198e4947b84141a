"""Endpoint settings come from the protocol file, not from code."""

from __future__ import annotations

import yaml

from oncotrial.core.endpoints.protocol_settings import landmark_days, pfs_censoring, response_settings
from oncotrial.core.protocol.parse import parse_protocol
from oncotrial.protocol_files import default_protocol_text, load_default_protocol


def test_the_builtin_protocol_gives_the_fda_defaults_and_its_imaging_schedule():
    rules = pfs_censoring(load_default_protocol())
    assert rules.max_missed_assessments == 2
    assert rules.censor_at_new_anticancer_therapy and rules.censor_without_adequate_assessment
    assert (rules.assessment_interval_days, rules.assessment_window_days) == (42, 7)
    settings = response_settings(load_default_protocol())
    assert (settings.sd_min_days, settings.confirmation) == (42, None)
    assert landmark_days(load_default_protocol()) == 183


def test_editing_the_protocol_changes_the_rules():
    data = yaml.safe_load(default_protocol_text())
    data["assumptions"]["pfs_max_missed_assessments"]["value"] = None
    data["assumptions"]["response_confirmation_required"]["value"] = True
    data["assessments"][0]["interval_days"] = 56
    p = parse_protocol(data)
    assert pfs_censoring(p).max_missed_assessments is None
    assert pfs_censoring(p).assessment_interval_days == 56
    confirmation = response_settings(p).confirmation
    assert confirmation is not None and confirmation.min_interval_days == 28
