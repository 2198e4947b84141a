"""Efficacy sections of the report: primary endpoint, PFS/OS, response, DoR and subgroups.

Every value comes from :class:`~oncotrial.analysis.report.numbers.ReportNumbers` (the
analysis functions); this module only lays it out, with its population and method.
"""

from __future__ import annotations

import math
import re

from oncotrial.analysis.kaplan_meier import fit_by_group
from oncotrial.analysis.plotting import numbers_at_risk, survival_inputs
from oncotrial.analysis.plotting.style import time_ticks
from oncotrial.analysis.report.markup import (
    count_pct,
    esc,
    estimate_ci,
    method,
    num,
    p_value,
    pct,
    section,
    stat,
    table,
)
from oncotrial.analysis.report.numbers import ReportNumbers
from oncotrial.analysis.trial_analysis import DAYS_PER_MONTH
from oncotrial.core.response.criteria import Criterion

CRITERIA = {Criterion.RECIST_1_1: "recist", Criterion.MRECIST: "mrecist"}
_SYMBOLS = (
    ("<=", "le"),
    (">=", "ge"),
    ("≤", "le"),
    ("≥", "ge"),
    ("<", "lt"),
    (">", "gt"),
    ("=", "eq"),
    ("+", "pos"),
    ("-", "neg"),
)


def slug(text: object) -> str:
    """A stable ``data-stat`` key part: comparison signs spelled out, other runs of symbols → ``_``."""
    out = str(text).lower()
    for symbol, word in _SYMBOLS:
        out = out.replace(symbol, f"_{word}_")
    return re.sub(r"[^a-z0-9]+", "_", out).strip("_")


def _itt(numbers: ReportNumbers) -> str:
    n = numbers.analysis.populations["ITT"]
    return f"intention-to-treat (ITT), all {n} randomized patients, by randomized arm"


def primary_section(numbers: ReportNumbers) -> str:
    a = numbers.analysis
    lm = a.pfs6
    days = a.landmark_days
    rows = []
    for arm, r in lm.arms.iterrows():
        k = f"pfs6.{slug(arm)}"
        rows.append(
            [
                esc(arm),
                num(f"{k}.n", int(r["n"])),
                num(f"{k}.events", _int(r["events"])),
                num(f"{k}.n_risk", _int(r["n_risk"])),
                estimate_ci(f"{k}.rate", r["survival"], r["lower_loglog"], r["upper_loglog"], percent=True),
                estimate_ci(f"{k}.rate_log", r["survival"], r["lower_log"], r["upper_log"], percent=True),
            ]
        )
    main = table(
        [
            "Arm",
            "n",
            f"Events by day {days}",
            f"At risk at day {days}",
            "6-month PFS rate, % (95% CI log-log)",
            "% (95% CI log)",
        ],
        rows,
        table_id="primary-rates",
    )
    diff = (
        f'<p class="result">Difference {esc(lm.experimental)} − {esc(lm.control)}: '
        f"{estimate_ci('pfs6.difference', lm.difference, lm.lower, lm.upper, percent=True)} "
        "percentage points; "
        f"Z = {num('pfs6.z', lm.z, 3)}, two-sided p = {p_value('pfs6.p', lm.p_value)}.</p>"
    )
    binary = []
    for r in a.pfs6_binary.itertuples():
        k = f"pfs6_binary.{slug(r.arm)}"
        binary.append(
            [
                esc(r.arm),
                num(f"{k}.n", int(r.n)),
                num(f"{k}.progression_free", int(r.progression_free)),
                num(f"{k}.progressed_or_died", int(r.progressed_or_died)),
                num(f"{k}.censored_before_landmark", int(r.censored_before_landmark)),
                pct(f"{k}.rate_excluding_censored", r.rate_excluding_censored),
                estimate_ci(
                    f"{k}.rate_censored_as_failure",
                    r.rate_censored_as_failure,
                    r.lower_censored_as_failure,
                    r.upper_censored_as_failure,
                    percent=True,
                ),
            ]
        )
    sens = table(
        [
            "Arm",
            "n",
            f"Progression-free beyond day {days}",
            "Progressed or died",
            "Censored before",
            "Rate excluding censored, %",
            "Rate, censored = failure, % (95% CI)",
        ],
        binary,
        table_id="primary-binary",
    )
    rm = a.rmst
    lo, hi = f"lower_{rm.conf_level:g}", f"upper_{rm.conf_level:g}"
    rmst_rows = [
        [
            esc(arm),
            num(f"rmst.{slug(arm)}.n", int(r["n"])),
            estimate_ci(f"rmst.{slug(arm)}.rmst", r["rmst"], r[lo], r[hi]),
        ]
        for arm, r in rm.arms.iterrows()
    ]
    d = rm.contrasts.loc["RMST difference", ["estimate", "se", lo, hi, "p"]]
    rmst = (
        table(["Arm", "n", "RMST, months (95% CI)"], rmst_rows, table_id="primary-rmst")
        + '<p class="result">RMST difference: '
        + estimate_ci("rmst.difference", d.iloc[0], d.iloc[2], d.iloc[3])
        + f" months, p = {p_value('rmst.difference.p', d.iloc[4])} (τ = {rm.tau:.1f} months).</p>"
    )
    body = (
        f"<h3>Primary analysis: Kaplan–Meier rate at day {days}</h3>{main}{diff}"
        + method(
            _itt(numbers),
            f"PFS per RECIST 1.1 (investigator), FDA 2018 censoring rules; Kaplan–Meier "
            f"estimate at day {days} with Greenwood SE (R <code>summary(survfit(), times=)</code>), "
            "log-log and log pointwise 95% CIs; difference with a Wald 95% CI and Z-test "
            "(Klein &amp; Moeschberger §7.8).",
        )
        + "<h3>Sensitivity analysis 1: binary 6-month PFS</h3>"
        + sens
        + method(
            _itt(numbers),
            f"patients progression-free beyond day {days} among all patients (censored "
            "before the landmark counted as failures; exact Clopper–Pearson 95% CI), and among those "
            "with known status (censored excluded).",
        )
        + "<h3>Sensitivity analysis 2: restricted mean PFS time</h3>"
        + rmst
        + method(
            _itt(numbers),
            f"area under the Kaplan–Meier curve up to τ ({esc(rm.tau_note)}); survRM2 variance, Wald 95% CI.",
        )
    )
    return section("primary", f"Primary endpoint: {round(days / DAYS_PER_MONTH)}-month PFS rate", body)


