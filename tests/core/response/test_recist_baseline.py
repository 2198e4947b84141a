"""Target selection and the baseline sum (RECIST 1.1 §4.2; EORTC clarification that all
lymph nodes are one organ; mRECIST, Lencioni & Llovet 2010: targets must enhance)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from oncotrial.core.errors import DomainError
from oncotrial.core.response.baseline import check_baseline
from oncotrial.core.response.lesions import BaselineLesion


def tumour(
    lid: str,
    ld: float | None,
    organ: str = "liver",
    *,
    target: bool = True,
    viable: float | None = None,
    mrecist_target: bool | None = None,
) -> BaselineLesion:
    return BaselineLesion(
        lid,
        organ,
        is_lymph_node=False,
        is_target=target,
        longest_diameter_mm=ld,
        viable_diameter_mm=ld if viable is None and target else viable,
        mrecist_target=mrecist_target,
    )


def node(
    lid: str, sa: float | None, organ: str = "hilum", *, target: bool = True, la: float | None = None
) -> BaselineLesion:
    return BaselineLesion(
        lid, organ, is_lymph_node=True, is_target=target, short_axis_mm=sa, longest_diameter_mm=la
    )


def test_baseline_sum_adds_longest_diameters_and_node_short_axes() -> None:
    # RECIST 1.1 §4.2: LD of non-nodal targets + SA of nodal targets; 40 + 25 + 17 = 82.
    baseline = check_baseline([tumour("T1", 40), tumour("T2", 25, "lung"), node("N1", 17, la=30)])
    assert baseline.recist.baseline_sum_mm == Decimal(82)
    assert [t.lesion_id for t in baseline.recist.targets] == ["T1", "T2", "N1"]


def test_non_targets_are_not_in_the_sum() -> None:
    baseline = check_baseline([tumour("T1", 40), tumour("NT1", None, target=False)])
    assert baseline.recist.baseline_sum_mm == Decimal(40)
    assert baseline.recist.non_target_ids == ("NT1",)


def test_five_targets_are_accepted_and_six_are_not() -> None:
    organs = ["liver", "lung", "bone", "adrenal", "peritoneum", "spleen"]
    five = [tumour(f"T{i}", 20, organ) for i, organ in enumerate(organs[:5])]
    assert len(check_baseline(five).recist.targets) == 5
    six = [tumour(f"T{i}", 20, organ) for i, organ in enumerate(organs)]
    with pytest.raises(DomainError, match="at most 5 target lesions") as info:
        check_baseline(six)
    assert info.value.field == "lesions"


def test_two_targets_per_organ_are_accepted_and_three_are_not() -> None:
    assert len(check_baseline([tumour("A", 20), tumour("B", 20)]).recist.targets) == 2
    with pytest.raises(DomainError, match="at most 2 target lesions per organ") as info:
        check_baseline([tumour("A", 20), tumour("B", 20), tumour("C", 20, " Liver ")])
    assert info.value.value == ["A", "B", "C"]


def test_all_lymph_nodes_count_as_one_organ() -> None:
    # EORTC RECIST clarification: nodes in different regions are still one organ.
    with pytest.raises(DomainError, match="per organ"):
        check_baseline([node("N1", 20, "neck"), node("N2", 20, "mediastinum"), node("N3", 20, "para-aortic")])


def test_node_organ_does_not_share_the_count_of_the_organ_it_sits_in() -> None:
    baseline = check_baseline([tumour("T1", 20, "liver"), tumour("T2", 20, "liver"), node("N1", 20, "liver")])
    assert len(baseline.recist.targets) == 3


@pytest.mark.parametrize(("ld", "ok"), [(9.9, False), (10.0, True)])
def test_a_target_must_be_measurable(ld: float, ok: bool) -> None:
    lesions = [tumour("T1", ld)]
    if ok:
        assert check_baseline(lesions).recist.baseline_sum_mm == Decimal("10.0")
    else:
        with pytest.raises(DomainError, match="measurable target") as info:
            check_baseline(lesions)
        assert info.value.field == "lesions[0].longest_diameter_mm"


@pytest.mark.parametrize(("sa", "ok"), [(14.9, False), (15.0, True)])
def test_a_target_node_needs_a_short_axis_of_15_mm(sa: float, ok: bool) -> None:
    if ok:
        check_baseline([node("N1", sa)])
    else:
        with pytest.raises(DomainError, match="Record this lesion as a non-target"):
            check_baseline([node("N1", sa)])


def test_a_node_of_10_to_15_mm_can_be_a_non_target() -> None:
    baseline = check_baseline([tumour("T1", 30), node("N1", 12, target=False)])
    assert baseline.recist.non_target_ids == ("N1",)


def test_a_normal_node_is_not_recorded() -> None:
    with pytest.raises(DomainError, match="pathological node") as info:
        check_baseline([tumour("T1", 30), node("N1", 9.9, target=False)])
    assert info.value.field == "lesions[1].short_axis_mm"


def test_a_target_node_measured_on_its_long_axis_is_rejected() -> None:
    with pytest.raises(DomainError, match="long axis") as info:
        check_baseline([node("N1", None, la=25)])
    assert info.value.field == "lesions[0].longest_diameter_mm"


def test_negative_diameter_is_rejected_naming_the_lesion() -> None:
    with pytest.raises(DomainError) as info:
        check_baseline([tumour("T1", 30), tumour("T2", -3, "lung")])
    assert info.value.field == "lesions[1].longest_diameter_mm"
    assert info.value.value == -3


def test_duplicated_lesion_ids_are_rejected() -> None:
    with pytest.raises(DomainError, match="not used by another") as info:
        check_baseline([tumour("T1", 30), tumour("T1", 20, "lung")])
    assert info.value.field == "lesions[1].lesion_id"


def test_an_empty_baseline_is_rejected() -> None:
    with pytest.raises(DomainError, match="at least one baseline lesion"):
        check_baseline([])


def test_mrecist_sum_uses_viable_diameters_and_node_short_axes() -> None:
    baseline = check_baseline(
        [tumour("T1", 50, viable=30), tumour("T2", 20, "lung", viable=12), node("N1", 16)]
    )
    assert baseline.mrecist.baseline_sum_mm == Decimal(30 + 12 + 16)
    assert baseline.recist.baseline_sum_mm == Decimal(50 + 20 + 16)


def test_an_mrecist_target_must_enhance_at_baseline() -> None:
    with pytest.raises(DomainError, match="arterially enhancing") as info:
        check_baseline([tumour("T1", 50, viable=0)])
    assert info.value.field == "lesions[0].viable_diameter_mm"
    assert "mrecist_target" in (info.value.suggestion or "")


def test_a_non_enhancing_recist_target_can_be_an_mrecist_non_target() -> None:
    baseline = check_baseline(
        [tumour("T1", 50, viable=0, mrecist_target=False), tumour("T2", 30, "lung", viable=20)]
    )
    assert [t.lesion_id for t in baseline.mrecist.targets] == ["T2"]
    assert baseline.mrecist.non_target_ids == ("T1",)
    assert [t.lesion_id for t in baseline.recist.targets] == ["T1", "T2"]


def test_an_mrecist_target_must_be_a_recist_target() -> None:
    with pytest.raises(DomainError, match=r"also a RECIST 1\.1 target"):
        check_baseline(
            [tumour("T1", 30), tumour("X", 30, "lung", target=False, viable=20, mrecist_target=True)]
        )


def test_viable_diameter_cannot_exceed_the_longest_diameter() -> None:
    with pytest.raises(DomainError, match="no larger than the longest diameter"):
        check_baseline([tumour("T1", 30, viable=31)])


def test_a_node_has_no_viable_diameter() -> None:
    lesion = BaselineLesion(
        "N1", "hilum", is_lymph_node=True, is_target=True, short_axis_mm=20, viable_diameter_mm=15
    )
    with pytest.raises(DomainError, match="no viable diameter for a lymph node"):
        check_baseline([lesion])
