"""Baseline physiology of an eligible-looking candidate (clinical-content.md §2.5).

Distributions ("Proposed generator defaults" of §2.5 [ASSUMP] unless stated):

* age Normal(57, 10) truncated to 18–80 (Zhongshan phase 2: mean 56.5, range 25–73);
* male 60 % (resected Chinese cohort 62.8 %; Zhongshan 63 %);
* weight male Normal(65, 10), female Normal(56, 8) kg; height male Normal(168, 6),
  female Normal(157, 5) cm;
* HBsAg-positive 42 % (§2.5: 35–50 %), anti-HCV-positive 3 % (2–5 %);
* ECOG 0: 55 %, 1: 45 %;
* Child-Pugh score A5 70 %, A6 22 %, B7 6 %, B8 1.4 %, B9 0.6 % (§2.5 "B8–9 2 %"),
  built from its inputs: each point above 5 goes to albumin 28–35 g/L (weight 0.45),
  bilirubin 34–51 µmol/L (0.30), ascites (0.20) or encephalopathy (0.05) [ASSUMP];
* CA19-9: 27 % ≤ 37 U/mL (uniform 2–37), otherwise 37 + log-normal(median 232,
  σ 2.71), giving an overall median ≈ 100 U/mL and ≈ 22 % > 1,000 U/mL. §2.5's three
  anchors (median 80, 25–30 % ≤ 37, ≈ 30 % > 1,000) cannot all hold; the ≤ 37 share is
  kept [ASSUMP];
* CEA log-normal, median 4 ng/mL, σ 1.0 (§2.5);
* labs inside the inclusion limits (§2.5/§6), about 12 % with AST/ALT above the ULN
  and 15 % with bilirubin above the ULN, so that the CTCAE baseline-abnormal branch
  (§3.3) is exercised (§2.5 asks for 10–20 %);
* disease status: initially unresectable 85 %, recurrent 15 % (§2.5); regional nodes
  60 %, distant (extrahepatic) metastasis 45 %, macrovascular invasion 25 % (§2.5).

Dates: consent 0–3 days before screening, labs 0–4 days (protocol lab recency 14 days),
imaging 3–20 days (imaging recency 28 days) [ASSUMP].
"""

from __future__ import annotations

from datetime import date, timedelta

from oncotrial.core.units import Measurand
from oncotrial.synthetic.draws import Draws
from oncotrial.synthetic.lesions import baseline_lesions
from oncotrial.synthetic.model import BaselineProfile, LabPanel, LabValue, SiteRanges, lab

M = Measurand

FACT_NAMES: tuple[str, ...] = (
    "histology_confirmed_icc",
    "unresectable_by_mdt",
    "other_malignancy",
    "prior_anticancer_therapy",
    "allergy_to_study_drugs",
    "uncontrolled_comorbidity",
    "active_infection",
    "pregnancy_or_lactation",
    "refuses_study_procedures",
    "gi_bleeding",
)


def child_pugh_points(d: Draws, bili_uln: float) -> tuple[int, int, int, int, int]:
    """(target score, albumin points, bilirubin points, ascites points, encephalopathy points)."""
    score = 5 + d.choice((0.70, 0.22, 0.06, 0.014, 0.006))
    pts = {"alb": 1, "bili": 1, "asc": 1, "enc": 1}
    cap = {"alb": 2, "bili": 3 if 3 * bili_uln > 53.0 else 2, "asc": 3, "enc": 2}
    names = ("alb", "bili", "asc", "enc")
    weights = (0.45, 0.30, 0.20, 0.05)
    for _ in range(score - 5):
        w = [weights[i] if pts[n] < cap[n] else 0.0 for i, n in enumerate(names)]
        pts[names[d.choice(w)]] += 1
    return score, pts["alb"], pts["bili"], pts["asc"], pts["enc"]


