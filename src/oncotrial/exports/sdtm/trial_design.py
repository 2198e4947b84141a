"""Trial design domains TE, TA, TV, TI, TS from the protocol file (SDTMIG v3.4 §7).

Elements: screening (SCRN), one treatment element per arm (its code), follow-up (FU); each arm
is SCRN → arm element → FU, branching at randomization. Planned visits: screening, day 1 and
day 8 of each 21-day cycle (VISITNUM 10·cycle + day) and the tumour assessments every
``interval_days`` of the protocol's IMAGING assessment (VISITNUM 1000 + n). The protocol sets no
maximum number of cycles (``max_chemotherapy_cycles: null``), so TV lists as many cycles and
assessments as the data reached (``cycles``, ``scans``). TS parameters use CDISC codelist
TSPARMCD (C66738) and, where one exists, the value's codelist with its C-code in TSVALCD.
"""

from __future__ import annotations

from oncotrial.core.protocol.model import Protocol
from oncotrial.exports.adam.metadata import Dataset, Value
from oncotrial.exports.clinical_records import ClinicalRecords
from oncotrial.exports.sdtm.context import Context, finish
from oncotrial.exports.sdtm.demo_records import CYCLE_DAYS, SCREENING, cycle_visit, scan_visit
from oncotrial.exports.sdtm.spec import TA, TE, TI, TS, TV
from oncotrial.exports.sdtm.timing import TREATMENT_TAIL_DAYS

CT_VERSION = "2015-12-18"
PHASES = {
    "PHASE1": ("PHASE I TRIAL", "C15600"),
    "PHASE2": ("PHASE II TRIAL", "C15601"),
    "PHASE3": ("PHASE III TRIAL", "C15602"),
    "PHASE4": ("PHASE IV TRIAL", "C15603"),
}


def build_te(ctx: Context) -> Dataset:
    protocol = ctx.records.study.protocol
    rows: list[dict[str, Value]] = [
        {
            "STUDYID": ctx.study_id,
            "ETCD": "SCRN",
            "ELEMENT": "Screening",
            "TESTRL": "Informed consent",
            "TEENRL": "First dose of study treatment",
            "TEDUR": None,
        }
    ]
    for arm in protocol.arms:
        rows.append(
            {
                "STUDYID": ctx.study_id,
                "ETCD": arm.code,
                "ELEMENT": f"{arm.code} treatment",
                "TESTRL": f"First dose of {', '.join(r.drug for r in arm.regimen)}",
                "TEENRL": f"{TREATMENT_TAIL_DAYS} days after the last dose of study treatment",
                "TEDUR": None,
            }
        )
    rows.append(
        {
            "STUDYID": ctx.study_id,
            "ETCD": "FU",
            "ELEMENT": "Follow-up",
            "TESTRL": f"{TREATMENT_TAIL_DAYS} days after the last dose of study treatment",
            "TEENRL": "Death, withdrawal of consent or end of study",
            "TEDUR": None,
        }
    )
    return finish(TE, rows, ctx)


