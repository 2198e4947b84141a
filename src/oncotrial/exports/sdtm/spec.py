"""The SDTM specification table: every domain, variable, label, type, length, core status, role,
origin and codelist (SDTMIG v3.4 domain specification tables; SDTM v2.0; research/standards.md §1.1).

This table is the only place these facts live: the builders fill the variables it lists, in
its order, and the XPT/Dataset-JSON writers, Define-XML and :mod:`.checks` read it. Dataset
labels are the SDTMIG labels, abbreviated to ≤ 30 characters where needed so that the
``SIMULATED `` prefix of simulated data still fits in 40.
"""

from __future__ import annotations

from oncotrial.exports.adam.metadata import VarType
from oncotrial.exports.sdtm.metadata import Core, DomainSpec, SdtmOrigin, SdtmVariable

REQ, EXP, PERM = Core.REQ, Core.EXP, Core.PERM
COL, DER, ASG, PRO = SdtmOrigin.COLLECTED, SdtmOrigin.DERIVED, SdtmOrigin.ASSIGNED, SdtmOrigin.PROTOCOL
C, N = VarType.CHAR, VarType.NUM

#: CDISC SDTM controlled terminology used here: name → (NCI C-code, extensible, terms).
#: Terms as in CDISC CT (sdtmct-2015-12-18, shared/cdisc-core, for the C-codes); extensions of an
#: extensible codelist are marked in :data:`EXTENSIONS`.
CODELISTS: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "NY": ("C66742", False, ("N", "NA", "U", "Y")),
    "SEX": ("C66731", False, ("F", "M", "U", "UNDIFFERENTIATED")),
    "RACE": (
        "C74457",
        False,
        (
            "AMERICAN INDIAN OR ALASKA NATIVE",
            "ASIAN",
            "BLACK OR AFRICAN AMERICAN",
            "NATIVE HAWAIIAN OR OTHER PACIFIC ISLANDER",
            "WHITE",
        ),
    ),
    "ETHNIC": ("C66790", False, ("HISPANIC OR LATINO", "NOT HISPANIC OR LATINO", "NOT REPORTED", "UNKNOWN")),
    "AGEU": ("C66781", False, ("DAYS", "HOURS", "MONTHS", "WEEKS", "YEARS")),
    "COUNTRY": ("C66786", False, ("CHN",)),
    "DSCAT": ("C74558", False, ("DISPOSITION EVENT", "OTHER EVENT", "PROTOCOL MILESTONE")),
    "NCOMPLT": (
        "C66727",
        True,
        (
            "ADVERSE EVENT",
            "COMPLETED",
            "DEATH",
            "LOST TO FOLLOW-UP",
            "PHYSICIAN DECISION",
            "PROGRESSIVE DISEASE",
            "WITHDRAWAL BY SUBJECT",
        ),
    ),
    "PROTMLST": ("C114118", True, ("INFORMED CONSENT OBTAINED", "RANDOMIZED")),
    "EPOCH": ("C99079", True, ("SCREENING", "TREATMENT", "FOLLOW-UP")),
    "ROUTE": ("C66729", True, ("INTRA-ARTERIAL", "INTRAVENOUS", "ORAL")),
    "FRM": ("C66726", True, ("CAPSULE", "INJECTION")),
    "FREQ": ("C71113", True, ("ONCE", "QD")),
    "UNIT": (
        "C71620",
        True,
        ("10^9/L", "U/L", "cm", "g/L", "g/dL", "kg", "mg", "mg/dL", "mg/m2", "mm", "mmHg", "umol/L", "YEARS"),
    ),
    "ACN": (
        "C66767",
        False,
        (
            "DOSE INCREASED",
            "DOSE NOT CHANGED",
            "DOSE REDUCED",
            "DRUG INTERRUPTED",
            "DRUG WITHDRAWN",
            "NOT APPLICABLE",
            "UNKNOWN",
        ),
    ),
    "OUT": (
        "C66768",
        False,
        (
            "FATAL",
            "NOT RECOVERED/NOT RESOLVED",
            "RECOVERED/RESOLVED",
            "RECOVERED/RESOLVED WITH SEQUELAE",
            "RECOVERING/RESOLVING",
            "UNKNOWN",
        ),
    ),
    "TOXGR": ("C87162", False, ("0", "1", "2", "3", "4", "5")),
    "NRIND": ("C78736", True, ("ABNORMAL", "HIGH", "LOW", "NORMAL")),
    "LBTESTCD": ("C65047", True, ("ALB", "ALT", "BILI", "HGB", "NEUT", "PLAT")),
    "LBTEST": (
        "C67154",
        True,
        ("Albumin", "Alanine Aminotransferase", "Bilirubin", "Hemoglobin", "Neutrophils", "Platelets"),
    ),
    "LBCAT": ("", True, ("CHEMISTRY", "HEMATOLOGY")),
    "SPECTYPE": ("C78734", True, ("BLOOD",)),
    "VSTESTCD": ("C66741", True, ("DIABP", "HEIGHT", "SYSBP", "WEIGHT")),
    "VSTEST": ("C67153", True, ("Diastolic Blood Pressure", "Height", "Systolic Blood Pressure", "Weight")),
    "TUTESTCD": ("C96784", True, ("TUMIDENT",)),
    "TUTEST": ("C96783", True, ("Tumor Identification",)),
    "TUIDRS": ("C123650", True, ("NEW", "NON-TARGET", "TARGET")),
    "LOC": ("C74456", True, ("ABDOMINAL LYMPH NODE", "LIVER", "LUNG")),
    "METHOD": ("C85492", True, ("CT SCAN", "MRI")),
    "EVAL": ("C78735", True, ("INDEPENDENT ASSESSOR", "INVESTIGATOR")),
    "TRTESTCD": ("C96779", True, ("LDIAM", "TUMSTATE", "VDIAM")),
    "TRTEST": ("C96778", True, ("Longest Diameter", "Tumor State", "Viable Diameter")),
    "TRPROPRS": ("C124309", True, ("ABSENT", "PRESENT", "UNEQUIVOCAL PROGRESSION")),
    "ONCRTSCD": ("C96782", True, ("BESTRESP", "NEWLPROG", "NTRGRESP", "OVRLRESP", "TRGRESP")),
    "ONCRTS": (
        "C96781",
        True,
        (
            "Best Overall Response",
            "New Lesion Progression",
            "Non-target Response",
            "Overall Response",
            "Target Response",
        ),
    ),
    "ONCRSCAT": ("C124298", True, ("RECIST 1.1", "mRECIST")),
    "ONCRSR": (
        "C96785",
        True,
        ("CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "NOT ALL EVALUATED", "Y", "N"),
    ),
    "TSPARMCD": (
        "C66738",
        True,
        (
            "ACTSUB",
            "ADAPT",
            "ADDON",
            "AGEMAX",
            "AGEMIN",
            "COMPTRT",
            "DCUTDESC",
            "DCUTDTC",
            "FCNTRY",
            "INDIC",
            "INTMODEL",
            "INTTYPE",
            "NARMS",
            "OBJPRIM",
            "OUTMSPRI",
            "OUTMSSEC",
            "PLANSUB",
            "RANDOM",
            "REGID",
            "SENDTC",
            "SEXPOP",
            "SPONSOR",
            "SSTDTC",
            "STRATFCT",
            "STYPE",
            "TBLIND",
            "TCNTRL",
            "TINDTP",
            "TITLE",
            "TPHASE",
            "TRT",
            "TTYPE",
        ),
    ),
    "IECAT": ("C66797", False, ("EXCLUSION", "INCLUSION")),
}
#: Terms the application's database export uses (services/clinical_records_export.py).
_DATABASE_TERMS: dict[str, tuple[str, ...]] = {
    "LBTESTCD": ("ALP", "AST", "CA19_9AG", "CEA", "CREAT", "GGT", "INR", "PROT", "PT", "WBC"),
    "LBTEST": (
        "Alkaline Phosphatase",
        "Aspartate Aminotransferase",
        "Cancer Antigen 19-9",
        "Carcinoembryonic Antigen",
        "Creatinine",
        "Gamma Glutamyl Transferase",
        "Leukocytes",
        "Protein",
        "Prothrombin Intl. Normalized Ratio",
        "Prothrombin Time",
    ),
    "LBCAT": ("COAGULATION", "URINALYSIS"),
    "SPECTYPE": ("URINE",),
    "UNIT": ("C", "RATIO", "U/mL", "beats/min", "g/(24.h)", "ng/mL", "sec"),
    "VSTESTCD": ("ECOG", "HR", "TEMP"),
    "VSTEST": ("ECOG Performance Status", "Heart Rate", "Temperature"),
    "TRTESTCD": ("LPERP",),
    "TRTEST": ("Longest Perpendicular",),
    "ONCRSR": ("NA",),
    "LOC": (
        "BONE",
        "PERITONEUM",
        "PORTA HEPATIS",
        "PORTA HEPATIS LYMPH NODE",
        "RETROPERITONEAL LYMPH NODE",
        "RETROPERITONEUM",
    ),
    "NCOMPLT": ("OTHER",),
    "TRPROPRS": ("EQUIVOCAL",),
}
for _name, _terms in _DATABASE_TERMS.items():
    _code, _extensible, _known = CODELISTS[_name]
    CODELISTS[_name] = (_code, _extensible, tuple(sorted({*_known, *_terms})))