def screening_labs(
    d: Draws, *, on: date, sex: str, ranges: SiteRanges, alb_pts: int, bili_pts: int
) -> tuple[LabValue, ...]:
    """Screening panel inside the NCT07304388 inclusion limits (canonical units)."""
    male = sex == "M"
    wbc = d.truncated_normal(6.0, 1.8, 2.6, 12.0)
    neut = wbc * d.uniform(0.50, 0.72)
    hgb = (
        d.truncated_normal(132.0, 14.0, 96.0, 170.0) if male else d.truncated_normal(120.0, 12.0, 96.0, 160.0)
    )
    plat = min(max(d.lognormal(200.0, 0.30), 85.0), 450.0)
    alb = d.uniform(35.5, 46.0) if alb_pts == 1 else d.uniform(30.5, 34.8)
    bili_uln = ranges.uln(M.BILIRUBIN)
    if bili_pts == 1:
        bili = (
            d.uniform(bili_uln * 1.05, min(33.5, 2.8 * bili_uln))
            if d.bernoulli(0.15)
            else d.uniform(5.0, bili_uln * 0.95)
        )
    elif bili_pts == 2:
        bili = d.uniform(34.5, min(50.5, 2.9 * bili_uln))
    else:
        bili = d.uniform(51.8, 2.9 * bili_uln)
    abnormal_liver = d.bernoulli(0.12)
    ast_uln, alt_uln = ranges.uln(M.AST), ranges.uln(M.ALT)
    if abnormal_liver:
        ast = ast_uln * d.uniform(1.1, 3.5)
        alt = alt_uln * d.uniform(1.1, 3.5)
    else:
        ast = ast_uln * d.uniform(0.5, 0.97)
        alt = alt_uln * d.uniform(0.3, 0.97)
    creat_uln = ranges.uln(M.CREATININE)
    creat = (
        d.truncated_normal(80.0, 14.0, 45.0, 1.3 * creat_uln)
        if male
        else d.truncated_normal(62.0, 11.0, 40.0, 1.3 * creat_uln)
    )
    pt = d.uniform(11.0, 14.2)
    inr = min(max(pt / 12.2 + d.normal(0.0, 0.03), 0.85), 1.22)
    ca19_9 = d.uniform(2.0, 37.0) if d.bernoulli(0.27) else min(37.0 + d.lognormal(232.0, 2.71), 2e5)
    cea = min(d.lognormal(4.0, 1.0), 5e3)
    return (
        lab(M.WBC, wbc, on),
        lab(M.NEUTROPHILS, neut, on),
        lab(M.HEMOGLOBIN, hgb, on, 0),
        lab(M.PLATELETS, plat, on, 0),
        lab(M.ALBUMIN, alb, on, 1),
        lab(M.BILIRUBIN, bili, on, 1),
        lab(M.AST, ast, on, 0),
        lab(M.ALT, alt, on, 0),
        lab(M.ALP, min(d.lognormal(160.0, 0.5), 1500.0), on, 0),
        lab(M.GGT, min(d.lognormal(120.0, 0.8), 2000.0), on, 0),
        lab(M.CREATININE, creat, on, 0),
        lab(M.PROTHROMBIN_TIME, pt, on, 1),
        lab(M.INR, inr, on, 2),
        lab(M.CA19_9, ca19_9, on, 1),
        lab(M.CEA, cea, on, 1),
        lab(M.URINE_PROTEIN_24H, d.uniform(0.04, 0.14), on, 2),
    )


def baseline_profile(d: Draws, *, screening_date: date, ranges: SiteRanges) -> BaselineProfile:
    """An eligible-looking candidate; :mod:`.screen_failures` may then alter one criterion."""
    male = d.bernoulli(0.60)
    sex = "M" if male else "F"
    age = round(d.truncated_normal(57.0, 10.0, 18.0, 80.0))
    birth = screening_date - timedelta(days=365 * age + d.integer(10, 355) + age // 4)
    weight = (
        d.truncated_normal(65.0, 10.0, 40.0, 110.0) if male else d.truncated_normal(56.0, 8.0, 36.0, 100.0)
    )
    height = (
        d.truncated_normal(168.0, 6.0, 150.0, 190.0) if male else d.truncated_normal(157.0, 5.0, 140.0, 178.0)
    )
    ecog = 0 if d.bernoulli(0.55) else 1
    score, alb_pts, bili_pts, asc_pts, enc_pts = child_pugh_points(d, ranges.uln(M.BILIRUBIN))
    lab_date = screening_date - timedelta(days=d.integer(0, 4))
    imaging_date = screening_date - timedelta(days=d.integer(3, 20))
    regional = d.bernoulli(0.60)
    distant = d.bernoulli(0.45)
    labs = screening_labs(d, on=lab_date, sex=sex, ranges=ranges, alb_pts=alb_pts, bili_pts=bili_pts)
    lesions = baseline_lesions(d, imaged_on=imaging_date, regional_nodes=regional, distant=distant)
    gi_history = d.bernoulli(0.05)
    facts: list[tuple[str, bool, date | None]] = [
        (name, name in ("histology_confirmed_icc", "unresectable_by_mdt"), None) for name in FACT_NAMES
    ]
    if gi_history:
        facts[-1] = ("gi_bleeding", True, screening_date - timedelta(days=d.integer(60, 400)))
    return BaselineProfile(
        sex=sex,
        birth_date=birth,
        age_years=age,
        weight_kg=round(weight, 1),
        height_cm=round(height, 1),
        ecog=ecog,
        hbsag_positive=d.bernoulli(0.42),
        anti_hcv_positive=d.bernoulli(0.03),
        ascites=("none", "mild", "moderate_severe")[asc_pts - 1],
        encephalopathy=("none", "grade_1_2", "grade_3_4")[enc_pts - 1],
        child_pugh_score=score,
        extrahepatic_metastasis=distant,
        regional_lymph_node_metastasis=regional,
        macrovascular_invasion=d.bernoulli(0.25),
        disease_status="recurrent" if d.bernoulli(0.15) else "initially_unresectable",
        systolic_bp_mmhg=round(d.truncated_normal(126.0, 12.0, 100.0, 158.0)),
        diastolic_bp_mmhg=round(d.truncated_normal(78.0, 8.0, 60.0, 98.0)),
        consent_date=screening_date - timedelta(days=d.integer(0, 3)),
        lab_date=lab_date,
        imaging_date=imaging_date,
        labs=LabPanel(lab_date, labs),
        ranges=ranges,
        lesions=lesions,
        facts=tuple(facts),
        numbers=(("life_expectancy_months", float(d.integer(6, 24))),),
        histology="intrahepatic cholangiocarcinoma",
        resectable_by_mdt=False,
    )
