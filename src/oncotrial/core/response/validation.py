"""Checks on follow-up scans: dates, lesion identifiers and readings.

Every rejection names the field (``scans[2].targets[0].diameter_mm``), the value and
what is accepted. Conventions checked (RECIST 1.1, Eisenhauer et al., Eur J Cancer
2009;45:228–247, §4.3.2): a disappeared lesion is 0 mm; a split lesion is the sum
of its fragments; a coalesced lesion is 0 mm and the lesion it merged into carries
the combined diameter.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from oncotrial.core.errors import DomainError
from oncotrial.core.response.baseline import Baseline
from oncotrial.core.response.criteria import NewLesionStatus
from oncotrial.core.response.lesions import (
    LesionStatus,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
)
from oncotrial.core.response.measurability import check_diameter


def check_date(value: object, *, field: str) -> date:
    """Return ``value`` when it is a calendar date (not a datetime)."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise DomainError(field, value, "a calendar date (datetime.date, ISO 'YYYY-MM-DD')")
    return value


def check_not_before(
    value: date, reference: date, *, field: str, what: str, suggestion: str | None = None
) -> None:
    """Reject ``value`` earlier than ``reference``."""
    if value < reference:
        raise DomainError(
            field,
            value.isoformat(),
            f"a date on or after {what} ({reference.isoformat()})",
            suggestion,
        )


def _check_fragments(values: tuple[float, ...], field: str) -> None:
    if not isinstance(values, tuple):
        raise DomainError(field, values, "a list of fragment diameters in mm")
    for j, value in enumerate(values):
        if value is None:
            raise DomainError(f"{field}[{j}]", value, "a diameter in mm")
        check_diameter(value, field=f"{field}[{j}]")


def _check_values(reading: TargetReading, path: str, is_node: bool) -> None:
    check_diameter(reading.diameter_mm, field=f"{path}.diameter_mm")
    check_diameter(reading.viable_diameter_mm, field=f"{path}.viable_diameter_mm")
    _check_fragments(reading.fragments_mm, f"{path}.fragments_mm")
    _check_fragments(reading.viable_fragments_mm, f"{path}.viable_fragments_mm")
    if reading.diameter_mm is not None and reading.fragments_mm:
        raise DomainError(
            f"{path}.fragments_mm",
            list(reading.fragments_mm),
            "either diameter_mm or fragments_mm (for a lesion that split), not both",
        )
    if reading.viable_diameter_mm is not None and reading.viable_fragments_mm:
        raise DomainError(
            f"{path}.viable_fragments_mm",
            list(reading.viable_fragments_mm),
            "either viable_diameter_mm or viable_fragments_mm, not both",
        )
    if is_node and (reading.viable_diameter_mm is not None or reading.viable_fragments_mm):
        raise DomainError(
            f"{path}.viable_diameter_mm",
            reading.viable_diameter_mm,
            "no viable diameter for a lymph node (nodes keep their short axis under mRECIST)",
        )
    total = reading.diameter_mm if reading.diameter_mm is not None else sum(reading.fragments_mm)
    viable = (
        reading.viable_diameter_mm
        if reading.viable_diameter_mm is not None
        else sum(reading.viable_fragments_mm)
    )
    if (reading.diameter_mm is not None or reading.fragments_mm) and viable > total:
        raise DomainError(
            f"{path}.viable_diameter_mm",
            viable,
            f"a viable diameter no larger than the lesion diameter ({total} mm)",
        )


def _check_status(reading: TargetReading, path: str) -> None:
    status = reading.status
    has_value = reading.diameter_mm is not None or bool(reading.fragments_mm)
    has_viable = reading.viable_diameter_mm is not None or bool(reading.viable_fragments_mm)
    if not isinstance(status, LesionStatus):
        raise DomainError(f"{path}.status", status, f"one of {[s.value for s in LesionStatus]}")
    if status is LesionStatus.PRESENT and not has_value:
        raise DomainError(
            f"{path}.diameter_mm",
            None,
            "a diameter (or fragments_mm) for a present lesion",
            "Use status 'too_small_to_measure', 'disappeared' or 'not_assessed' "
            "when there is no measurement.",
        )
    if status is LesionStatus.TOO_SMALL and reading.fragments_mm:
        raise DomainError(f"{path}.fragments_mm", list(reading.fragments_mm), "no fragments")
    zero_only = status in (LesionStatus.DISAPPEARED, LesionStatus.COALESCED)
    if zero_only and (
        (reading.diameter_mm or reading.fragments_mm)
        or reading.viable_diameter_mm
        or reading.viable_fragments_mm
    ):
        raise DomainError(
            f"{path}.diameter_mm",
            reading.diameter_mm,
            f"no measurement (or 0) for a lesion with status {status.value!r}",
        )
    if status is LesionStatus.NOT_ASSESSED and (has_value or has_viable):
        raise DomainError(f"{path}.status", status.value, "'present' for a lesion that has a measurement")
    if (status is LesionStatus.COALESCED) != (reading.coalesced_into is not None):
        raise DomainError(
            f"{path}.coalesced_into",
            reading.coalesced_into,
            "the target it merged into when status is 'coalesced', and nothing otherwise",
        )


