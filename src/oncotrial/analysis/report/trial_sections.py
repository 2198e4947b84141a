"""Report sections on the conduct of the trial: CONSORT flow, baseline, exposure and safety.

Safety counts follow :func:`oncotrial.core.endpoints.safety.summarise_safety`: the safety
population by arm received, treatment-emergent AEs (onset on or after the first dose;
ICH E3 §12.2), each patient counted once per row at the worst CTCAE v5.0 grade.
"""

from __future__ import annotations

from collections import defaultdict

from oncotrial.analysis.report.baseline import Categorical
from oncotrial.analysis.report.efficacy_sections import slug
from oncotrial.analysis.report.markup import count_pct, esc, interval, method, num, section, stat, table
from oncotrial.analysis.report.numbers import ReportNumbers
from oncotrial.core.endpoints.populations import safety_arm, safety_population
from oncotrial.core.endpoints.safety import ArmSafety, treatment_emergent


def consort_section(numbers: ReportNumbers, figures: dict[str, str]) -> str:
    c = numbers.consort
    rows = [
        ["Assessed for eligibility", num("consort.assessed", c.assessed), ""],
        [
            "Not randomized",
            num("consort.excluded", sum(c.excluded.values())),
            "; ".join(f"{esc(r)}: {num(f'consort.excluded.{slug(r)}', n)}" for r, n in c.excluded.items()),
        ],
        ["Randomized", num("consort.randomized", c.randomized), ""],
    ]
    for f in c.arms:
        k = f"consort.{slug(f.arm)}"
        rows += [
            [f"{esc(f.arm)}: allocated", num(f"{k}.allocated", f.allocated), ""],
            [
                f"{esc(f.arm)}: received allocated intervention",
                num(f"{k}.received", f.received),
                "; ".join(f"not treated, {esc(r)}: {n}" for r, n in f.not_received.items()),
            ],
            [
                f"{esc(f.arm)}: discontinued intervention",
                num(f"{k}.discontinued", sum(f.discontinued.values())),
                "; ".join(
                    f"{esc(r)}: {num(f'{k}.discontinued.{slug(r)}', n)}" for r, n in f.discontinued.items()
                ),
            ],
            [f"{esc(f.arm)}: on treatment at data cut-off", num(f"{k}.ongoing", f.ongoing), ""],
            [f"{esc(f.arm)}: lost to follow-up", num(f"{k}.lost_to_follow_up", f.lost_to_follow_up), ""],
            [f"{esc(f.arm)}: analysed (ITT)", num(f"{k}.analysed", f.analysed), ""],
        ]
    body = (
        figures.get("consort", "")
        + table(["Step", "n", "Reasons"], rows, table_id="consort-counts", left=(0, 2))
        + method(
            "all patients screened",
            "CONSORT 2010 (Schulz et al., BMJ 2010;340:c332); counts "
            "checked to add up at every step before drawing.",
        )
    )
    return section("consort", "Participant flow", body)


def baseline_section(numbers: ReportNumbers) -> str:
    arms = list(numbers.data.arms)
    sizes = {a: sum(p.arm == a for p in numbers.data.patients) for a in arms}
    rows = []
    for row in numbers.baseline:
        if isinstance(row, Categorical):
            rows.append([f"<b>{esc(row.label)}</b>", *[""] * len(arms)])
            for level in row.levels:
                rows.append(
                    [
                        f"&nbsp;&nbsp;{esc(level)}",
                        *[
                            count_pct(
                                f"baseline.{row.key}.{slug(level)}.{slug(a)}", row.counts[a][level], sizes[a]
                            )
                            for a in arms
                        ],
                    ]
                )
        else:
            cells = []
            for a in arms:
                med, q1, q3, _n = row.values[a]
                k = f"baseline.{row.key}.{slug(a)}"
                cells.append(f"{num(k + '.median', med, 1)} ({interval(k, q1, q3, digits=1)})")
            rows.append([f"<b>{esc(row.label)}</b>, median (IQR)", *cells])
    header = [
        "Characteristic",
        *[f"{esc(a)} (n = {stat(f'baseline.n.{slug(a)}', sizes[a], str(sizes[a]))})" for a in arms],
    ]
    body = table(header, rows, table_id="baseline-table") + method(
        "ITT, by randomized arm",
        "n (%) of the arm; median and interquartile range (R "
        "<code>quantile</code> type 7). No statistical tests (CONSORT item 15).",
    )
    return section("baseline", "Baseline characteristics", body)


def exposure_section(numbers: ReportNumbers) -> str:
    cycles = [
        [
            esc(c.arm),
            num(f"exposure.cycles.{slug(c.arm)}.patients", c.patients),
            f"{num(f'exposure.cycles.{slug(c.arm)}.median', c.median, 1)} "
            f"({interval(f'exposure.cycles.{slug(c.arm)}', c.q1, c.q3, digits=1)})",
            f"{num(f'exposure.cycles.{slug(c.arm)}.min', c.minimum)}–"
            f"{num(f'exposure.cycles.{slug(c.arm)}.max', c.maximum)}",
        ]
        for c in numbers.cycles
    ]
    rdi = []
    frame = numbers.analysis.dose_intensity
    mods = {(m.arm, m.drug): m for m in numbers.modifications}
    for r in frame.itertuples() if not frame.empty else []:
        k = f"exposure.{slug(r.arm)}.{slug(r.drug)}"
        m = mods.get((str(r.arm), str(r.drug)))
        rdi.append(
            [
                f"{esc(r.arm)}: {esc(r.drug)}",
                num(f"{k}.patients", int(r.patients)),
                num(f"{k}.median_rdi", r.median_rdi, 3),
                num(f"{k}.mean_rdi", r.mean_rdi, 3),
                num(f"{k}.doses_planned", m.planned) if m else "",
                num(f"{k}.doses_reduced", m.reduced) if m else "",
                num(f"{k}.doses_omitted", m.omitted) if m else "",
            ]
        )
    body = (
        table(
            ["Arm", "Treated patients", "Cycles, median (IQR)", "Range"], cycles, table_id="exposure-cycles"
        )
        + table(
            ["Arm: drug", "Patients", "Median RDI", "Mean RDI", "Doses planned", "Reduced", "Omitted"],
            rdi,
            table_id="exposure-rdi",
        )
        + method(
            "safety population (at least one dose), by arm received",
            "a cycle counts when any drug "
            "was given in it; relative dose intensity (RDI) = delivered / planned cumulative dose "
            "per drug; a dose is reduced when more than 1% below plan and omitted when none was given.",
        )
    )
    return section("exposure", "Exposure and relative dose intensity", body)