#: Terms we use beyond the 2015-12-18 CT package, each with why (all in extensible codelists).
EXTENSIONS: dict[tuple[str, str], str] = {
    ("ONCRSCAT", "mRECIST"): "modified RECIST for HCC (Lencioni & Llovet 2010); not in CT 2015-12-18",
    ("ONCRSR", "NON-CR/NON-PD"): "CT 2015-12-18 spells it Non-CR/Non-PD; later CT and the CDISC RECIST "
    "1.1 supplement use NON-CR/NON-PD",
    ("ONCRSR", "Y"): "NEWLPROG results are Y/N (CDISC RECIST 1.1 supplement)",
    ("ONCRSR", "N"): "NEWLPROG results are Y/N (CDISC RECIST 1.1 supplement)",
    ("TRTESTCD", "VDIAM"): "viable (enhancing) diameter for mRECIST",
    ("LBCAT", "CHEMISTRY"): "sponsor-defined category",
    ("LBCAT", "HEMATOLOGY"): "sponsor-defined category",
    ("LBCAT", "COAGULATION"): "sponsor-defined category",
    ("LBCAT", "URINALYSIS"): "sponsor-defined category",
    ("UNIT", "ng/mL"): "CEA reported in ng/mL by the sites; not in CT 2015-12-18 (later CT has it)",
    ("UNIT", "g/(24.h)"): "24-h urine protein in g per 24 h (UCUM); not in CT 2015-12-18",
    ("VSTESTCD", "ECOG"): "ECOG collected with the vitals form; SDTMIG places performance status in QS/RS "
    "(a known deviation, to move)",
    ("VSTEST", "ECOG Performance Status"): "see VSTESTCD ECOG",
    ("ONCRSR", "NA"): "non-target response when no non-target lesion was identified at baseline",
    ("LOC", "PORTA HEPATIS"): "anatomical site of hilar lesions; not in CT 2015-12-18",
}


