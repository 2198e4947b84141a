"""Worst grade per term, per cycle and per patient; ungradable events are never invented."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oncotrial.core.errors import DomainError
from oncotrial.core.grading import (
    GradedEvent,
    grade_neutrophil_count_decreased,
    worst_grades,
)

ANC = "Neutrophil count decreased"
ALT = "Alanine aminotransferase increased"


def test_worst_grade_per_term_and_per_cycle() -> None:
    worst = worst_grades([
        GradedEvent(ANC, 1, 1), GradedEvent(ANC, 1, 3), GradedEvent(ANC, 2, 2),
        GradedEvent(ALT, 1, 0),
    ])
    assert {t: w.grade for t, w in worst.by_term.items()} == {ANC: 3, ALT: 0}
    assert worst.by_term_cycle[(ANC, 1)].grade == 3
    assert worst.by_term_cycle[(ANC, 2)].grade == 2
    assert {t: w.grade for t, w in worst.in_cycle(2).items()} == {ANC: 2}


def test_ungraded_events_are_counted_not_invented() -> None:
    worst = worst_grades([GradedEvent(ANC, 1, None), GradedEvent(ANC, 1, 2),
                          GradedEvent(ALT, 1, None)])
    anc = worst.by_term[ANC]
    assert (anc.grade, anc.events, anc.ungraded, anc.complete) == (2, 2, 1, False)
    assert worst.by_term[ALT].grade is None


def test_no_events_give_empty_mappings() -> None:
    worst = worst_grades([])
    assert not worst.by_term and not worst.by_term_cycle


def test_events_come_from_grade_results() -> None:
    result = grade_neutrophil_count_decreased(0.4, lln=2.0)  # G4 "<0.5 x 10e9 /L"
    event = GradedEvent.from_result(result, cycle=3)
    assert (event.term, event.cycle, event.grade) == (ANC, 3, 4)


@pytest.mark.parametrize(("term", "cycle", "grade"), [
    ("", 1, 1), (ANC, -1, 1), (ANC, True, 1), (ANC, 1, 6), (ANC, 1, -1), (ANC, 1, 2.0),
])
def test_bad_events_are_refused(term: str, cycle: int, grade: int) -> None:
    with pytest.raises(DomainError):
        GradedEvent(term, cycle, grade)


def test_only_graded_events_are_accepted() -> None:
    with pytest.raises(DomainError):
        worst_grades([(ANC, 1, 2)])  # type: ignore[list-item]


_events = st.lists(st.builds(
    GradedEvent, st.sampled_from([ANC, ALT, "Fatigue"]), st.integers(0, 6),
    st.one_of(st.none(), st.integers(0, 5))), max_size=40)


@given(_events)
def test_worst_by_term_is_the_worst_over_its_cycles(events: list[GradedEvent]) -> None:
    worst = worst_grades(events)
    for term, overall in worst.by_term.items():
        per_cycle = [w.grade for (t, _), w in worst.by_term_cycle.items()
                     if t == term and w.grade is not None]
        assert overall.grade == (max(per_cycle) if per_cycle else None)
        assert overall.events == sum(e.term == term for e in events)


@given(_events)
def test_no_event_is_worse_than_its_group(events: list[GradedEvent]) -> None:
    worst = worst_grades(events)
    for event in events:
        group = worst.by_term_cycle[(event.term, event.cycle)]
        if event.grade is not None:
            assert group.grade is not None and event.grade <= group.grade
