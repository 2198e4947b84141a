"""The CDISC SDTM controlled terminology of the specification table (:mod:`.spec`).

:data:`CODELISTS`: codelist name → (NCI C-code, extensible, terms), as in CDISC CT
(sdtmct-2015-12-18, shared/cdisc-core, for the C-codes), with the terms the application's
database export uses merged in; :data:`EXTENSIONS`: each term beyond that CT package and why.
SDTMIG v3.4; research/standards.md §1.1.
"""

from __future__ import annotations

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