def _safety(numbers: ReportNumbers) -> tuple[ArmSafety, ...]:
    """The analysis's per-arm safety summaries, in the trial's arm order."""
    rank = {arm: i for i, arm in enumerate(numbers.data.arms)}
    return tuple(sorted(numbers.analysis.safety, key=lambda s: rank.get(s.arm, len(rank))))


def _overview(safety: tuple[ArmSafety, ...]) -> str:
    items = (
        ("any_ae", "Any treatment-emergent AE"),
        ("grade_3_or_more", "Grade ≥ 3 AE"),
        ("serious", "Serious AE"),
        ("led_to_discontinuation", "AE leading to discontinuation"),
        ("fatal", "Fatal AE (grade 5)"),
        ("deaths", "Deaths (any cause)"),
        ("haic_procedure_complications", "HAIC procedure complication"),
    )
    rows = [
        [esc(label), *[count_pct(f"safety.{slug(s.arm)}.{key}", getattr(s, key), s.patients) for s in safety]]
        for key, label in items
    ]
    header = [
        "Patients with",
        *[f"{esc(s.arm)} (n = {num(f'safety.{slug(s.arm)}.patients', s.patients)})" for s in safety],
    ]
    return table(header, rows, table_id="safety-overview")


def _terms(safety: tuple[ArmSafety, ...]) -> str:
    by_term: dict[str, dict[str, tuple[int, int]]] = defaultdict(dict)
    for s in safety:
        for t in s.terms:
            by_term[t.term][s.arm] = (t.patients_any_grade, t.patients_grade_3_or_more)
    order = sorted(by_term, key=lambda term: (-sum(v[0] for v in by_term[term].values()), term))
    rows = []
    for term in order:
        cells = [esc(term)]
        for s in safety:
            anyg, g3 = by_term[term].get(s.arm, (0, 0))
            k = f"safety.term.{slug(term)}.{slug(s.arm)}"
            cells += [count_pct(f"{k}.any", anyg, s.patients), count_pct(f"{k}.grade3plus", g3, s.patients)]
        rows.append(cells)
    header = [
        "Term (CTCAE v5.0)",
        *[h for s in safety for h in (f"{esc(s.arm)}: any grade", f"{esc(s.arm)}: grade ≥ 3")],
    ]
    return table(header, rows, table_id="safety-terms")


def _flagged(numbers: ReportNumbers, which: str) -> str:
    """Patients per term (worst grade) for serious AEs (``which="sae"``) or HAIC complications."""
    treated = safety_population(numbers.data.patients)
    arms = [s.arm for s in _safety(numbers)]
    sizes = {s.arm: s.patients for s in _safety(numbers)}
    worst: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for p in treated:
        for ae in treatment_emergent(p):
            if ae.serious if which == "sae" else ae.haic_procedure:
                seen = worst[ae.term][safety_arm(p)]
                seen[p.patient_id] = max(seen.get(p.patient_id, 0), ae.grade)
    if not worst:
        return "<p>None reported.</p>"
    rows = []
    for term in sorted(worst, key=lambda t: (-sum(len(v) for v in worst[t].values()), t)):
        cells = [esc(term)]
        for arm in arms:
            grades = list(worst[term][arm].values()) if arm in worst[term] else []
            k = f"safety.{which}.{slug(term)}.{slug(arm)}"
            cells += [
                count_pct(k, len(grades), sizes[arm]),
                num(f"{k}.grade3plus", sum(g >= 3 for g in grades)),
            ]
        rows.append(cells)
    header = ["Term", *[h for a in arms for h in (f"{esc(a)}: patients (%)", f"{esc(a)}: grade ≥ 3")]]
    return table(header, rows, table_id=f"safety-{which}")


def safety_section(numbers: ReportNumbers) -> str:
    s = _safety(numbers)
    pop = "safety population (at least one dose), by arm received"
    how = (
        "treatment-emergent AEs (onset on or after the first dose), CTCAE v5.0; each patient counted once "
        "per row at the worst grade; % of the arm's safety population."
    )
    body = (
        "<h3>Overview</h3>"
        + _overview(s)
        + method(pop, how)
        + "<h3>Adverse events by term and worst grade</h3>"
        + _terms(s)
        + method(pop, how)
        + "<h3>Serious adverse events</h3>"
        + _flagged(numbers, "sae")
        + method(pop, how)
        + "<h3>HAIC procedure complications</h3>"
        + _flagged(numbers, "haic")
        + method(
            pop,
            how + " HAIC complications: access site, hepatic artery, catheter, non-target "
            "perfusion and infusion-related events flagged by the investigator.",
        )
    )
    return section("safety", "Safety", body)
