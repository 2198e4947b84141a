"""Every dose-modification table covers its whole range exactly once (no gap, no overlap).

Style guide §6 rule 5. Value tables cover [0, ∞): each is probed at random points and
just below, at and just above every band end, where the closed/open flags decide.
Grade tables cover CTCAE grades 0–5: each grade is in exactly one band. The module's
registries list every table it defines, and malformed tables are refused when built.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.dosing import tables
from oncotrial.core.dosing.table_types import (
    Action,
    GradeBand,
    GradeTable,
    Outcome,
    TableChoice,
    TableSelector,
    ValueBand,
    ValueTable,
)
from oncotrial.core.errors import DomainError
from oncotrial.core.grading.bands import Closed

GIVE = Outcome(Action.GIVE, "give")
HOLD = Outcome(Action.HOLD, "hold")
STOP = Outcome(Action.DISCONTINUE, "stop")


def _defined(kind: type) -> list[object]:
    return [v for v in vars(tables).values() if isinstance(v, kind)]


def test_the_registries_list_every_table_defined_in_the_module():
    assert set(map(id, _defined(ValueTable))) >= set(map(id, tables.VALUE_TABLES))
    inner = {id(c.table) for s in tables.SELECTORS for c in s.choices}
    assert {id(t) for t in _defined(ValueTable)} == {id(t) for t in tables.VALUE_TABLES} | inner
    assert {id(t) for t in _defined(GradeTable)} == {id(t) for t in tables.GRADE_TABLES}
    assert {id(t) for t in _defined(TableSelector)} == {id(t) for t in tables.SELECTORS}
    names = [t.name for t in (*tables.VALUE_TABLES, *tables.GRADE_TABLES, *tables.SELECTORS)]
    assert len(names) == len(set(names))


def _holders(table: ValueTable, value: float) -> list[ValueBand]:
    return [b for b in table.bands if b.contains(value)]


@pytest.mark.parametrize("table", tables.VALUE_TABLES, ids=lambda t: t.name)
def test_every_band_end_of_a_value_table_is_in_exactly_one_band(table: ValueTable):
    ends = {b.lower for b in table.bands} | {b.upper for b in table.bands if math.isfinite(b.upper)}
    for end in sorted(ends):
        for value in (end, end + 1e-6, max(0.0, end - 1e-6), end * 1.001, end * 0.999):
            assert len(_holders(table, value)) == 1, (table.name, value)
    assert table.bands[0].lower == 0 and table.bands[0].closed.includes_lower
    assert math.isinf(table.bands[-1].upper)


@given(st.floats(min_value=0, max_value=1e6, allow_nan=False), st.sampled_from(tables.VALUE_TABLES))
def test_any_value_is_in_exactly_one_band(value: float, table: ValueTable):
    assert len(_holders(table, value)) == 1


@pytest.mark.parametrize("table", tables.GRADE_TABLES, ids=lambda t: t.name)
def test_every_ctcae_grade_is_in_exactly_one_band_of_a_grade_table(table: GradeTable):
    for grade in range(6):
        assert sum(b.contains(grade) for b in table.bands) == 1, (table.name, grade)
    assert table.find(5).outcome.action is Action.DISCONTINUE  # grade 5 (death) always stops


@pytest.mark.parametrize("selector", tables.SELECTORS, ids=lambda s: s.name)
def test_every_selector_covers_zero_to_infinity_once(selector: TableSelector):
    for choice in selector.choices:
        inside = choice.upper if math.isfinite(choice.upper) else 1e6
        for value in (choice.lower, choice.lower + 1e-6, inside):
            holders = [c for c in selector.choices
                       if ValueBand(c.lower, c.upper, c.closed, GIVE).contains(value)]
            assert len(holders) == 1 and selector.select(value) is holders[0].table


@pytest.mark.parametrize(("bands", "why"), [
    ((ValueBand(0, 1, Closed.LEFT, HOLD), ValueBand(1.5, math.inf, Closed.LEFT, GIVE)), "gap"),
    ((ValueBand(0, 1, Closed.BOTH, HOLD), ValueBand(1, math.inf, Closed.LEFT, GIVE)), "overlap at 1"),
    ((ValueBand(0, 1, Closed.LEFT, HOLD), ValueBand(1, math.inf, Closed.NEITHER, GIVE)), "1 in no band"),
    ((ValueBand(0.1, 1, Closed.LEFT, HOLD), ValueBand(1, math.inf, Closed.LEFT, GIVE)), "not from 0"),
    ((ValueBand(0, 1, Closed.LEFT, HOLD), ValueBand(1, 5, Closed.LEFT, GIVE)), "not to infinity"),
    ((ValueBand(0, 1, Closed.LEFT, GIVE), ValueBand(1, math.inf, Closed.LEFT, HOLD)), "milder when low"),
])
def test_a_malformed_value_table_is_refused(bands: tuple[ValueBand, ...], why: str):
    with pytest.raises(DomainError):
        ValueTable("bad", "ANC", "10^9/L", bands, worse_when_low=True, source="test")


@pytest.mark.parametrize("bands", [
    (GradeBand(0, 1, GIVE), GradeBand(3, 5, STOP)),                      # grade 2 missing
    (GradeBand(0, 2, GIVE), GradeBand(2, 5, STOP)),                      # grade 2 twice
    (GradeBand(0, 2, GIVE), GradeBand(3, 4, STOP)),                      # grade 5 missing
    (GradeBand(1, 2, GIVE), GradeBand(3, 5, STOP)),                      # grade 0 missing
    (GradeBand(0, 2, STOP), GradeBand(3, 5, GIVE)),                      # milder when worse
])
def test_a_malformed_grade_table_is_refused(bands: tuple[GradeBand, ...]):
    with pytest.raises(DomainError):
        GradeTable("bad", bands, "test")


def test_a_selector_with_a_gap_is_refused():
    t = tables.TORIPALIMAB_HEPATITIS_NO_LIVER_AST_ALT
    with pytest.raises(DomainError):
        TableSelector("bad", "x", (TableChoice(0, 1, Closed.LEFT, t),
                                   TableChoice(2, math.inf, Closed.LEFT, t)), "test")


@pytest.mark.parametrize("outcome", [
    lambda: Outcome(Action.REDUCE, "neither fraction nor step"),
    lambda: Outcome(Action.REDUCE, "both", fraction=0.75, step_down=1),
    lambda: Outcome(Action.GIVE, "give with a fraction", fraction=0.5),
    lambda: Outcome(Action.HOLD, "two steps", step_down=2),
])
def test_an_inconsistent_outcome_is_refused(outcome):
    with pytest.raises(DomainError):
        outcome()
