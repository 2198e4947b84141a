"""Endpoint settings read from the protocol file, so that analyses execute its rules.

* PFS censoring: the ``pfs_*`` assumptions (FDA 2018 defaults when absent) and the
  imaging interval and window of the assessment anchored to randomization.
* Best overall response: ``sd_minimum_days`` and the confirmation assumptions.
* The primary landmark: ``pfs_landmark_days``.
"""

from __future__ import annotations

from oncotrial.core.endpoints.response_endpoints import ResponseSettings
from oncotrial.core.endpoints.time_to_event import PfsCensoring
from oncotrial.core.protocol.model import Protocol
from oncotrial.core.response.best_response import Confirmation


def _value(protocol: Protocol, name: str, default: object) -> object:
    try:
        return protocol.assumption(name)
    except KeyError:
        return default


def pfs_censoring(protocol: Protocol) -> PfsCensoring:
    imaging = next((a for a in protocol.assessments
                    if a.anchor == "randomization" and a.interval_days), None)
    missed = _value(protocol, "pfs_max_missed_assessments", 2)
    return PfsCensoring(
        censor_without_adequate_assessment=bool(
            _value(protocol, "pfs_censor_without_adequate_assessment", True)),
        censor_at_new_anticancer_therapy=bool(
            _value(protocol, "pfs_censor_at_new_anticancer_therapy", True)),
        max_missed_assessments=None if missed is None else int(str(missed)),
        assessment_interval_days=(imaging.interval_days or 42) if imaging else 42,
        assessment_window_days=imaging.window_plus_days if imaging else 7,
    )


def response_settings(protocol: Protocol) -> ResponseSettings:
    confirm = bool(_value(protocol, "response_confirmation_required", False))
    days = int(str(_value(protocol, "response_confirmation_min_days", 28)))
    return ResponseSettings(
        sd_min_days=int(str(_value(protocol, "sd_minimum_days", 42))),
        confirmation=Confirmation(min_interval_days=days) if confirm else None)


def landmark_days(protocol: Protocol) -> int:
    return int(str(_value(protocol, "pfs_landmark_days", 183)))