def _int(value: object) -> int | None:
    try:
        f = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else int(f)


def _survival_block(numbers: ReportNumbers, key: str) -> str:
    ep = numbers.endpoints[key]
    rows = []
    for r in ep.medians.itertuples():
        k = f"{key}.{slug(r.arm)}"
        rows.append(
            [
                esc(r.arm),
                num(f"{k}.n", int(r.n)),
                count_pct(f"{k}.events", int(r.events), int(r.n)),
                estimate_ci(f"{k}.median", r.median_months, r.lower, r.upper, digits=1),
            ]
        )
    tests = [
        f"Log-rank χ² = {num(f'{key}.logrank.chisq', ep.logrank.chisq, 3)}, "
        f"p = {p_value(f'{key}.logrank.p', ep.logrank.p_value)}"
    ]
    if ep.stratified_logrank is not None:
        s = ep.stratified_logrank
        tests.insert(
            0,
            f"Stratified log-rank χ² = {num(f'{key}.stratified_logrank.chisq', s.chisq, 3)}, "
            f"p = {p_value(f'{key}.stratified_logrank.p', s.p_value)}",
        )
    hrs = []
    for name, fit in (("stratified_cox", numbers.stratified_cox[key]), ("cox", ep.cox)):
        if fit is None:
            continue
        ci = fit.confidence_intervals_.iloc[0]
        label = "Stratified HR" if name == "stratified_cox" else "Unstratified HR"
        hrs.append(
            f"{label} {esc(numbers.analysis.experimental)} vs {esc(numbers.data.control_arm)}: "
            f"{estimate_ci(f'{key}.{name}.hr', float(fit.hazard_ratios_.iloc[0]), ci.iloc[0], ci.iloc[1])}, "
            f"Wald p = {p_value(f'{key}.{name}.p', float(fit.summary['p'].iloc[0]))}"
        )
    strata = " × ".join(numbers.stratification) or "none"
    return (
        f"<h3>{esc(ep.name)}</h3>"
        + table(["Arm", "n", "Events, n (%)", "Median, months (95% CI)"], rows, table_id=f"{key}-medians")
        + f'<p class="result">{"; ".join(tests)}.<br>{"<br>".join(hrs)}.</p>'
        + method(
            _itt(numbers),
            "Kaplan–Meier (R <code>survfit</code>), median by <code>quantile.survfit</code> "
            "with log 95% CI; log-rank (R <code>survdiff</code>) unstratified and stratified by "
            f"{esc(strata)}; Cox proportional hazards, Efron ties (R <code>coxph</code>), stratified by "
            "the same factors, Wald 95% CI. Times in months of 30.4375 days.",
        )
    )


def at_risk_table(numbers: ReportNumbers, key: str) -> str:
    """Patients at risk under each x-axis tick of the KM figure (R ``summary(fit, times=)$n.risk``)."""
    t, e, a = survival_inputs(numbers.endpoints[key].rows)
    fits = {str(k): v for k, v in fit_by_group(t, e, a).items()}
    ticks = time_ticks(max(float(km.timeline_[-1]) for km in fits.values()))
    rows = [
        [
            esc(arm),
            *[
                num(f"{key}.at_risk.{slug(arm)}.{tick:g}", int(n))
                for tick, n in zip(ticks, numbers_at_risk(fits[arm], ticks), strict=True)
            ],
        ]
        for arm in numbers.data.arms
        if arm in fits
    ]
    return table(
        ["Number at risk / month", *[f"{tick:g}" for tick in ticks]], rows, table_id=f"{key}-at-risk"
    )


