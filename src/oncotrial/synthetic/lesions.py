"""Baseline lesions of advanced ICC, with RECIST 1.1 target selection and mRECIST viable diameters.

Distributions (clinical-content.md §2.5, "Proposed generator defaults" [ASSUMP] unless
stated):

* intrahepatic lesions: solitary 45 %, 2–3 lesions 20 %, > 3 (4–8) 35 %;
* largest intrahepatic lesion: log-normal, median 75 mm, σ = 0.45 (IQR ≈ 55–102 mm,
  §2.5 "IQR 50–100"), clipped to 15–190 mm (German cohort range 14–189 mm, §2.5);
  satellites 15–65 % of it [ASSUMP];
* viable (arterially enhancing) diameter of a liver lesion: 55–90 % of its longest
  diameter: mass-forming ICC enhances at the rim (§3.2 caveat) [ASSUMP];
* regional (hilar) lymph-node metastasis 60 % (§2.5: 55–65 %), short axis of the
  largest node 15–32 mm (measurable) in 55 % of them, else 10–14.9 mm (non-target);
* distant metastasis given by the caller (§2.5: 40–55 %): lung 35 %, peritoneum 30 %,
  retroperitoneal nodes 25 %, bone 15 % (relative, German cohort §2.5) [ASSUMP].

Targets follow RECIST 1.1 §4.2 (Eisenhauer 2009): measurable lesions (non-nodal LD ≥
10 mm at 5-mm slices, nodes SA ≥ 15 mm), largest first, at most 5 in total and 2 per
organ, all lymph nodes counting as one organ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.model import Lesion

SLICE_MM = 5.0
MAX_TARGETS = 5
MAX_PER_ORGAN = 2


@dataclass(frozen=True, slots=True)
class _Raw:
    organ: str
    node: bool
    size: float
    viable: float | None
    measured: bool = True

    @property
    def measurable(self) -> bool:
        if not self.measured:
            return False
        return self.size >= 15.0 if self.node else self.size >= max(10.0, 2 * SLICE_MM)


def _r(x: float) -> float:
    return round(x, 1)


def _liver(d: Draws, *, measurable: bool) -> list[_Raw]:
    k = d.choice((0.45, 0.20, 0.35))
    count = 1 if k == 0 else d.integer(2, 3) if k == 1 else d.integer(4, 8)
    if not measurable:
        return [_Raw("liver", False, _r(d.uniform(6.0, 9.4)), None) for _ in range(count)]
    largest = min(max(d.lognormal(75.0, 0.45), 15.0), 190.0)
    sizes = [largest] + [max(6.0, largest * d.uniform(0.15, 0.65)) for _ in range(count - 1)]
    return [_Raw("liver", False, _r(s), _r(s * d.uniform(0.55, 0.90))) for s in sizes]


def _regional_nodes(d: Draws, *, measurable: bool) -> list[_Raw]:
    first = d.uniform(15.0, 32.0) if measurable and d.bernoulli(0.55) else d.uniform(10.0, 14.9)
    nodes = [_Raw("hepatic hilum", True, _r(first), None)]
    if d.bernoulli(0.4):
        nodes.append(_Raw("hepatic hilum", True, _r(d.uniform(10.0, 14.9)), None))
    return nodes


def _distant(d: Draws, *, measurable: bool) -> list[_Raw]:
    out: list[_Raw] = []
    weights = (0.35, 0.30, 0.25, 0.15)
    first = d.choice(weights)
    sites = {first}
    if d.bernoulli(0.3):
        sites.add(d.choice(weights))
    for s in sorted(sites):
        if s == 0:
            for _ in range(d.integer(1, 3)):
                size = d.uniform(6.0, 25.0) if measurable else d.uniform(5.0, 9.4)
                out.append(_Raw("lung", False, _r(size), None))
        elif s == 1:
            out.append(_Raw("peritoneum", False, _r(d.uniform(6.0, 9.4)), None))
        elif s == 2:
            size = d.uniform(10.0, 24.0) if measurable else d.uniform(10.0, 14.9)
            out.append(_Raw("retroperitoneum", True, _r(size), None))
        else:
            out.append(_Raw("bone", False, _r(d.uniform(5.0, 9.4)), None))  # lytic, < 10 mm soft tissue
    return out


def baseline_lesions(
    d: Draws, *, imaged_on: date, regional_nodes: bool, distant: bool, measurable: bool = True
) -> tuple[Lesion, ...]:
    """Lesions with RECIST targets selected; ``measurable=False`` makes none measurable."""
    raw = _liver(d, measurable=measurable)
    if regional_nodes:
        raw += _regional_nodes(d, measurable=measurable)
    if distant:
        raw += _distant(d, measurable=measurable)
    ranked = sorted(range(len(raw)), key=lambda i: (-raw[i].measurable, -raw[i].size, i))
    per_organ: dict[str, int] = {}
    targets: set[int] = set()
    for i in ranked:
        x = raw[i]
        if not x.measurable or len(targets) >= MAX_TARGETS:
            continue
        organ = "lymph node" if x.node else x.organ
        if per_organ.get(organ, 0) >= MAX_PER_ORGAN:
            continue
        per_organ[organ] = per_organ.get(organ, 0) + 1
        targets.add(i)
    out: list[Lesion] = []
    t = nt = 0
    for i in ranked:
        x = raw[i]
        is_target = i in targets
        if is_target:
            t += 1
            lesion_id = f"T{t}"
        else:
            nt += 1
            lesion_id = f"NT{nt}"
        viable = x.viable if x.viable is not None else (x.size if not x.node and is_target else None)
        out.append(
            Lesion(
                lesion_id=lesion_id,
                organ=x.organ,
                is_lymph_node=x.node,
                is_target=is_target,
                longest_diameter_mm=None if x.node or not x.measured else x.size,
                short_axis_mm=x.size if x.node else None,
                viable_diameter_mm=viable,
                slice_thickness_mm=SLICE_MM,
                imaged_on=imaged_on,
            )
        )
    return tuple(out)