def _check_coalescence(readings: Sequence[TargetReading], path: str) -> None:
    by_id = {r.lesion_id: r for r in readings}
    for k, reading in enumerate(readings):
        into = reading.coalesced_into
        if into is None:
            continue
        other = by_id.get(into)
        ok = (
            other is not None
            and into != reading.lesion_id
            and other.status in (LesionStatus.PRESENT, LesionStatus.TOO_SMALL, LesionStatus.NOT_ASSESSED)
        )
        if not ok:
            raise DomainError(
                f"{path}.targets[{k}].coalesced_into",
                into,
                "another target lesion read at the same scan as present, too small to "
                "measure or not assessed, which carries the combined diameter",
            )


def _check_non_target(reading: NonTargetReading, path: str, is_node: bool) -> None:
    if not isinstance(reading.status, NonTargetStatus):
        raise DomainError(f"{path}.status", reading.status, f"one of {[s.value for s in NonTargetStatus]}")
    sa = check_diameter(reading.short_axis_mm, field=f"{path}.short_axis_mm")
    if sa is not None and not is_node:
        raise DomainError(f"{path}.short_axis_mm", sa, "a short axis for lymph nodes only")
    if sa is not None and reading.status is NonTargetStatus.ABSENT and sa >= 10:
        raise DomainError(
            f"{path}.short_axis_mm",
            sa,
            "a short axis below 10 mm (or none) for a node recorded as absent",
        )


def _check_ids(ids: Sequence[str], allowed: set[str], other: set[str], path: str, kind: str) -> None:
    seen: set[str] = set()
    for k, lesion_id in enumerate(ids):
        field = f"{path}[{k}].lesion_id"
        if lesion_id in seen:
            raise DomainError(field, lesion_id, f"each {kind} lesion once per scan")
        seen.add(lesion_id)
        if lesion_id not in allowed:
            hint = (
                f"It is a baseline lesion of the other kind: report it under "
                f"{'non_targets' if kind == 'target' else 'targets'}."
                if lesion_id in other
                else "Lesions first seen after baseline are reported under new_lesions."
            )
            raise DomainError(
                field, lesion_id, f"a baseline {kind} lesion id, one of {sorted(allowed)}", hint
            )


def _check_scan(baseline: Baseline, scan: Scan, path: str) -> None:
    target_ids = {t.lesion_id for t in baseline.recist.targets}
    non_target_ids = set(baseline.recist.non_target_ids)
    _check_ids([r.lesion_id for r in scan.targets], target_ids, non_target_ids, f"{path}.targets", "target")
    _check_ids(
        [r.lesion_id for r in scan.non_targets],
        non_target_ids,
        target_ids,
        f"{path}.non_targets",
        "non-target",
    )
    for k, reading in enumerate(scan.targets):
        lesion = baseline.lesion(reading.lesion_id)
        is_node = lesion is not None and lesion.is_lymph_node
        _check_status(reading, f"{path}.targets[{k}]")
        _check_values(reading, f"{path}.targets[{k}]", is_node)
    _check_coalescence(scan.targets, path)
    for k, nt in enumerate(scan.non_targets):
        lesion = baseline.lesion(nt.lesion_id)
        _check_non_target(nt, f"{path}.non_targets[{k}]", lesion is not None and lesion.is_lymph_node)
    seen: set[str] = set()
    for k, new in enumerate(scan.new_lesions):
        field = f"{path}.new_lesions[{k}]"
        if baseline.lesion(new.lesion_id) is not None or new.lesion_id in seen:
            raise DomainError(
                f"{field}.lesion_id",
                new.lesion_id,
                "an identifier used by no baseline lesion and no other new lesion of this scan",
            )
        seen.add(new.lesion_id)
        if new.status not in (NewLesionStatus.EQUIVOCAL, NewLesionStatus.UNEQUIVOCAL):
            raise DomainError(f"{field}.status", new.status, "'equivocal' or 'unequivocal'")


def check_scans(
    baseline: Baseline, scans: Sequence[Scan], *, randomization_date: date, field: str = "scans"
) -> tuple[Scan, ...]:
    """Check every scan and return them in date order.

    Raises
    ------
    DomainError
        A scan dated before randomization; two scans on the same date; a reading for
        a lesion id that is not a baseline lesion of that kind, or given twice; a
        negative diameter; a reading whose status contradicts its values; a coalesced
        lesion pointing to no target read at the same scan; a new lesion reusing a
        baseline id.
    """
    check_date(randomization_date, field="randomization_date")
    dates: dict[date, int] = {}
    for i, scan in enumerate(scans):
        path = f"{field}[{i}]"
        when = check_date(scan.scan_date, field=f"{path}.scan_date")
        check_not_before(
            when,
            randomization_date,
            field=f"{path}.scan_date",
            what="the randomization date",
            suggestion="Baseline imaging is entered as baseline lesions, not as a scan.",
        )
        if when in dates:
            raise DomainError(
                f"{path}.scan_date",
                when.isoformat(),
                f"a date different from every other scan (already used by {field}[{dates[when]}])",
                "Merge readings made on the same day into one scan.",
            )
        dates[when] = i
        _check_scan(baseline, scan, path)
    return tuple(sorted(scans, key=lambda s: s.scan_date))
