"""JSON-friendly entry point: a plain mapping in, a plain dict out.

The input format is documented, with a complete example, in ``docs/recist-input.md``
(example file ``docs/examples/assessments.json``). Keys are the field names of the
value objects in :mod:`oncotrial.core.response.lesions`, so an error path such as
``scans[1].targets[0].diameter_mm`` points straight at the offending JSON value.
Unknown keys are rejected, so a misspelt key is never silently ignored.

The function is pure: it reads no file and no clock. Invalid input raises
:class:`~oncotrial.core.errors.DomainError`, whose ``as_dict()`` is JSON-ready.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from oncotrial.core.errors import DomainError
from oncotrial.core.response.assessment import AssessmentSettings, assess
from oncotrial.core.response.best_response import Confirmation
from oncotrial.core.response.criteria import NewLesionStatus
from oncotrial.core.response.json_output import assessment_to_dict
from oncotrial.core.response.lesions import (
    BaselineLesion,
    LesionStatus,
    NewLesion,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)

E = TypeVar("E", bound=StrEnum)

_TOP = ("randomization_date", "death_date", "settings", "lesions", "scans")
_SETTINGS = (
    "sd_min_days",
    "confirmation",
    "too_small_default_mm",
    "mrecist_absolute_floor",
    "reappearance_after_cr_is_pd",
    "end_date",
)
_CONFIRMATION = ("min_interval_days", "max_ne_between", "accept_sd")
_LESION = (
    "lesion_id",
    "organ",
    "is_lymph_node",
    "is_target",
    "longest_diameter_mm",
    "short_axis_mm",
    "viable_diameter_mm",
    "mrecist_target",
    "slice_thickness_mm",
)
_SCAN = ("scan_date", "targets", "non_targets", "new_lesions")
_TARGET = (
    "lesion_id",
    "status",
    "diameter_mm",
    "fragments_mm",
    "viable_diameter_mm",
    "viable_fragments_mm",
    "coalesced_into",
)
_NON_TARGET = ("lesion_id", "status", "short_axis_mm", "enhancing")
_NEW = ("lesion_id", "status")


def _mapping(value: object, path: str, keys: Sequence[str]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise DomainError(path or "input", value, "a JSON object")
    for key in value:
        if key not in keys:
            raise DomainError(
                f"{path}.{key}" if path else str(key), value[key], f"one of the keys {list(keys)}"
            )
    return value


def _items(value: object, path: str) -> list[object]:
    if value is None:
        return []
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise DomainError(path, value, "a JSON array")
    return list(value)


def _text(data: Mapping[str, object], key: str, path: str, *, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise DomainError(f"{path}.{key}", value, "a non-empty text")
    return value


def _flag(data: Mapping[str, object], key: str, path: str, default: bool | None) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise DomainError(f"{path}.{key}", value, "true or false")
    return value


def _optional_flag(data: Mapping[str, object], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise DomainError(f"{path}.{key}", value, "true, false or null")
    return value


def _number(data: Mapping[str, object], key: str, path: str) -> float | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise DomainError(f"{path}.{key}", value, "a number in mm (not text)")
    return float(value)


def _numbers(data: Mapping[str, object], key: str, path: str) -> tuple[float, ...]:
    values = _items(data.get(key), f"{path}.{key}")
    wrapped = {str(j): v for j, v in enumerate(values)}
    out: list[float] = []
    for j in range(len(values)):
        number = _number(wrapped, str(j), f"{path}.{key}")
        if number is None:
            raise DomainError(f"{path}.{key}[{j}]", None, "a number in mm")
        out.append(number)
    return tuple(out)


def _whole(data: Mapping[str, object], key: str, path: str, default: int) -> int:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{path}.{key}", value, "a whole number")
    return value


def _date(data: Mapping[str, object], key: str, path: str, *, required: bool) -> date | None:
    value = data.get(key)
    field = f"{path}.{key}" if path else key
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise DomainError(field, value, "an ISO date 'YYYY-MM-DD'")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DomainError(field, value, "an ISO date 'YYYY-MM-DD'") from None


def _enum(data: Mapping[str, object], key: str, path: str, kind: type[E], default: E | None) -> E:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise DomainError(f"{path}.{key}", value, f"one of {[m.value for m in kind]}")
    try:
        return kind(value)
    except ValueError:
        raise DomainError(f"{path}.{key}", value, f"one of {[m.value for m in kind]}") from None


def _settings(value: object) -> AssessmentSettings:
    if value is None:
        return AssessmentSettings()
    data = _mapping(value, "settings", _SETTINGS)
    confirmation = None
    if data.get("confirmation") is not None:
        conf = _mapping(data["confirmation"], "settings.confirmation", _CONFIRMATION)
        path = "settings.confirmation"
        confirmation = Confirmation(
            min_interval_days=_whole(conf, "min_interval_days", path, 28),
            max_ne_between=_whole(conf, "max_ne_between", path, 1),
            accept_sd=_flag(conf, "accept_sd", path, False),
        )
    too_small = _number(data, "too_small_default_mm", "settings")
    return AssessmentSettings(
        sd_min_days=_whole(data, "sd_min_days", "settings", 42),
        confirmation=confirmation,
        too_small_default_mm=5.0 if too_small is None else too_small,
        mrecist_absolute_floor=_flag(data, "mrecist_absolute_floor", "settings", False),
        reappearance_after_cr_is_pd=_flag(data, "reappearance_after_cr_is_pd", "settings", True),
        end_date=_date(data, "end_date", "settings", required=False),
    )


def _lesion(value: object, path: str) -> BaselineLesion:
    data = _mapping(value, path, _LESION)
    is_node = _flag(data, "is_lymph_node", path, False)
    return BaselineLesion(
        lesion_id=_text(data, "lesion_id", path),
        organ=_text(data, "organ", path, default="lymph node" if is_node else None),
        is_lymph_node=is_node,
        is_target=_flag(data, "is_target", path, None),
        longest_diameter_mm=_number(data, "longest_diameter_mm", path),
        short_axis_mm=_number(data, "short_axis_mm", path),
        viable_diameter_mm=_number(data, "viable_diameter_mm", path),
        mrecist_target=_optional_flag(data, "mrecist_target", path),
        slice_thickness_mm=_number(data, "slice_thickness_mm", path),
    )


def _target(value: object, path: str) -> TargetReading:
    data = _mapping(value, path, _TARGET)
    into = data.get("coalesced_into")
    return TargetReading(
        lesion_id=_text(data, "lesion_id", path),
        status=_enum(data, "status", path, LesionStatus, LesionStatus.PRESENT),
        diameter_mm=_number(data, "diameter_mm", path),
        fragments_mm=_numbers(data, "fragments_mm", path),
        viable_diameter_mm=_number(data, "viable_diameter_mm", path),
        viable_fragments_mm=_numbers(data, "viable_fragments_mm", path),
        coalesced_into=None if into is None else _text(data, "coalesced_into", path),
    )


def _non_target(value: object, path: str) -> NonTargetReading:
    data = _mapping(value, path, _NON_TARGET)
    return NonTargetReading(
        lesion_id=_text(data, "lesion_id", path),
        status=_enum(data, "status", path, NonTargetStatus, None),
        short_axis_mm=_number(data, "short_axis_mm", path),
        enhancing=_optional_flag(data, "enhancing", path),
    )


def _new(value: object, path: str) -> NewLesion:
    data = _mapping(value, path, _NEW)
    return NewLesion(
        lesion_id=_text(data, "lesion_id", path),
        status=_enum(data, "status", path, NewLesionStatus, None),
    )


def _scan(value: object, path: str) -> Scan:
    data = _mapping(value, path, _SCAN)
    scan_date = _date(data, "scan_date", path, required=True)
    assert scan_date is not None

    def each(key: str) -> list[tuple[object, str]]:
        return [(v, f"{path}.{key}[{k}]") for k, v in enumerate(_items(data.get(key), f"{path}.{key}"))]

    return Scan(
        scan_date=scan_date,
        targets=tuple(_target(v, p) for v, p in each("targets")),
        non_targets=tuple(_non_target(v, p) for v, p in each("non_targets")),
        new_lesions=tuple(_new(v, p) for v, p in each("new_lesions")),
    )


def assess_from_dict(data: Mapping[str, object]) -> dict[str, object]:
    """Assess one patient from a JSON-like mapping (format: ``docs/recist-input.md``).

    Returns
    -------
    dict
        ``criteria``, ``time_points`` (per scan, one entry per criterion),
        ``best_overall_response`` and ``pfs_event_date`` keyed by criterion.

    Raises
    ------
    DomainError
        Any invalid value, naming its path in the input (``scans[0].scan_date``).
    """
    top = _mapping(data, "", _TOP)
    randomization = _date(top, "randomization_date", "", required=True)
    assert randomization is not None
    lesions = [_lesion(v, f"lesions[{i}]") for i, v in enumerate(_items(top.get("lesions"), "lesions"))]
    scans = [_scan(v, f"scans[{i}]") for i, v in enumerate(_items(top.get("scans"), "scans"))]
    assessment = assess(
        lesions,
        scans,
        randomization_date=randomization,
        death_date=_date(top, "death_date", "", required=False),
        settings=_settings(top.get("settings")),
    )
    result = assessment_to_dict(assessment)
    return {"randomization_date": randomization.isoformat(), **result}