def build_ta(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    for arm in ctx.records.study.protocol.arms:
        steps = (
            ("SCRN", "Screening", "SCREENING", f"Randomized to {arm.code}", None),
            (
                arm.code,
                f"{arm.code} treatment",
                "TREATMENT",
                None,
                "Progression, unacceptable toxicity or withdrawal: go to follow-up",
            ),
            ("FU", "Follow-up", "FOLLOW-UP", None, None),
        )
        for order, (etcd, element, epoch, branch, trans) in enumerate(steps, start=1):
            rows.append(
                {
                    "STUDYID": ctx.study_id,
                    "ARMCD": arm.code,
                    "ARM": arm.label,
                    "TAETORD": order,
                    "ETCD": etcd,
                    "ELEMENT": element,
                    "TABRANCH": branch,
                    "TATRANS": trans,
                    "EPOCH": epoch,
                }
            )
    return finish(TA, rows, ctx)


def planned_visits(records: ClinicalRecords) -> list[tuple[int, str, int | None, str]]:
    """(VISITNUM, VISIT, VISITDY, TVSTRL) of every planned visit the data reached."""
    protocol = records.study.protocol
    numbers = {v.number for v in records.visits}
    cycles = max((n // 10 for n in numbers if 10 < n < 1000), default=1)
    scans = max((n - 1000 for n in numbers if n > 1000), default=0)
    imaging = next((a for a in protocol.assessments if a.code == "IMAGING"), None)
    interval = imaging.interval_days if imaging and imaging.interval_days else 42
    out: list[tuple[int, str, int | None, str]] = [
        (SCREENING[1], SCREENING[2], None, "Within 28 days before randomization [ASSUMP]")
    ]
    for k in range(1, cycles + 1):
        for day in (1, 8):
            _, number, name = cycle_visit(k, day)
            out.append((number, name, CYCLE_DAYS * (k - 1) + day, f"Day {day} of treatment cycle {k}"))
    for j in range(1, scans + 1):
        _, number, name = scan_visit(j)
        out.append((number, name, None, f"{interval * j} days after randomization"))
    return out


def build_tv(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = [
        {
            "STUDYID": ctx.study_id,
            "VISITNUM": n,
            "VISIT": name,
            "VISITDY": day,
            "ARMCD": None,
            "TVSTRL": rule,
            "TVENRL": None,
        }
        for n, name, day, rule in planned_visits(ctx.records)
    ]
    return finish(TV, rows, ctx, ("VISITNUM",))


def build_ti(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = [
        {
            "STUDYID": ctx.study_id,
            "IETESTCD": c.code,
            "IETEST": c.text,
            "IECAT": c.kind.value.upper(),
            "TIVERS": "1",
        }
        for c in ctx.records.study.protocol.eligibility.criteria
    ]
    return finish(TI, rows, ctx)


def _ts_values(p: Protocol, records: ClinicalRecords) -> list[tuple[str, str, str | None, str | None]]:
    """(TSPARMCD, TSVAL, TSVALCD, TSVCDREF)."""
    phase, phase_code = PHASES.get(p.design.phase, ("NOT APPLICABLE", "C48660"))
    drugs = sorted({r.drug for arm in p.arms for r in arm.regimen})
    out: list[tuple[str, str, str | None, str | None]] = [
        ("TITLE", p.identification.brief_title, None, None),
        ("TPHASE", phase, phase_code, "CDISC"),
        ("STYPE", "INTERVENTIONAL", "C98388", "CDISC"),
        ("TTYPE", "EFFICACY", "C49666", "CDISC"),
        ("TTYPE", "SAFETY", "C49667", "CDISC"),
        ("RANDOM", "Y", "C49488", "CDISC"),
        ("NARMS", str(len(p.arms)), None, None),
        ("TBLIND", "OPEN LABEL", "C49659", "CDISC"),
        ("TCNTRL", "ACTIVE", "C49649", "CDISC"),
        ("INTMODEL", "PARALLEL", "C82639", "CDISC"),
        ("INTTYPE", "DRUG", "C1909", "CDISC"),
        ("TINDTP", "TREATMENT", "C49656", "CDISC"),
        ("INDIC", "; ".join(p.identification.conditions), None, None),
        ("SPONSOR", p.identification.sponsor, None, None),
        ("REGID", p.identification.nct_id, None, None),
        ("PLANSUB", str(p.design.target_enrollment), None, None),
        ("ACTSUB", str(len(records.subjects)), None, None),
        ("AGEMIN", f"P{p.eligibility.minimum_age_years}Y", None, None),
        ("SEXPOP", "BOTH" if p.eligibility.sex.upper() == "ALL" else p.eligibility.sex.upper(), None, None),
        ("FCNTRY", "CHN", None, "ISO 3166-1 alpha-3"),
        ("ADDON", "N", "C49487", "CDISC"),
        ("ADAPT", "N", "C49487", "CDISC"),
        ("DCUTDTC", records.study.cutoff.isoformat(), None, None),
        ("DCUTDESC", "SIMULATED DATA CUT-OFF" if records.study.simulated else "DATA CUT-OFF", None, None),
        *[("TRT", d.upper(), None, None) for d in drugs],
        *[("STRATFCT", f.label, None, None) for f in p.stratification.factors],
        *[("OBJPRIM", e.title, None, None) for e in p.primary_endpoints],
        *[("OUTMSPRI", e.title, None, None) for e in p.primary_endpoints],
        *[("OUTMSSEC", e.title, None, None) for e in p.secondary_endpoints],
    ]
    if p.design.start_date:
        out.append(("SSTDTC", p.design.start_date.isoformat(), None, None))
    return out


TS_NAMES = {
    "TITLE": "Trial Title",
    "TPHASE": "Trial Phase Classification",
    "STYPE": "Study Type",
    "TTYPE": "Trial Type",
    "RANDOM": "Trial is Randomized",
    "NARMS": "Planned Number of Arms",
    "TBLIND": "Trial Blinding Schema",
    "TCNTRL": "Control Type",
    "INTMODEL": "Intervention Model",
    "INTTYPE": "Intervention Type",
    "TINDTP": "Trial Intent Type",
    "INDIC": "Trial Disease/Condition Indication",
    "SPONSOR": "Clinical Study Sponsor",
    "REGID": "Registry Identifier",
    "PLANSUB": "Planned Number of Subjects",
    "ACTSUB": "Actual Number of Subjects",
    "AGEMIN": "Planned Minimum Age of Subjects",
    "SEXPOP": "Sex of Participants",
    "FCNTRY": "Planned Country of Investigational Sites",
    "ADDON": "Added on to Existing Treatments",
    "ADAPT": "Adaptive Design",
    "DCUTDTC": "Data Cutoff Date",
    "DCUTDESC": "Data Cutoff Description",
    "TRT": "Investigational Therapy or Treatment",
    "STRATFCT": "Stratification Factor",
    "OBJPRIM": "Trial Primary Objective",
    "OUTMSPRI": "Primary Outcome Measure",
    "OUTMSSEC": "Secondary Outcome Measure",
    "SSTDTC": "Study Start Date",
}


def build_ts(ctx: Context) -> Dataset:
    rows: list[dict[str, Value]] = []
    counts: dict[str, int] = {}
    for code, value, value_code, ref in _ts_values(ctx.records.study.protocol, ctx.records):
        counts[code] = counts.get(code, 0) + 1
        rows.append(
            {
                "STUDYID": ctx.study_id,
                "TSSEQ": counts[code],
                "TSPARMCD": code,
                "TSPARM": TS_NAMES[code],
                "TSVAL": value,
                "TSVALCD": value_code,
                "TSVCDREF": ref,
                "TSVCDVER": CT_VERSION if ref == "CDISC" else None,
            }
        )
    return finish(TS, rows, ctx)