def _v(
    name: str,
    label: str,
    kind: VarType,
    core: Core,
    role: str,
    origin: SdtmOrigin = COL,
    *,
    length: int = 200,
    codelist: str | None = None,
    decimal: bool = False,
) -> SdtmVariable:
    return SdtmVariable(name, label, kind, 8 if kind is N else length, core, role, origin, codelist, decimal)


def _ids(domain: str, *, seq: bool = True, subject: bool = True) -> tuple[SdtmVariable, ...]:
    out = [
        _v("STUDYID", "Study Identifier", C, REQ, "Identifier", ASG, length=20),
        _v("DOMAIN", "Domain Abbreviation", C, REQ, "Identifier", ASG, length=2),
    ]
    if subject:
        out.append(_v("USUBJID", "Unique Subject Identifier", C, REQ, "Identifier", DER, length=40))
    if seq:
        out.append(_v(f"{domain}SEQ", "Sequence Number", N, REQ, "Identifier", DER))
    return tuple(out)


def _visit(domain: str, dtc: str = "DTC") -> tuple[SdtmVariable, ...]:
    return (
        _v("VISITNUM", "Visit Number", N, EXP, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v(
            f"{domain}{dtc}",
            "Date/Time of Collection" if dtc == "DTC" else "Start Date/Time",
            C,
            EXP,
            "Timing",
            length=19,
        ),
        _v(f"{domain}DY", "Study Day of Visit/Collection/Exam", N, PERM, "Timing", DER),
    )


def _period(domain: str, what: str) -> tuple[SdtmVariable, ...]:
    return (
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v(f"{domain}STDTC", f"Start Date/Time of {what}", C, EXP, "Timing", length=19),
        _v(f"{domain}ENDTC", f"End Date/Time of {what}", C, EXP, "Timing", length=19),
        _v(f"{domain}STDY", f"Study Day of Start of {what}", N, PERM, "Timing", DER),
        _v(f"{domain}ENDY", f"Study Day of End of {what}", N, PERM, "Timing", DER),
    )


DM = DomainSpec(
    "DM",
    "Demographics",
    "SPECIAL PURPOSE",
    "One record per subject",
    ("STUDYID", "USUBJID"),
    (
        *_ids("DM", seq=False),
        _v("SUBJID", "Subject Identifier for the Study", C, REQ, "Topic", length=20),
        _v("RFSTDTC", "Subject Reference Start Date/Time", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFENDTC", "Subject Reference End Date/Time", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFXSTDTC", "Date/Time of First Study Treatment", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFXENDTC", "Date/Time of Last Study Treatment", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFICDTC", "Date/Time of Informed Consent", C, EXP, "Record Qualifier", DER, length=19),
        _v("RFPENDTC", "Date/Time of End of Participation", C, EXP, "Record Qualifier", DER, length=19),
        _v("DTHDTC", "Date/Time of Death", C, EXP, "Record Qualifier", DER, length=19),
        _v("DTHFL", "Subject Death Flag", C, EXP, "Record Qualifier", DER, length=1, codelist="NY"),
        _v("SITEID", "Study Site Identifier", C, REQ, "Record Qualifier", ASG, length=20),
        _v("AGE", "Age", N, EXP, "Record Qualifier"),
        _v("AGEU", "Age Units", C, EXP, "Variable Qualifier", ASG, length=10, codelist="AGEU"),
        _v("SEX", "Sex", C, REQ, "Record Qualifier", length=2, codelist="SEX"),
        _v("RACE", "Race", C, EXP, "Record Qualifier", length=60, codelist="RACE"),
        _v("ETHNIC", "Ethnicity", C, PERM, "Record Qualifier", length=40, codelist="ETHNIC"),
        _v("ARMCD", "Planned Arm Code", C, EXP, "Record Qualifier", ASG, length=20),
        _v("ARM", "Description of Planned Arm", C, EXP, "Synonym Qualifier", ASG),
        _v("ACTARMCD", "Actual Arm Code", C, EXP, "Record Qualifier", DER, length=20),
        _v("ACTARM", "Description of Actual Arm", C, EXP, "Synonym Qualifier", DER),
        _v("ARMNRS", "Reason Arm and/or Actual Arm is Null", C, EXP, "Record Qualifier", DER, length=40),
        _v("ACTARMUD", "Description of Unplanned Actual Arm", C, EXP, "Record Qualifier", DER),
        _v("COUNTRY", "Country", C, REQ, "Record Qualifier", ASG, length=3, codelist="COUNTRY"),
        _v("DMDTC", "Date/Time of Collection", C, PERM, "Timing", length=19),
        _v("DMDY", "Study Day of Collection", N, PERM, "Timing", DER),
    ),
)

SE = DomainSpec(
    "SE",
    "Subject Elements",
    "SPECIAL PURPOSE",
    "One record per actual Element per subject",
    ("STUDYID", "USUBJID", "ETCD", "SESTDTC"),
    (
        *_ids("SE"),
        _v("ETCD", "Element Code", C, REQ, "Topic", DER, length=8),
        _v("ELEMENT", "Description of Element", C, PERM, "Synonym Qualifier", DER),
        _v("TAETORD", "Planned Order of Element within Arm", N, PERM, "Timing", DER),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("SESTDTC", "Start Date/Time of Element", C, REQ, "Timing", DER, length=19),
        _v("SEENDTC", "End Date/Time of Element", C, EXP, "Timing", DER, length=19),
        _v("SESTDY", "Study Day of Start of Element", N, PERM, "Timing", DER),
        _v("SEENDY", "Study Day of End of Element", N, PERM, "Timing", DER),
    ),
)

SV = DomainSpec(
    "SV",
    "Subject Visits",
    "SPECIAL PURPOSE",
    "One record per actual visit per subject",
    ("STUDYID", "USUBJID", "VISITNUM"),
    (
        *_ids("SV", seq=False),
        _v("VISITNUM", "Visit Number", N, REQ, "Topic", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Synonym Qualifier", ASG, length=40),
        _v("VISITDY", "Planned Study Day of Visit", N, PERM, "Timing", PRO),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("SVSTDTC", "Start Date/Time of Observation", C, EXP, "Timing", length=19),
        _v("SVENDTC", "End Date/Time of Observation", C, EXP, "Timing", length=19),
        _v("SVSTDY", "Study Day of Start of Observation", N, PERM, "Timing", DER),
        _v("SVENDY", "Study Day of End of Observation", N, PERM, "Timing", DER),
    ),
)

DS = DomainSpec(
    "DS",
    "Disposition",
    "EVENTS",
    "One record per disposition status or protocol milestone per subject",
    ("STUDYID", "USUBJID", "DSDECOD", "DSSTDTC"),
    (
        *_ids("DS"),
        _v("DSTERM", "Reported Term for the Disposition Event", C, REQ, "Topic"),
        _v("DSDECOD", "Standardized Disposition Term", C, REQ, "Synonym Qualifier", ASG, length=40),
        _v(
            "DSCAT",
            "Category for Disposition Event",
            C,
            EXP,
            "Grouping Qualifier",
            ASG,
            length=20,
            codelist="DSCAT",
        ),
        _v("DSSCAT", "Subcategory for Disposition Event", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("DSSTDTC", "Start Date/Time of Disposition Event", C, EXP, "Timing", length=19),
        _v("DSSTDY", "Study Day of Start of Disposition Event", N, PERM, "Timing", DER),
    ),
)

_EXPOSURE_COMMON = (
    ("DOSFRM", "Dose Form", "FRM"),
    ("DOSFRQ", "Dosing Frequency per Interval", "FREQ"),
    ("ROUTE", "Route of Administration", "ROUTE"),
)
EX = DomainSpec(
    "EX",
    "Exposure",
    "INTERVENTIONS",
    "One record per constant-dosing interval per subject",
    ("STUDYID", "USUBJID", "EXTRT", "EXSTDTC"),
    (
        *_ids("EX"),
        _v("EXLNKID", "Link ID", C, PERM, "Identifier", DER, length=40),
        _v("EXTRT", "Name of Treatment", C, REQ, "Topic", PRO, length=40),
        _v("EXDOSE", "Dose", N, EXP, "Record Qualifier", PRO, decimal=True),
        _v("EXDOSU", "Dose Units", C, EXP, "Variable Qualifier", PRO, length=10, codelist="UNIT"),
        *(
            _v(
                f"EX{s}",
                lab,
                C,
                EXP if s == "DOSFRM" else PERM,
                "Variable Qualifier",
                PRO,
                length=20,
                codelist=cl,
            )
            for s, lab, cl in _EXPOSURE_COMMON
        ),
        _v("EXADJ", "Reason for Dose Adjustment", C, PERM, "Record Qualifier", length=40),
        _v("VISITNUM", "Visit Number", N, PERM, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        *_period("EX", "Treatment"),
    ),
)

EC = DomainSpec(
    "EC",
    "Exposure as Collected",
    "INTERVENTIONS",
    "One record per protocol-specified study treatment, collected-dosing interval, per subject, per mood",
    ("STUDYID", "USUBJID", "ECTRT", "ECSTDTC"),
    (
        *_ids("EC"),
        _v("ECLNKID", "Link ID", C, PERM, "Identifier", DER, length=40),
        _v("ECTRT", "Name of Treatment", C, REQ, "Topic", length=40),
        _v("ECMOOD", "Mood", C, PERM, "Record Qualifier", ASG, length=10),
        _v("ECDOSE", "Dose", N, EXP, "Record Qualifier", decimal=True),
        _v("ECDOSU", "Dose Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        *(
            _v(f"EC{s}", lab, C, EXP if s == "DOSFRM" else PERM, "Variable Qualifier", length=20, codelist=cl)
            for s, lab, cl in _EXPOSURE_COMMON
        ),
        _v("VISITNUM", "Visit Number", N, PERM, "Timing", ASG),
        _v("VISIT", "Visit Name", C, PERM, "Timing", ASG, length=40),
        *_period("EC", "Treatment"),
    ),
)

AE = DomainSpec(
    "AE",
    "Adverse Events",
    "EVENTS",
    "One record per adverse event per subject",
    ("STUDYID", "USUBJID", "AEDECOD", "AESTDTC"),
    (
        *_ids("AE"),
        _v("AETERM", "Reported Term for the Adverse Event", C, REQ, "Topic"),
        _v("AEDECOD", "Dictionary-Derived Term", C, REQ, "Synonym Qualifier", ASG),
        _v("AEBODSYS", "Body System or Organ Class", C, EXP, "Record Qualifier", ASG),
        _v("AESOC", "Primary System Organ Class", C, EXP, "Variable Qualifier", ASG),
        _v("AESER", "Serious Event", C, EXP, "Record Qualifier", length=1, codelist="NY"),
        _v(
            "AEACN",
            "Action Taken with Study Treatment",
            C,
            EXP,
            "Record Qualifier",
            length=40,
            codelist="ACN",
        ),
        _v("AEREL", "Causality", C, EXP, "Record Qualifier", length=20),
        _v("AEOUT", "Outcome of Adverse Event", C, PERM, "Record Qualifier", length=40, codelist="OUT"),
        *(
            _v(f"AES{s}", lab, C, PERM, "Record Qualifier", length=1, codelist="NY")
            for s, lab in (
                ("CONG", "Congenital Anomaly or Birth Defect"),
                ("DISAB", "Persist or Signif Disability/Incapacity"),
                ("DTH", "Results in Death"),
                ("HOSP", "Requires or Prolongs Hospitalization"),
                ("LIFE", "Is Life Threatening"),
                ("MIE", "Other Medically Important Serious Event"),
            )
        ),
        _v("AETOXGR", "Standard Toxicity Grade", C, PERM, "Record Qualifier", length=1, codelist="TOXGR"),
        *_period("AE", "Adverse Event"),
    ),
)

CM = DomainSpec(
    "CM",
    "Concomitant/Prior Medications",
    "INTERVENTIONS",
    "One record per recorded intervention occurrence or constant-dosing interval per subject",
    ("STUDYID", "USUBJID", "CMTRT", "CMSTDTC"),
    (
        *_ids("CM"),
        _v("CMTRT", "Reported Name of Drug, Med, or Therapy", C, REQ, "Topic", length=100),
        _v("CMCAT", "Category for Medication", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("CMINDC", "Indication", C, PERM, "Record Qualifier", length=100),
        _v("CMDOSE", "Dose per Administration", N, PERM, "Record Qualifier", decimal=True),
        _v("CMDOSU", "Dose Units", C, PERM, "Variable Qualifier", length=10, codelist="UNIT"),
        _v(
            "CMDOSFRQ",
            "Dosing Frequency per Interval",
            C,
            PERM,
            "Variable Qualifier",
            length=20,
            codelist="FREQ",
        ),
        _v("CMROUTE", "Route of Administration", C, PERM, "Variable Qualifier", length=20, codelist="ROUTE"),
        *_period("CM", "Medication"),
    ),
)

MH = DomainSpec(
    "MH",
    "Medical History",
    "EVENTS",
    "One record per medical history event per subject",
    ("STUDYID", "USUBJID", "MHTERM"),
    (
        *_ids("MH"),
        _v("MHTERM", "Reported Term for the Medical History", C, REQ, "Topic"),
        _v("MHCAT", "Category for Medical History", C, PERM, "Grouping Qualifier", ASG, length=40),
        _v("EPOCH", "Epoch", C, PERM, "Timing", DER, length=20, codelist="EPOCH"),
        _v("MHDTC", "Date/Time of History Collection", C, PERM, "Timing", length=19),
        _v("MHSTDTC", "Start Date/Time of Medical History Event", C, PERM, "Timing", length=19),
        _v("MHDY", "Study Day of History Collection", N, PERM, "Timing", DER),
        _v("MHSTDY", "Study Day of Start of Observation", N, PERM, "Timing", DER),
        _v("MHENRTPT", "End Relative to Reference Time Point", C, PERM, "Timing", length=10),
        _v("MHENTPT", "End Reference Time Point", C, PERM, "Timing", length=40),
    ),
)


def _findings(domain: str, *, testcd: str, test: str) -> tuple[SdtmVariable, ...]:
    short, name = _TESTLABELS[domain]
    return (
        _v(f"{domain}TESTCD", short, C, REQ, "Topic", ASG, length=8, codelist=testcd),
        _v(f"{domain}TEST", name, C, REQ, "Synonym Qualifier", ASG, length=40, codelist=test),
    )


#: SDTMIG v3.4 labels of --TESTCD and --TEST.
_TESTLABELS = {
    "LB": ("Lab Test or Examination Short Name", "Lab Test or Examination Name"),
    "VS": ("Vital Signs Test Short Name", "Vital Signs Test Name"),
    "TU": ("Tumor/Lesion ID Short Name", "Tumor/Lesion ID Test Name"),
    "TR": ("Tumor/Lesion Assessment Short Name", "Tumor/Lesion Assessment Test Name"),
    "RS": ("Assessment Short Name", "Assessment Name"),
}

LB = DomainSpec(
    "LB",
    "Laboratory Test Results",
    "FINDINGS",
    "One record per lab test per time point per visit per subject",
    ("STUDYID", "USUBJID", "LBTESTCD", "VISITNUM"),
    (
        *_ids("LB"),
        *_findings("LB", testcd="LBTESTCD", test="LBTEST"),
        _v("LBCAT", "Category for Lab Test", C, EXP, "Grouping Qualifier", ASG, length=20, codelist="LBCAT"),
        _v("LBORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v("LBORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("LBORNRLO", "Reference Range Lower Limit in Orig Unit", C, EXP, "Variable Qualifier", length=20),
        _v("LBORNRHI", "Reference Range Upper Limit in Orig Unit", C, EXP, "Variable Qualifier", length=20),
        _v("LBSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=20),
        _v(
            "LBSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("LBSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "LBSTNRLO",
            "Reference Range Lower Limit-Std Units",
            N,
            EXP,
            "Variable Qualifier",
            DER,
            decimal=True,
        ),
        _v(
            "LBSTNRHI",
            "Reference Range Upper Limit-Std Units",
            N,
            EXP,
            "Variable Qualifier",
            DER,
            decimal=True,
        ),
        _v(
            "LBNRIND",
            "Reference Range Indicator",
            C,
            EXP,
            "Variable Qualifier",
            DER,
            length=10,
            codelist="NRIND",
        ),
        _v("LBSPEC", "Specimen Type", C, PERM, "Record Qualifier", ASG, length=20, codelist="SPECTYPE"),
        _v(
            "LBLOBXFL",
            "Last Observation Before Exposure Flag",
            C,
            EXP,
            "Record Qualifier",
            DER,
            length=1,
            codelist="NY",
        ),
        _v(
            "LBTOXGR", "Standard Toxicity Grade", C, PERM, "Record Qualifier", DER, length=1, codelist="TOXGR"
        ),
        *_visit("LB"),
    ),
)

VS = DomainSpec(
    "VS",
    "Vital Signs",
    "FINDINGS",
    "One record per vital sign measurement per time point per visit per subject",
    ("STUDYID", "USUBJID", "VSTESTCD", "VISITNUM"),
    (
        *_ids("VS"),
        *_findings("VS", testcd="VSTESTCD", test="VSTEST"),
        _v("VSORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v("VSORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("VSSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=20),
        _v(
            "VSSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("VSSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "VSLOBXFL",
            "Last Observation Before Exposure Flag",
            C,
            EXP,
            "Record Qualifier",
            DER,
            length=1,
            codelist="NY",
        ),
        *_visit("VS"),
    ),
)

TU = DomainSpec(
    "TU",
    "Tumor/Lesion Identification",
    "FINDINGS",
    "One record per identified tumor per subject per assessor",
    ("STUDYID", "USUBJID", "TULNKID", "TUEVAL"),
    (
        *_ids("TU"),
        _v("TULNKID", "Link ID", C, EXP, "Identifier", ASG, length=20),
        *_findings("TU", testcd="TUTESTCD", test="TUTEST"),
        _v("TUORRES", "Tumor/Lesion ID Result", C, EXP, "Result Qualifier", length=20, codelist="TUIDRS"),
        _v(
            "TUSTRESC",
            "Tumor/Lesion ID Result Std. Format",
            C,
            EXP,
            "Result Qualifier",
            DER,
            length=20,
            codelist="TUIDRS",
        ),
        _v("TULOC", "Location of the Tumor/Lesion", C, EXP, "Record Qualifier", length=40, codelist="LOC"),
        _v("TUMETHOD", "Method of Identification", C, EXP, "Record Qualifier", length=20, codelist="METHOD"),
        _v("TUEVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("TU"),
    ),
)

TR = DomainSpec(
    "TR",
    "Tumor/Lesion Results",
    "FINDINGS",
    "One record per tumor measurement/assessment per visit per subject per assessor",
    ("STUDYID", "USUBJID", "TRLNKID", "TRTESTCD", "VISITNUM"),
    (
        *_ids("TR"),
        _v("TRLNKGRP", "Link Group ID", C, PERM, "Identifier", ASG, length=20),
        _v("TRLNKID", "Link ID", C, EXP, "Identifier", ASG, length=20),
        *_findings("TR", testcd="TRTESTCD", test="TRTEST"),
        _v("TRORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=40),
        _v("TRORRESU", "Original Units", C, EXP, "Variable Qualifier", length=10, codelist="UNIT"),
        _v("TRSTRESC", "Character Result/Finding in Std Format", C, EXP, "Result Qualifier", DER, length=40),
        _v(
            "TRSTRESN",
            "Numeric Result/Finding in Standard Units",
            N,
            EXP,
            "Result Qualifier",
            DER,
            decimal=True,
        ),
        _v("TRSTRESU", "Standard Units", C, EXP, "Variable Qualifier", DER, length=10, codelist="UNIT"),
        _v(
            "TRMETHOD",
            "Method Used to Identify the Tumor/Lesion",
            C,
            EXP,
            "Record Qualifier",
            length=20,
            codelist="METHOD",
        ),
        _v("TREVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("TR"),
    ),
)

RS = DomainSpec(
    "RS",
    "Disease Response",
    "FINDINGS",
    "One record per response assessment per time point "
    "per visit per subject per assessor per medical evaluator",
    ("STUDYID", "USUBJID", "RSCAT", "RSTESTCD", "VISITNUM"),
    (
        *_ids("RS"),
        _v("RSLNKGRP", "Link Group ID", C, PERM, "Identifier", ASG, length=20),
        *_findings("RS", testcd="ONCRTSCD", test="ONCRTS"),
        _v(
            "RSCAT",
            "Category for Assessment",
            C,
            EXP,
            "Grouping Qualifier",
            ASG,
            length=20,
            codelist="ONCRSCAT",
        ),
        _v("RSORRES", "Result or Finding in Original Units", C, EXP, "Result Qualifier", length=20),
        _v(
            "RSSTRESC",
            "Character Result/Finding in Std Format",
            C,
            EXP,
            "Result Qualifier",
            DER,
            length=20,
            codelist="ONCRSR",
        ),
        _v("RSEVAL", "Evaluator", C, EXP, "Record Qualifier", ASG, length=40, codelist="EVAL"),
        *_visit("RS"),
    ),
)

# ---- trial design ------------------------------------------------------------------------------
TE = DomainSpec(
    "TE",
    "Trial Elements",
    "TRIAL DESIGN",
    "One record per planned Element",
    ("STUDYID", "ETCD"),
    (
        *_ids("TE", seq=False, subject=False),
        _v("ETCD", "Element Code", C, REQ, "Topic", PRO, length=8),
        _v("ELEMENT", "Description of Element", C, REQ, "Synonym Qualifier", PRO),
        _v("TESTRL", "Rule for Start of Element", C, REQ, "Rule", PRO),
        _v("TEENRL", "Rule for End of Element", C, PERM, "Rule", PRO),
        _v("TEDUR", "Planned Duration of Element", C, PERM, "Timing", PRO, length=20),
    ),
)

TA = DomainSpec(
    "TA",
    "Trial Arms",
    "TRIAL DESIGN",
    "One record per planned Element per Arm",
    ("STUDYID", "ARMCD", "TAETORD"),
    (
        *_ids("TA", seq=False, subject=False),
        _v("ARMCD", "Planned Arm Code", C, REQ, "Topic", PRO, length=20),
        _v("ARM", "Description of Planned Arm", C, REQ, "Synonym Qualifier", PRO),
        _v("TAETORD", "Planned Order of Element within Arm", N, REQ, "Timing", PRO),
        _v("ETCD", "Element Code", C, REQ, "Record Qualifier", PRO, length=8),
        _v("ELEMENT", "Description of Element", C, PERM, "Synonym Qualifier", PRO),
        _v("TABRANCH", "Branch", C, EXP, "Rule", PRO),
        _v("TATRANS", "Transition Rule", C, EXP, "Rule", PRO),
        _v("EPOCH", "Epoch", C, REQ, "Timing", PRO, length=20, codelist="EPOCH"),
    ),
)

TV = DomainSpec(
    "TV",
    "Trial Visits",
    "TRIAL DESIGN",
    "One record per planned Visit per Arm",
    ("STUDYID", "VISITNUM"),
    (
        *_ids("TV", seq=False, subject=False),
        _v("VISITNUM", "Visit Number", N, REQ, "Topic", PRO),
        _v("VISIT", "Visit Name", C, PERM, "Synonym Qualifier", PRO, length=40),
        _v("VISITDY", "Planned Study Day of Visit", N, PERM, "Timing", PRO),
        _v("ARMCD", "Planned Arm Code", C, EXP, "Record Qualifier", PRO, length=20),
        _v("TVSTRL", "Visit Start Rule", C, REQ, "Rule", PRO),
        _v("TVENRL", "Visit End Rule", C, PERM, "Rule", PRO),
    ),
)

TI = DomainSpec(
    "TI",
    "Trial Inclusion/Exclusion Crit",
    "TRIAL DESIGN",
    "One record per I/E criterion",
    ("STUDYID", "IETESTCD"),
    (
        *_ids("TI", seq=False, subject=False),
        _v("IETESTCD", "Incl/Excl Criterion Short Name", C, REQ, "Topic", PRO, length=8),
        _v("IETEST", "Inclusion/Exclusion Criterion", C, REQ, "Synonym Qualifier", PRO),
        _v(
            "IECAT",
            "Inclusion/Exclusion Category",
            C,
            REQ,
            "Grouping Qualifier",
            PRO,
            length=10,
            codelist="IECAT",
        ),
        _v("TIVERS", "Protocol Criteria Versions", C, PERM, "Record Qualifier", PRO, length=20),
    ),
)

TS = DomainSpec(
    "TS",
    "Trial Summary",
    "TRIAL DESIGN",
    "One record per trial summary parameter value",
    ("STUDYID", "TSPARMCD", "TSSEQ"),
    (
        *_ids("TS", subject=False),
        _v("TSGRPID", "Group ID", C, PERM, "Identifier", PRO, length=20),
        _v(
            "TSPARMCD",
            "Trial Summary Parameter Short Name",
            C,
            REQ,
            "Topic",
            PRO,
            length=8,
            codelist="TSPARMCD",
        ),
        _v("TSPARM", "Trial Summary Parameter", C, REQ, "Synonym Qualifier", PRO, length=40),
        _v("TSVAL", "Parameter Value", C, EXP, "Result Qualifier", PRO),
        _v("TSVALNF", "Parameter Null Flavor", C, PERM, "Result Qualifier", PRO, length=10),
        _v("TSVALCD", "Parameter Value Code", C, EXP, "Result Qualifier", PRO, length=20),
        _v("TSVCDREF", "Name of the Reference Terminology", C, EXP, "Result Qualifier", PRO, length=20),
        _v("TSVCDVER", "Version of the Reference Terminology", C, EXP, "Result Qualifier", PRO, length=20),
    ),
)

DOMAINS: tuple[DomainSpec, ...] = (TA, TE, TI, TS, TV, DM, SE, SV, DS, EX, EC, AE, CM, MH, LB, VS, TU, TR, RS)
"""Every domain, trial design first (the order of the Define-XML)."""
SPECS: dict[str, DomainSpec] = {d.name: d for d in DOMAINS}
