"""Every CTCAE v5.0 band table covers [0, ∞) exactly once, whatever the site's limits.

Style guide §6 rule 5: clinical tables are typed data with explicit interval ends,
checked for gaps and overlaps. These tests check each table for arbitrary LLN, ULN and
baseline values, at random points and at every band end, where the open/closed flags
decide; and they check that malformed tables are refused when they are built.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import Term
from oncotrial.core.grading.bands import (
    INFINITY,
    ZERO,
    Band,
    BandRule,
    BandTable,
    Bound,
    Closed,
    Direction,
    Reference,
    check_cover,
)
from oncotrial.core.grading.ctcae_v5_tables import ALL_TABLES

_limit = st.floats(min_value=1e-3, max_value=1e4, allow_nan=False)
_references = st.fixed_dictionaries(
    {Reference.LLN: _limit, Reference.ULN: _limit, Reference.BASELINE: _limit})
_table = st.sampled_from(ALL_TABLES)


def _holders(bands: tuple[Band, ...], value: float) -> list[Band]:
    return [band for band in bands if band.contains(value)]


@given(_table, _references)
def test_resolved_bands_tile_zero_to_infinity(table: BandTable,
                                              references: dict[Reference, float]) -> None:
    bands = table.resolve(references)
    assert bands[0].lower == 0 and bands[0].closed.includes_lower
    assert math.isinf(bands[-1].upper)
    for below, above in itertools.pairwise(bands):
        assert below.upper == above.lower
        assert below.closed.includes_upper != above.closed.includes_lower


@given(_table, _references, st.floats(min_value=0.0, max_value=1e6, allow_nan=False))
def test_every_value_falls_in_exactly_one_band(table: BandTable,
                                               references: dict[Reference, float],
                                               value: float) -> None:
    assert len(_holders(table.resolve(references), value)) == 1


@given(_table, _references)
def test_every_band_end_falls_in_exactly_one_band(table: BandTable,
                                                  references: dict[Reference, float]) -> None:
    bands = table.resolve(references)
    for band in bands:
        for end in (band.lower, band.upper):
            if math.isfinite(end):
                assert len(_holders(bands, end)) == 1, (table.name, end)


@given(_table, _references, st.sets(st.sampled_from(list(Reference)), max_size=3),
       st.floats(min_value=0.0, max_value=1e5, allow_nan=False))
def test_a_band_found_with_a_reference_missing_is_the_band_for_any_value_of_it(
        table: BandTable, references: dict[Reference, float], dropped: set[Reference],
        value: float) -> None:
    partial = {ref: v for ref, v in references.items() if ref not in dropped}
    found = table.find(value, partial)
    if found is not None:
        full = table.find(value, references)
        assert full is not None and full.grade == found.grade


def test_grades_move_with_the_direction_of_the_term() -> None:
    refs = {Reference.LLN: 2.0, Reference.ULN: 50.0, Reference.BASELINE: 80.0}
    for table in ALL_TABLES:
        grades = [band.grade for band in table.resolve(refs)]
        expected = sorted(grades, reverse=table.direction is Direction.DECREASED)
        assert grades == expected, table.name


def test_every_term_with_a_lab_or_bp_rule_has_a_table() -> None:
    assert {str(t) for t in Term} == {str(table.name) for table in ALL_TABLES}


# --- Malformed tables are refused when built ---

def _rule(grade: int, lower: Bound, upper: Bound, closed: Closed) -> BandRule:
    return BandRule(grade, lower, upper, closed, "test")


@pytest.mark.parametrize("rules", [
    pytest.param((), id="empty"),
    pytest.param((_rule(0, Bound(1.0), INFINITY, Closed.LEFT),), id="not from zero"),
    pytest.param((_rule(0, ZERO, Bound(5.0), Closed.LEFT),), id="not to infinity"),
    pytest.param((_rule(0, ZERO, Bound(1.0), Closed.LEFT),
                  _rule(1, Bound(2.0), INFINITY, Closed.LEFT)), id="gap"),
    pytest.param((_rule(0, ZERO, Bound(1.0), Closed.BOTH),
                  _rule(1, Bound(1.0), INFINITY, Closed.LEFT)), id="shared end in both"),
    pytest.param((_rule(0, ZERO, Bound(1.0), Closed.LEFT),
                  _rule(1, Bound(1.0), INFINITY, Closed.NEITHER)), id="shared end in neither"),
    pytest.param((_rule(1, ZERO, Bound(1.0), Closed.LEFT),
                  _rule(0, Bound(1.0), INFINITY, Closed.LEFT)), id="grades fall"),
    pytest.param((_rule(0, ZERO, Bound(1.0), Closed.LEFT),
                  _rule(5, Bound(1.0), INFINITY, Closed.LEFT)), id="lab grade 5"),
    pytest.param((_rule(0, ZERO, Bound(1.0, Reference.ULN), Closed.BOTH),
                  _rule(1, Bound(1.5, Reference.ULN), INFINITY, Closed.NEITHER)),
                 id="different symbolic ends"),
])
def test_malformed_tables_are_refused(rules: tuple[BandRule, ...]) -> None:
    with pytest.raises(DomainError):
        BandTable("test", Direction.INCREASED, rules)


def test_resolution_that_overlaps_is_refused() -> None:
    # Without a floor, an LLN below the fixed threshold would make G0 overlap G2.
    lln = Bound(1.0, Reference.LLN)
    table = BandTable("unclamped", Direction.DECREASED, (
        _rule(2, ZERO, Bound(1.5), Closed.LEFT),
        _rule(1, Bound(1.5), lln, Closed.LEFT),
        _rule(0, lln, INFINITY, Closed.LEFT),
    ))
    assert len(table.resolve({Reference.LLN: 2.0})) == 3
    with pytest.raises(DomainError):
        table.resolve({Reference.LLN: 1.0})


def test_check_cover_refuses_gaps_and_overlaps() -> None:
    low = Band(0, 0.0, 1.0, Closed.LEFT, "", Reference.ABSOLUTE)
    high = Band(1, 2.0, math.inf, Closed.LEFT, "", Reference.ABSOLUTE)
    with pytest.raises(DomainError):
        check_cover("gap", (low, high))
    check_cover("gap allowed when incomplete", (low, high), complete=False)
    wide = Band(1, 0.5, math.inf, Closed.LEFT, "", Reference.ABSOLUTE)
    with pytest.raises(DomainError):
        check_cover("overlap", (low, wide), complete=False)


def test_bands_and_bounds_print_their_intervals() -> None:
    assert str(Bound(1.5, Reference.ULN)) == "1.5×ULN"
    assert str(Bound(1.0, Reference.LLN, floor=1.5)) == "max(LLN, 1.5)"
    assert str(Band(2, 1.0, 1.5, Closed.LEFT, "", Reference.ABSOLUTE)) == "grade 2: [1, 1.5)"
    assert str(INFINITY) == "∞"