def survival_section(numbers: ReportNumbers, figures: dict[str, str]) -> str:
    parts = []
    for key in ("pfs", "os", "pfs_mrecist"):
        parts.append(
            _survival_block(numbers, key) + figures.get(f"km_{key}", "") + at_risk_table(numbers, key)
        )
    return section("survival", "Progression-free and overall survival", "".join(parts))


def response_section(numbers: ReportNumbers, figures: dict[str, str]) -> str:
    a = numbers.analysis
    rows = []
    for rate in a.rates:
        k0 = f"{rate.name.lower()}.{CRITERIA[rate.criterion]}"
        cells = [f"{esc(rate.name)}, {esc(rate.criterion.value)}"]
        for r in rate.counts.itertuples():
            k = f"{k0}.{slug(r.arm)}"
            cells.append(
                f"{num(k + '.responders', int(r.responders))}/{num(k + '.n', int(r.n))} "
                f"({estimate_ci(k + '.rate', r.rate, r.lower, r.upper, percent=True)})"
            )
        d = rate.difference
        cells.append(estimate_ci(f"{k0}.difference", d.difference, d.lower, d.upper, percent=True))
        cells.append(p_value(f"{k0}.fisher_p", rate.fisher.p_value))
        cells.append(p_value(f"{k0}.cmh_p", rate.cmh.p_value) if rate.cmh is not None else "NE")
        rows.append(cells)
    arms = [str(x) for x in a.rates[0].counts["arm"]] if a.rates else list(numbers.data.arms)
    header = [
        "Endpoint",
        *[f"{esc(arm)}: n/N (%, 95% CI)" for arm in arms],
        f"Difference {esc(a.experimental)} − {esc(numbers.data.control_arm)}, % (95% CI)",
        "Fisher p",
        "CMH p",
    ]
    dor_rows = (
        [
            [
                esc(r.arm),
                num(f"dor.{slug(r.arm)}.n", int(r.n)),
                num(f"dor.{slug(r.arm)}.events", int(r.events)),
                estimate_ci(f"dor.{slug(r.arm)}.median", r.median_months, r.lower, r.upper, digits=1),
            ]
            for r in a.dor.itertuples()
        ]
        if not a.dor.empty
        else []
    )
    dor = (
        table(
            ["Arm", "Responders", "Progressed or died", "Median DoR, months (95% CI)"],
            dor_rows,
            table_id="dor",
        )
        if dor_rows
        else "<p>No responders.</p>"
    )
    body = (
        table(header, rows, table_id="response-rates")
        + method(
            _itt(numbers),
            "best overall response per RECIST 1.1 and mRECIST (SD at least "
            "the protocol's minimum duration; assessments after new anticancer therapy ignored); "
            "ORR = CR + PR, DCR = CR + PR + SD; exact Clopper–Pearson 95% CIs; difference with the "
            "Newcombe (Wilson score) 95% CI; Fisher exact test; Cochran–Mantel–Haenszel test "
            "stratified by the randomization strata.",
        )
        + "<h3>Duration of response (RECIST 1.1)</h3>"
        + dor
        + method(
            "responders per RECIST 1.1 in the ITT population",
            "from the first CR or PR to progression "
            "or death with the PFS censoring rules; Kaplan–Meier median with log 95% CI.",
        )
        + "".join(figures.get(k, "") for k in ("waterfall_recist", "waterfall_mrecist", "spider", "swimmer"))
        + method(
            "patients with at least one post-baseline target-lesion measurement (waterfall, spider); "
            "treated patients (swimmer)",
            "best (smallest) % change of the target sum from baseline "
            "up to progression, cut-off or new therapy; bars coloured by best overall response.",
        )
    )
    return section("response", "Tumour response", body)


def subgroup_section(numbers: ReportNumbers, figures: dict[str, str]) -> str:
    rows = []
    for r in numbers.subgroups:
        k = f"subgroup.{slug(r['subgroup'])}.{slug(r['level'])}"
        hr = r["hr"]
        ok = hr is not None and math.isfinite(hr)
        rows.append(
            [
                f"{esc(r['subgroup'])}: {esc(r['level'])}",
                num(f"{k}.n", int(r["n"])),
                estimate_ci(f"{k}.hr", hr, r["lower"], r["upper"]) if ok else stat(f"{k}.hr", None, "NE"),
                p_value(f"{k}.p", r["p"]) if ok else "NE",
            ]
        )
    body = (
        figures.get("forest", "")
        + table(["Subgroup", "n", "HR (95% CI)", "p"], rows, table_id="subgroup-table")
        + method(
            _itt(numbers),
            "PFS per RECIST 1.1; Cox proportional hazards with Efron ties within each "
            "subgroup level (unstratified), Wald 95% CI; NE when a level has no events in one arm. "
            "Exploratory: no adjustment for multiplicity.",
        )
    )
    return section("subgroups", "PFS by subgroup (forest plot)", body)
