"""Best overall response and PFS event date.

RECIST 1.1 (Eisenhauer et al., Eur J Cancer 2009;45:228–247) §4.4.3 (SD minimum
interval; otherwise NE, or PD if PD follows), §4.6.1 (confirmation ≥ 4 weeks, needed
only in non-randomized trials), §4.7 (PFS). Behavioural specification: pharmaverse
admiralonco ``derive_param_bor()`` / ``derive_param_confirmed_bor()``; the last two
tests reproduce the expected outputs of admiralonco's own test suite
(tests/testthat/test-derive_param_confirmed_bor.R and test-derive_param_bor.R).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.response.best_response import (
    Confirmation,
    ResponseAt,
    best_overall_response,
    pfs_event_date,
)
from oncotrial.core.response.criteria import Response

R0 = date(2024, 1, 1)
CR, PR, SD, NON, PD, NE = (
    Response.CR,
    Response.PR,
    Response.SD,
    Response.NON_CR_NON_PD,
    Response.PD,
    Response.NE,
)


def at(days: int, response: Response) -> ResponseAt:
    return ResponseAt(R0 + timedelta(days=days), response)


def bor(*points: ResponseAt, **kwargs: object) -> tuple[Response, date | None]:
    result = best_overall_response(points, randomization_date=R0, **kwargs)  # type: ignore[arg-type]
    return result.response, result.scan_date


def test_no_assessment_is_missing() -> None:
    assert bor() == (Response.MISSING, None)


def test_best_response_is_the_best_time_point_by_default_unconfirmed() -> None:
    assert bor(at(42, SD), at(84, PR), at(126, SD)) == (PR, R0 + timedelta(days=84))


def test_ties_go_to_the_earliest_date() -> None:
    assert bor(at(42, PR), at(84, PR)) == (PR, R0 + timedelta(days=42))


@pytest.mark.parametrize(("day", "expected"), [(41, NE), (42, SD)])
def test_sd_counts_only_from_the_minimum_interval(day: int, expected: Response) -> None:
    assert bor(at(day, SD))[0] is expected


def test_the_sd_minimum_interval_is_a_parameter() -> None:
    assert bor(at(41, SD), sd_min_days=28)[0] is SD


def test_early_sd_followed_by_pd_is_pd() -> None:
    # §4.4.3: SD not met at the minimum interval and PD follows → PD.
    assert bor(at(35, SD), at(70, PD)) == (PD, R0 + timedelta(days=70))


def test_early_non_cr_non_pd_is_ne() -> None:
    assert bor(at(30, NON))[0] is NE
    assert bor(at(30, NON), at(60, NON))[0] is NON


def test_unconfirmed_responses_count_even_before_the_sd_interval() -> None:
    # admiralonco derive_param_bor(): CR/PR are not subject to ref_start_window.
    assert bor(at(20, PR))[0] is PR


def test_time_points_after_the_first_pd_are_ignored() -> None:
    assert bor(at(42, SD), at(84, PD), at(126, CR)) == (SD, R0 + timedelta(days=42))


def test_end_date_ignores_later_assessments() -> None:
    assert bor(at(42, SD), at(84, PR), end_date=R0 + timedelta(days=60))[0] is SD


# --- confirmation (admiralonco rules) ----------------------------------------------------

CONFIRM = Confirmation()


@pytest.mark.parametrize(("gap", "expected"), [(27, SD), (28, PR)])
def test_confirmation_needs_at_least_28_days(gap: int, expected: Response) -> None:
    assert bor(at(42, PR), at(42 + gap, PR), confirmation=CONFIRM)[0] is expected


def test_a_confirmed_cr_needs_a_cr_confirmation() -> None:
    assert bor(at(42, CR), at(84, CR), confirmation=CONFIRM)[0] is CR
    # CR then PR: the CR is not confirmed; CR confirms nothing as PR after it → SD.
    assert bor(at(42, CR), at(84, PR), confirmation=CONFIRM)[0] is SD


def test_a_pr_is_confirmed_by_a_later_cr() -> None:
    assert bor(at(42, PR), at(84, CR), confirmation=CONFIRM) == (PR, R0 + timedelta(days=42))


@pytest.mark.parametrize(("ne_count", "expected"), [(1, PR), (2, SD)])
def test_at_most_one_ne_between_response_and_confirmation(ne_count: int, expected: Response) -> None:
    points = [at(42, PR)] + [at(50 + k, NE) for k in range(ne_count)] + [at(84, PR)]
    assert bor(*points, confirmation=CONFIRM)[0] is expected


def test_max_ne_between_is_a_parameter() -> None:
    points = [at(42, PR), at(50, NE), at(51, NE), at(84, PR)]
    assert bor(*points, confirmation=Confirmation(max_ne_between=2))[0] is PR


def test_sd_between_pr_and_confirmation_is_refused_by_default() -> None:
    points = [at(42, PR), at(63, SD), at(84, PR)]
    assert bor(*points, confirmation=CONFIRM)[0] is SD
    assert bor(*points, confirmation=Confirmation(accept_sd=True))[0] is PR


def test_pd_ends_the_window_so_a_response_cannot_be_confirmed_after_it() -> None:
    assert bor(at(42, PR), at(63, PD), at(84, PR), confirmation=CONFIRM)[0] is SD


# --- PFS ---------------------------------------------------------------------------------


def test_pfs_event_is_the_first_pd() -> None:
    points = [at(42, SD), at(84, PD), at(126, PD)]
    assert pfs_event_date(points, randomization_date=R0) == R0 + timedelta(days=84)


def test_no_pd_and_no_death_is_no_event() -> None:
    assert pfs_event_date([at(42, SD)], randomization_date=R0) is None


def test_death_before_pd_is_the_event() -> None:
    points = [at(42, SD)]
    death = R0 + timedelta(days=60)
    assert pfs_event_date(points, randomization_date=R0, death_date=death) == death


def test_pd_before_death_is_the_event() -> None:
    points = [at(42, PD)]
    death = R0 + timedelta(days=60)
    assert pfs_event_date(points, randomization_date=R0, death_date=death) == R0 + timedelta(42)


def test_a_scan_after_death_is_rejected() -> None:
    with pytest.raises(DomainError, match="on or after the last scan") as info:
        pfs_event_date([at(42, SD)], randomization_date=R0, death_date=R0 + timedelta(days=30))
    assert info.value.field == "death_date"


def test_death_before_randomization_is_rejected() -> None:
    with pytest.raises(DomainError) as info:
        pfs_event_date([], randomization_date=R0, death_date=R0 - timedelta(days=1))
    assert info.value.field == "death_date"


# --- validation --------------------------------------------------------------------------


def test_time_points_before_randomization_are_rejected() -> None:
    with pytest.raises(DomainError) as info:
        bor(at(-1, PR))
    assert info.value.field == "time_points[0].scan_date"


def test_duplicated_dates_are_rejected() -> None:
    with pytest.raises(DomainError, match="one time point per date"):
        bor(at(42, PR), at(42, SD))


def test_negative_sd_interval_is_rejected() -> None:
    with pytest.raises(DomainError) as info:
        bor(at(42, PR), sd_min_days=-1)
    assert info.value.field == "sd_min_days"


# --- reference software: admiralonco -------------------------------------------------------

ADMIRAL_REFERENCE_DATES = {
    "1": date(2020, 1, 1),
    "2": date(2019, 12, 12),
    "3": date(2019, 11, 11),
    "4": date(2019, 12, 30),
    "5": date(2020, 1, 1),
    "6": date(2020, 2, 2),
    "7": date(2020, 2, 2),
    "8": date(2020, 4, 1),
    "9": date(2020, 2, 1),
}
ADMIRAL_ADRS: dict[str, list[tuple[str, Response]]] = {
    "1": [("2020-01-01", PR), ("2020-02-01", CR), ("2020-02-16", NE), ("2020-03-01", CR), ("2020-04-01", SD)],
    "2": [("2020-01-01", SD), ("2020-02-01", PR), ("2020-03-01", SD), ("2020-03-13", CR)],
    "3": [("2019-11-12", CR), ("2019-12-02", CR), ("2020-01-01", SD)],
    "4": [
        ("2020-01-01", PR),
        ("2020-03-01", SD),
        ("2020-04-01", SD),
        ("2020-05-01", PR),
        ("2020-05-15", NON),
    ],
    "5": [("2020-01-01", PR), ("2020-01-10", SD), ("2020-01-20", PR), ("2020-05-15", NON)],
    "6": [("2020-02-06", PR), ("2020-02-16", CR), ("2020-03-30", PR)],
    "7": [("2020-02-06", PR), ("2020-02-16", CR), ("2020-04-01", NE)],
    "8": [],
    "9": [("2020-02-16", PD), ("2020-03-06", SD)],
}


def _admiral(subject: str, **kwargs: object) -> tuple[str, str | None]:
    points = [ResponseAt(date.fromisoformat(d), r) for d, r in ADMIRAL_ADRS[subject]]
    result = best_overall_response(
        points, randomization_date=ADMIRAL_REFERENCE_DATES[subject], sd_min_days=28, **kwargs
    )  # type: ignore[arg-type]
    return result.response.value, None if result.scan_date is None else result.scan_date.isoformat()


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("1", ("CR", "2020-02-01")),
        ("2", ("SD", "2020-02-01")),
        ("3", ("SD", "2020-01-01")),
        ("4", ("SD", "2020-03-01")),
        ("5", ("NON-CR/NON-PD", "2020-05-15")),
        ("6", ("SD", "2020-03-30")),
        ("7", ("NE", "2020-02-06")),
        ("8", ("MISSING", None)),
        ("9", ("PD", "2020-02-16")),
    ],
)
def test_admiralonco_confirmed_bor_test_1(subject: str, expected: tuple[str, str | None]) -> None:
    # admiralonco test-derive_param_confirmed_bor.R, "Test 1: default confirmed BOR":
    # ref_start_window = 28, ref_confirm = 28, max_nr_ne = 1, accept_sd = FALSE.
    confirmation = Confirmation(min_interval_days=28, max_ne_between=1, accept_sd=False)
    assert _admiral(subject, confirmation=confirmation) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("1", ("PR", "2020-01-01")),
        ("2", ("PR", "2020-02-01")),
        ("3", ("CR", "2019-11-12")),
        ("4", ("SD", "2020-03-01")),
        ("5", ("PR", "2020-01-01")),
        ("6", ("SD", "2020-03-30")),
        ("9", ("PD", "2020-02-16")),
    ],
)
def test_admiralonco_confirmed_bor_test_2(subject: str, expected: tuple[str, str | None]) -> None:
    # Same file, "Test 2: accept SD, ND handling, missing as NE": ref_confirm = 14,
    # max_nr_ne = 0, accept_sd = TRUE (subjects 7 and 8 exercise ND / missing_as_ne,
    # which Oncotrial does not model).
    confirmation = Confirmation(min_interval_days=14, max_ne_between=0, accept_sd=True)
    assert _admiral(subject, confirmation=confirmation) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("1", ("CR", "2020-02-01")),
        ("2", ("CR", "2020-03-13")),
        ("3", ("CR", "2019-11-12")),
        ("4", ("PR", "2020-01-01")),
        ("5", ("PR", "2020-01-01")),
        ("6", ("CR", "2020-02-16")),
        ("7", ("CR", "2020-02-16")),
        ("8", ("MISSING", None)),
    ],
)
def test_admiralonco_unconfirmed_bor(subject: str, expected: tuple[str, str | None]) -> None:
    # admiralonco test-derive_param_bor.R, "Test 1: No source_pd", ref_start_window = 28.
    assert _admiral(subject) == expected
