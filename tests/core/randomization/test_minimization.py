"""Pocock–Simon minimization: hand-worked example, balance property, draws, validation."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oncotrial.core.errors import AllocationError, DomainError
from oncotrial.core.randomization import (
    ImbalanceMethod,
    MinimizationAssignment,
    MinimizationDesign,
    MinimizationDraws,
    generate_minimization_draws,
    imbalance_scores,
    marginal_counts,
    minimization_assign,
)

FACTORS = (("metastasis", ("yes", "no")), ("ecog", ("0", "1")))
DETERMINISTIC = MinimizationDesign(FACTORS, ("A", "B"), p=1.0)


def patient(metastasis: str, ecog: str) -> dict[str, str]:
    return {"metastasis": metastasis, "ecog": ecog}


def draws_of(*pairs: tuple[float, float]) -> MinimizationDraws:
    return MinimizationDraws(seed=0, draws=tuple(pairs))


def run(
    design: MinimizationDesign, patients: Sequence[Mapping[str, str]], draws: MinimizationDraws
) -> list[MinimizationAssignment]:
    history: list[tuple[Mapping[str, str], str]] = []
    assignments = []
    for levels in patients:
        assignment = minimization_assign(design, history, levels, draws)
        history.append((levels, assignment.arm))
        assignments.append(assignment)
    return assignments


def test_hand_worked_example_with_p_1_follows_pocock_and_simon() -> None:
    # Arms A, B; factors metastasis (yes/no), ecog (0/1); range method, weights 1, p = 1.
    # G_t = sum over the patient's factor levels of (max - min) of the counts at that level
    # after adding the patient to arm t. Counts are written (A, B).
    # 1 (yes,0): no one yet. G_A = 1 + 1 = 2, G_B = 2. Tie -> tied[floor(u2*2)], u2 = 0 -> A.
    #    yes (1,0), 0 (1,0).
    # 2 (yes,1): G_A = |2-0| + |1-0| = 3; G_B = |1-1| + |0-1| = 1 -> B.
    #    yes (1,1), 1 (0,1).
    # 3 (no,0):  G_A = |1-0| + |2-0| = 3; G_B = |0-1| + |1-1| = 1 -> B.
    #    no (0,1), 0 (1,1).
    # 4 (no,1):  G_A = |1-1| + |1-1| = 0; G_B = |0-2| + |0-2| = 4 -> A.
    #    no (1,1), 1 (1,1): every level balanced.
    # 5 (yes,1): G_A = |2-1| + |2-1| = 2; G_B = 2. Tie, u2 = 0.75 -> tied[1] = B.
    #    yes (1,2), 1 (1,2).
    # 6 (yes,0): G_A = |2-2| + |2-1| = 1; G_B = |1-3| + |1-2| = 3 -> A.
    #    yes (2,2), 0 (2,1).
    # 7 (no,0):  G_A = |2-1| + |3-1| = 3; G_B = |1-2| + |2-2| = 1 -> B.
    patients = [
        patient("yes", "0"), patient("yes", "1"), patient("no", "0"), patient("no", "1"),
        patient("yes", "1"), patient("yes", "0"), patient("no", "0"),
    ]
    u1 = 0.99  # irrelevant with p = 1: the preferred arm is always assigned
    draws = draws_of((u1, 0.0), (u1, 0.0), (u1, 0.0), (u1, 0.0), (u1, 0.75), (u1, 0.0), (u1, 0.0))
    assignments = run(DETERMINISTIC, patients, draws)
    assert [a.arm for a in assignments] == ["A", "B", "B", "A", "B", "A", "B"]
    assert [dict(a.scores)["A"] for a in assignments] == [2, 3, 3, 0, 2, 1, 3]
    assert [dict(a.scores)["B"] for a in assignments] == [2, 1, 1, 4, 2, 3, 1]
    assert assignments[0].tied_arms == ("A", "B")
    assert assignments[4].tied_arms == ("A", "B")
    assert assignments[1].tied_arms == ("B",)
    assert all(a.followed_preference for a in assignments)
    assert [a.sequence for a in assignments] == list(range(1, 8))


def test_random_element_assigns_the_other_arm_when_u1_is_at_least_p() -> None:
    design = MinimizationDesign(FACTORS, ("A", "B"), p=0.8)
    history = [(patient("yes", "0"), "A")]
    new = patient("yes", "1")
    prefers_b = minimization_assign(design, history, new, draws_of((0, 0), (0.79, 0)))
    assert (prefers_b.arm, prefers_b.preferred_arm) == ("B", "B")
    against = minimization_assign(design, history, new, draws_of((0, 0), (0.8, 0)))
    assert (against.arm, against.preferred_arm, against.followed_preference) == ("A", "B", False)
    assert against.draw == (0.8, 0)


def test_with_three_arms_the_non_preferred_arm_is_chosen_from_the_rescaled_u1() -> None:
    design = MinimizationDesign(FACTORS, ("A", "B", "C"), p=0.8)
    # All three tie for the first patient; u2 = 0.5 -> tied[floor(1.5)] = B is preferred.
    # u1 = 0.95 >= p: others = (A, C), index floor((0.95 - 0.8) / 0.2 * 2) = 1 -> C.
    first = minimization_assign(design, [], patient("no", "1"), draws_of((0.95, 0.5)))
    assert (first.preferred_arm, first.arm) == ("B", "C")
    second = minimization_assign(design, [], patient("no", "1"), draws_of((0.85, 0.5)))
    assert second.arm == "A"


def test_factor_weights_decide_between_conflicting_factors() -> None:
    # After A:(yes,0) and B:(no,1), a (yes,1) patient: G_A = 2*w_met + 0, G_B = 0 + 2*w_ecog.
    history = [(patient("yes", "0"), "A"), (patient("no", "1"), "B")]
    draws = draws_of((0, 0), (0, 0), (0, 0))
    new = patient("yes", "1")
    assert minimization_assign(DETERMINISTIC, history, new, draws).tied_arms == ("A", "B")
    heavy_metastasis = MinimizationDesign(FACTORS, ("A", "B"), p=1.0, factor_weights=(2.0, 1.0))
    assert minimization_assign(heavy_metastasis, history, new, draws).arm == "B"
    heavy_ecog = MinimizationDesign(FACTORS, ("A", "B"), p=1.0, factor_weights=(1.0, 2.0))
    assert minimization_assign(heavy_ecog, history, new, draws).arm == "A"


def test_variance_method_uses_the_population_variance_of_the_counts() -> None:
    design = MinimizationDesign(FACTORS, ("A", "B"), p=1.0, method=ImbalanceMethod.VARIANCE)
    counts = marginal_counts(design, [(patient("yes", "0"), "A")])
    assert counts[("metastasis", "yes")] == [1, 0]
    # (yes,1) to A: yes (2,0) variance 1, ecog 1 (1,0) variance 0.25; to B: 0 + 0.25.
    assert imbalance_scores(design, counts, patient("yes", "1")) == (1.25, 0.25)


@settings(max_examples=50, deadline=None)
@given(
    levels=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=40),
    seed=st.integers(0, 2**32),
)
def test_with_p_1_a_single_factor_stays_within_one_at_every_level(
    levels: list[str], seed: int
) -> None:
    design = MinimizationDesign((("site", ("a", "b", "c")),), ("A", "B"), p=1.0)
    draws = generate_minimization_draws(len(levels), seed)
    history: list[tuple[Mapping[str, str], str]] = []
    for level in levels:
        assignment = minimization_assign(design, history, {"site": level}, draws)
        history.append(({"site": level}, assignment.arm))
        for counts in marginal_counts(design, history).values():
            assert abs(counts[0] - counts[1]) <= 1


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), n=st.integers(1, 30))
def test_assignment_is_pure_and_consumes_the_draw_of_its_position(seed: int, n: int) -> None:
    design = MinimizationDesign()
    draws = generate_minimization_draws(n, seed)
    assert draws == generate_minimization_draws(n, seed)
    cohort = [
        {"extrahepatic_metastasis": ("yes", "no")[k % 2], "ecog": ("0", "1")[(k // 2) % 2]}
        for k in range(n)
    ]
    history: list[tuple[Mapping[str, str], str]] = []
    for k, levels in enumerate(cohort):
        first = minimization_assign(design, history, levels, draws)
        assert minimization_assign(design, list(history), dict(levels), draws) == first
        assert first.draw == draws.draws[k]
        assert first.arm in ("HAIC", "GEMOX")
        history.append((levels, first.arm))


def test_draws_are_uniform_pairs_from_the_seed_and_round_trip_through_json() -> None:
    draws = generate_minimization_draws(5, seed=42)
    assert len(draws.draws) == 5
    assert all(0.0 <= u < 1.0 for pair in draws.draws for u in pair)
    assert draws != generate_minimization_draws(5, seed=43)
    data = json.loads(json.dumps(draws.to_dict()))
    assert data["format"] == "oncotrial.minimization_list"
    assert data["scheme"] == "minimization"
    assert MinimizationDraws.from_dict(data) == draws


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.pop("seed"), "seed"),
        (lambda d: d.update(scheme="permuted_blocks"), "scheme"),
        (lambda d: d["draws"].append([0.5]), "draws[5]"),
        (lambda d: d["draws"].append([0.5, 1.0]), "draws[5]"),
        (lambda d: d["draws"].append([0.5, "0.1"]), "draws[5][1]"),
    ],
)
def test_draws_from_dict_rejects_bad_input_naming_the_field(edit: object, field: str) -> None:
    data = json.loads(json.dumps(generate_minimization_draws(5, seed=1).to_dict()))
    edit(data)  # type: ignore[operator]
    with pytest.raises(DomainError) as caught:
        MinimizationDraws.from_dict(data)
    assert caught.value.field == field


def test_exhausted_draws_raise_allocation_error_naming_the_draws() -> None:
    draws = draws_of((0.1, 0.1))
    history = [(patient("yes", "0"), "A")]
    with pytest.raises(AllocationError) as caught:
        minimization_assign(DETERMINISTIC, history, patient("no", "0"), draws)
    assert caught.value.field == "draws"
    assert "exhausted" in str(caught.value)


@pytest.mark.parametrize("p", [0.5, 0.3, 1.01, math.nan, True, "0.8"])
def test_p_outside_half_open_interval_is_rejected(p: object) -> None:
    with pytest.raises(DomainError) as caught:
        MinimizationDesign(FACTORS, ("A", "B"), p=p)  # type: ignore[arg-type]
    assert caught.value.field == "p"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "chi-square"}, "method"),
        ({"factor_weights": (1.0,)}, "factor_weights"),
        ({"factor_weights": (1.0, 0.0)}, "factor_weights"),
        ({"factors": ()}, "factors"),
        ({"arms": ("A", "A")}, "arms"),
    ],
)
def test_bad_design_is_rejected(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        MinimizationDesign(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("levels", "field"),
    [
        ({"metastasis": "yes"}, "new_patient_levels['ecog']"),
        ({"metastasis": "maybe", "ecog": "0"}, "new_patient_levels['metastasis']"),
        ({"metastasis": "yes", "ecog": "0", "sex": "F"}, "new_patient_levels['sex']"),
    ],
)
def test_bad_patient_levels_are_rejected_naming_the_factor(
    levels: dict[str, str], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        minimization_assign(DETERMINISTIC, [], levels, draws_of((0, 0)))
    assert caught.value.field == field


def test_history_with_an_unknown_arm_is_rejected() -> None:
    history = [(patient("yes", "0"), "C")]
    with pytest.raises(AllocationError) as caught:
        minimization_assign(DETERMINISTIC, history, patient("no", "0"), draws_of((0, 0), (0, 0)))
    assert caught.value.field == "history[0].arm"


def test_design_to_dict_is_plain_data() -> None:
    assert MinimizationDesign().to_dict() == {
        "scheme": "minimization",
        "factors": [
            {"code": "extrahepatic_metastasis", "levels": ["yes", "no"]},
            {"code": "ecog", "levels": ["0", "1"]},
        ],
        "arms": ["HAIC", "GEMOX"],
        "p": 0.8,
        "method": "range",
        "factor_weights": [1.0, 1.0],
    }
