"""Best overall response (BOR) over dated time points, and the PFS event date.

Sources
-------
* RECIST 1.1, Eisenhauer et al., Eur J Cancer 2009;45:228–247: §4.4.3 (best overall
  response: best response recorded from the start of treatment until progression;
  SD must be met at least once after a protocol-defined minimum interval, otherwise
  the best response depends on later assessments: NE, or PD if PD follows);
  §4.6.1 (confirmation of CR/PR ≥ 4 weeks later is required in non-randomized
  trials with response as primary endpoint, not in randomized trials — so the
  default here is *unconfirmed*); §4.7 (PFS).
* Behavioural specification: pharmaverse admiralonco ``derive_param_bor()`` and
  ``derive_param_confirmed_bor()`` (R/derive_param_confirmed_bor.R). Time points
  after the first PD are ignored; order CR > PR > SD > NON-CR/NON-PD > PD > NE >
  MISSING; ties go to the earliest date. Confirmed CR: a later CR at least
  ``min_interval_days`` later with only CR or NE in between (at most
  ``max_ne_between`` NE). Confirmed PR: a later CR or PR at least
  ``min_interval_days`` later with only CR, PR, SD or NE in between, at most
  ``max_ne_between`` NE, no SD unless ``accept_sd`` (then at most one), and no PR
  after a CR. An unconfirmed CR or PR counts as SD when it is late enough, else NE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from oncotrial.core.errors import DomainError
from oncotrial.core.response.criteria import BEST_RESPONSE_ORDER, Response
from oncotrial.core.response.validation import check_date, check_not_before


class DatedResponse(Protocol):
    """Anything with a scan date and an overall response (e.g. ``TimePoint``)."""

    @property
    def scan_date(self) -> date: ...

    @property
    def response(self) -> Response: ...


@dataclass(frozen=True, slots=True)
class ResponseAt:
    """A bare dated time-point response."""

    scan_date: date
    response: Response


@dataclass(frozen=True, slots=True)
class Confirmation:
    """Confirmation of CR/PR, as admiralonco ``derive_param_confirmed_bor()``."""

    min_interval_days: int = 28
    max_ne_between: int = 1
    accept_sd: bool = False


@dataclass(frozen=True, slots=True)
class BestOverallResponse:
    """Best overall response and the date of the time point that gave it."""

    response: Response
    scan_date: date | None
    confirmation_required: bool


def _check_int(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise DomainError(field, value, "a whole number of days ≥ 0")
    return value


def _ordered(
    time_points: Sequence[DatedResponse], randomization_date: date, end_date: date | None
) -> list[ResponseAt]:
    check_date(randomization_date, field="randomization_date")
    points: list[ResponseAt] = []
    seen: set[date] = set()
    for i, tp in enumerate(time_points):
        when = check_date(tp.scan_date, field=f"time_points[{i}].scan_date")
        check_not_before(
            when, randomization_date, field=f"time_points[{i}].scan_date", what="the randomization date"
        )
        if when in seen:
            raise DomainError(f"time_points[{i}].scan_date", when.isoformat(), "one time point per date")
        seen.add(when)
        if not isinstance(tp.response, Response) or tp.response is Response.MISSING:
            raise DomainError(
                f"time_points[{i}].response", tp.response, "one of CR, PR, SD, NON-CR/NON-PD, PD, NE"
            )
        points.append(ResponseAt(when, tp.response))
    points.sort(key=lambda p: p.scan_date)
    if end_date is not None:
        points = [p for p in points if p.scan_date <= end_date]
    first_pd = next((k for k, p in enumerate(points) if p.response is Response.PD), None)
    return points if first_pd is None else points[: first_pd + 1]


def _is_confirmed(points: Sequence[ResponseAt], k: int, rule: Confirmation) -> bool:
    current = points[k]
    wanted = (Response.CR,) if current.response is Response.CR else (Response.CR, Response.PR)
    allowed = (
        (Response.CR, Response.NE)
        if current.response is Response.CR
        else (Response.CR, Response.PR, Response.SD, Response.NE)
    )
    earliest = current.scan_date + timedelta(days=rule.min_interval_days)
    window: list[Response] = []
    for later in points[k + 1 :]:
        window.append(later.response)
        if later.response in wanted and later.scan_date >= earliest:
            break
    else:
        return False
    if any(r not in allowed for r in window) or window.count(Response.NE) > rule.max_ne_between:
        return False
    if current.response is Response.CR:
        return True
    if window.count(Response.SD) > (1 if rule.accept_sd else 0):
        return False
    if Response.CR in window and Response.PR in window:
        last_pr = max(i for i, r in enumerate(window) if r is Response.PR)
        return window.index(Response.CR) > last_pr
    return True


def _candidate(
    points: Sequence[ResponseAt], k: int, sd_from: date, confirmation: Confirmation | None
) -> Response:
    response = points[k].response
    late_enough = points[k].scan_date >= sd_from
    if response in (Response.CR, Response.PR):
        if confirmation is None or _is_confirmed(points, k, confirmation):
            return response
        return Response.SD if late_enough else Response.NE
    if response in (Response.SD, Response.NON_CR_NON_PD):
        return response if late_enough else Response.NE
    return response


def best_overall_response(
    time_points: Sequence[DatedResponse],
    *,
    randomization_date: date,
    sd_min_days: int = 42,
    confirmation: Confirmation | None = None,
    end_date: date | None = None,
) -> BestOverallResponse:
    """Best overall response from randomization to the first PD.

    Parameters
    ----------
    time_points:
        Dated time-point responses, in any order (one per date).
    randomization_date:
        Reference date for the SD minimum duration.
    sd_min_days:
        SD (or NON-CR/NON-PD) counts only at an assessment at least this many days
        after randomization (default 42, six weeks); earlier it counts as NE.
    confirmation:
        ``None`` (default, randomized trial): unconfirmed CR/PR count.
        Otherwise the admiralonco confirmation rules apply.
    end_date:
        Ignore time points after this date (e.g. start of a new anticancer therapy).

    Returns
    -------
    BestOverallResponse
        ``MISSING`` with no date when there is no time point.
    """
    sd_days = _check_int(sd_min_days, "sd_min_days")
    if confirmation is not None:
        _check_int(confirmation.min_interval_days, "confirmation.min_interval_days")
        _check_int(confirmation.max_ne_between, "confirmation.max_ne_between")
    if end_date is not None:
        check_date(end_date, field="end_date")
    points = _ordered(time_points, randomization_date, end_date)
    required = confirmation is not None
    if not points:
        return BestOverallResponse(Response.MISSING, None, required)
    sd_from = randomization_date + timedelta(days=sd_days)
    candidates = [
        (BEST_RESPONSE_ORDER.index(_candidate(points, k, sd_from, confirmation)), p.scan_date, k)
        for k, p in enumerate(points)
    ]
    rank, when, _ = min(candidates)
    return BestOverallResponse(BEST_RESPONSE_ORDER[rank], when, required)


def pfs_event_date(
    time_points: Sequence[DatedResponse],
    *,
    randomization_date: date,
    death_date: date | None = None,
) -> date | None:
    """Date of the PFS event: the first time point with PD, or death if earlier.

    Progression backdated to the first appearance of an equivocal new lesion is
    already in the time-point ``response``. ``None`` when neither occurred
    (censoring rules are protocol-specific and not applied here).

    Raises
    ------
    DomainError
        Dates before randomization, duplicated scan dates, or a scan after death.
    """
    points = _ordered(time_points, randomization_date, None)
    first_pd = next((p.scan_date for p in points if p.response is Response.PD), None)
    if death_date is None:
        return first_pd
    death = check_date(death_date, field="death_date")
    check_not_before(death, randomization_date, field="death_date", what="the randomization date")
    last_scan = max((tp.scan_date for tp in time_points), default=None)
    if last_scan is not None and last_scan > death:
        raise DomainError(
            "death_date", death.isoformat(), f"a date on or after the last scan ({last_scan.isoformat()})"
        )
    return death if first_pd is None else min(first_pd, death)
