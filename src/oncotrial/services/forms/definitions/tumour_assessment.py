"""``tumour_assessment``: one imaging time point with its lesion table; RECIST 1.1 and mRECIST derived.

The subject's earliest scan is the baseline: its rows are target and non-target lesions
(RECIST 1.1 §4.2: ≤5 targets, ≤2 per organ, checked by core). Every later scan reads
the same lesion ids (target: longest diameter, or short axis for a node, and the viable
enhancing diameter for mRECIST; non-target: status; new lesions: equivocal or
unequivocal).

Derived (core :func:`oncotrial.core.response.assess`; Eisenhauer et al., Eur J Cancer
2009;45:228–247; Lencioni & Llovet, Semin Liver Dis 2010;30:52–60), over the baseline and
every scan up to this one: for each criterion the time-point response (target,
non-target, new lesions, overall), the sums, the change from baseline and from the nadir
with core's notes, and the best overall response so far. PR needs ≥30 % decrease from
the baseline sum; PD ≥20 % and ≥5 mm increase from the nadir (RECIST 1.1 §4.3.1).

Soft check ``tumour_scan_before_randomization``: a follow-up scan dated before
randomization (no response is derived for it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from oncotrial.core.errors import DomainError
from oncotrial.core.response import (
    AssessmentSettings,
    BaselineLesion,
    LesionStatus,
    NewLesion,
    NewLesionStatus,
    NonTargetReading,
    NonTargetStatus,
    Scan,
    TargetReading,
    assess,
    check_baseline,
)
from oncotrial.core.response.timeline import TimePoint
from oncotrial.services.forms.builders import as_date, boolean, choice, day, decimal, table, text
from oncotrial.services.forms.context import FormContext
from oncotrial.services.forms.spec import Check, FieldError, FormSpec, Severity

CODE = "tumour_assessment"
KINDS = ("target", "non_target", "new")


def baseline_lesions(rows: Sequence[Mapping[str, Any]]) -> list[BaselineLesion]:
    return [
        BaselineLesion(
            lesion_id=str(r["lesion_id"]),
            organ=str(r["organ"]),
            is_lymph_node=bool(r.get("lymph_node", False)),
            is_target=r["kind"] == "target",
            longest_diameter_mm=None if r.get("lymph_node") else r.get("longest_diameter_mm"),
            short_axis_mm=r.get("short_axis_mm"),
            viable_diameter_mm=r.get("viable_diameter_mm"),
        )
        for r in rows
    ]


def scan_of(scan_date: date, rows: Sequence[Mapping[str, Any]], nodes: set[str]) -> Scan:
    targets, non_targets, new = [], [], []
    for r in rows:
        lesion_id = str(r["lesion_id"])
        if r["kind"] == "target":
            status = LesionStatus(r.get("target_status", "present"))
            size = r.get("short_axis_mm") if lesion_id in nodes else r.get("longest_diameter_mm")
            measured = status in (LesionStatus.PRESENT, LesionStatus.TOO_SMALL)
            targets.append(
                TargetReading(
                    lesion_id,
                    status,
                    size if measured else None,
                    viable_diameter_mm=r.get("viable_diameter_mm") if measured else None,
                    coalesced_into=r.get("coalesced_into"),
                )
            )
        elif r["kind"] == "non_target":
            non_targets.append(
                NonTargetReading(
                    lesion_id,
                    NonTargetStatus(r.get("non_target_status", "present")),
                    short_axis_mm=r.get("short_axis_mm"),
                    enhancing=r.get("enhancing"),
                )
            )
        else:
            new.append(NewLesion(lesion_id, NewLesionStatus(r.get("new_status", "unequivocal"))))
    return Scan(scan_date, tuple(targets), tuple(non_targets), tuple(new))


def _point(tp: TimePoint) -> dict[str, Any]:
    return {
        "response": tp.response.value,
        "response_as_read": tp.response_as_read.value,
        "target_response": tp.target_response.value,
        "non_target_response": tp.non_target_response.value,
        "new_lesions": tp.new_lesions.value,
        "sum_mm": tp.sum_mm,
        "baseline_sum_mm": tp.baseline_sum_mm,
        "nadir_mm": tp.nadir_mm,
        "change_from_baseline_pct": tp.change_from_baseline_pct,
        "change_from_nadir_pct": tp.change_from_nadir_pct,
        "notes": list(tp.notes),
    }


def _history(
    ctx: FormContext, on: date, data: Mapping[str, Any]
) -> list[tuple[date, int, Mapping[str, Any]]]:
    others = [
        (d, r.pk, r.data) for r in ctx.records(CODE) if (d := as_date(r.data.get("scan_date"))) is not None
    ]
    return sorted([*others, (on, 2**62, data)], key=lambda t: (t[0], t[1]))


def derive(ctx: FormContext, data: Mapping[str, Any]) -> dict[str, Any]:
    on = as_date(data["scan_date"])
    assert on is not None
    history = _history(ctx, on, data)
    base_date, _, base = history[0]
    if base is data:
        if any(r["kind"] == "new" for r in data["lesions"]):
            raise DomainError("lesions", "new", "target or non_target lesions at baseline (the first scan)")
        checked = check_baseline(baseline_lesions(data["lesions"]))
        return {
            "baseline": True,
            "recist_1_1_sum_mm": None
            if checked.recist.baseline_sum_mm is None
            else float(checked.recist.baseline_sum_mm),
            "mrecist_sum_mm": None
            if checked.mrecist.baseline_sum_mm is None
            else float(checked.mrecist.baseline_sum_mm),
            "targets": len(checked.recist.targets),
            "source": "RECIST 1.1; mRECIST",
        }
    randomized = ctx.randomization_date
    summary: dict[str, Any] = {"baseline": False, "baseline_date": base_date.isoformat()}
    if randomized is None:
        return {**summary, "reason": "the subject is not randomized: no response is derived"}
    if on < randomized:
        return {
            **summary,
            "reason": f"scan before randomization ({randomized.isoformat()}): no response derived",
        }
    lesions = baseline_lesions(base["lesions"])
    nodes = {les.lesion_id for les in lesions if les.is_lymph_node}
    scans = [scan_of(d, rows["lesions"], nodes) for d, _, rows in history[1:] if randomized <= d <= on]
    try:
        sd_days = int(str(ctx.protocol.assumption("sd_minimum_days")))
    except KeyError:
        sd_days = 42
    result = assess(
        lesions, scans, randomization_date=randomized, settings=AssessmentSettings(sd_min_days=sd_days)
    )
    out = dict(summary)
    for key, criterion in (("recist_1_1", result.recist_1_1), ("mrecist", result.mrecist)):
        point = next(tp for tp in reversed(criterion.time_points) if tp.scan_date == on)
        bor = criterion.best_overall_response
        out[key] = {
            **_point(point),
            "best_overall_response": bor.response.value,
            "best_response_date": None if bor.scan_date is None else bor.scan_date.isoformat(),
        }
    out["source"] = "RECIST 1.1 (Eisenhauer 2009); mRECIST (Lencioni & Llovet 2010)"
    return out


def _rows(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    errors, seen = [], set()
    for i, r in enumerate(data.get("lesions", [])):
        if r.get("lesion_id") in seen:
            errors.append(
                FieldError(f"lesions[{i}].lesion_id", r.get("lesion_id"), "a lesion id used once per scan")
            )
        seen.add(r.get("lesion_id"))
        if (
            r.get("kind") == "target"
            and r.get("lymph_node")
            and r.get("longest_diameter_mm") is not None
            and r.get("short_axis_mm") is None
        ):
            errors.append(
                FieldError(
                    f"lesions[{i}].short_axis_mm",
                    None,
                    "the short axis of a nodal target (RECIST 1.1 §3.1.1)",
                )
            )
    return errors


def _before_randomization(ctx: FormContext, data: Mapping[str, Any]) -> list[FieldError]:
    on, randomized = as_date(data.get("scan_date")), ctx.randomization_date
    if on is None or randomized is None or on >= randomized:
        return []
    earlier = [d for r in ctx.records(CODE) if (d := as_date(r.data.get("scan_date"))) is not None and d < on]
    if not earlier:
        return []  # the baseline scan precedes randomization
    return [
        FieldError(
            "scan_date",
            data["scan_date"],
            f"a follow-up scan before randomization ({randomized.isoformat()}): please check the date",
        )
    ]


FORM = FormSpec(
    code=CODE,
    title="Tumour assessment (RECIST 1.1 and mRECIST)",
    visit_bound=True,
    repeating=False,
    date_field="scan_date",
    fields=(
        day("scan_date", "Scan date", required=True),
        choice(
            "modality",
            "Modality",
            ("ct", "mri"),
            required=True,
            help="use the same modality and contrast phase throughout (RECIST 1.1)",
        ),
        table(
            "lesions",
            "Lesions",
            (
                text("lesion_id", "Lesion id", required=True, max_length=20),
                text("organ", "Organ or site", required=True, max_length=100),
                choice("kind", "Kind", KINDS, required=True),
                boolean("lymph_node", "Lymph node"),
                decimal("longest_diameter_mm", "Longest diameter (mm)", minimum=0, maximum=500),
                decimal("short_axis_mm", "Short axis, nodes (mm)", minimum=0, maximum=300),
                decimal(
                    "viable_diameter_mm", "Viable (enhancing) diameter, mRECIST (mm)", minimum=0, maximum=500
                ),
                choice("target_status", "Target status at follow-up", [s.value for s in LesionStatus]),
                text("coalesced_into", "Coalesced into lesion", max_length=20),
                choice(
                    "non_target_status", "Non-target status at follow-up", [s.value for s in NonTargetStatus]
                ),
                boolean("enhancing", "Non-target still enhancing (mRECIST)"),
                choice(
                    "new_status",
                    "New lesion",
                    [NewLesionStatus.EQUIVOCAL.value, NewLesionStatus.UNEQUIVOCAL.value],
                ),
            ),
            required=True,
            max_rows=40,
        ),
        text("comment", "Comment", max_length=2000),
    ),
    derive=derive,
    checks=(
        Check("tumour_rows", Severity.HARD, "lesion ids unique; nodal targets by short axis", _rows),
        Check(
            "tumour_scan_before_randomization",
            Severity.SOFT,
            "follow-up scan before randomization",
            _before_randomization,
        ),
    ),
)
