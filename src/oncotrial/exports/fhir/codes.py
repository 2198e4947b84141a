"""Code systems and codes of the FHIR R4 / mCODE export, each with its source.

* mCODE STU4 (HL7 US Realm IG, FHIR R4, https://hl7.org/fhir/us/mcode/): profile URLs;
  CancerDiseaseStatus code LOINC 97509-4 with the ConditionStatusTrendVS values (SNOMED CT);
  ECOGPerformanceStatus code LOINC 89247-1 with LOINC answer list LL529-9 (research/standards.md §5).
* LOINC 24108-3: Cancer Ag 19-9 [Units/volume] in Serum or Plasma [RECALL].
* Primary cancer: SNOMED CT 312104005 "Cholangiocarcinoma of intrahepatic bile duct
  (disorder)" [RECALL] and ICD-10 C22.1 "Intrahepatic bile duct carcinoma" (WHO ICD-10).
* RxNorm ingredient CUIs (NLM RxNorm) [RECALL]: oxaliplatin 32592, gemcitabine 12574,
  lenvatinib 1603296; toripalimab has no code here (text only, never guessed).
* Routes: SNOMED CT route-of-administration values of the FHIR R4 example value set.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any, Final

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
UCUM = "http://unitsofmeasure.org"
NCT_SYSTEM = "https://clinicaltrials.gov"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
STUDY_PHASE = "http://terminology.hl7.org/CodeSystem/research-study-phase"

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
PROFILES: Final = MappingProxyType({
    "Patient": MCODE + "mcode-cancer-patient",
    "Condition": MCODE + "mcode-primary-cancer-condition",
    "ECOG": MCODE + "mcode-ecog-performance-status",
    "CA19-9": MCODE + "mcode-tumor-marker-test",
    "CancerDiseaseStatus": MCODE + "mcode-cancer-disease-status",
    "MedicationAdministration": MCODE + "mcode-cancer-related-medication-administration",
})
EVIDENCE_TYPE = MCODE + "mcode-evidence-type"


def coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"system": system, "code": code, "display": display}


def concept(*codings: dict[str, Any], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": list(codings)}
    if text:
        out["text"] = text
    return out


PRIMARY_CANCER = concept(
    coding(SNOMED, "312104005", "Cholangiocarcinoma of intrahepatic bile duct (disorder)"),
    coding(ICD10, "C22.1", "Intrahepatic bile duct carcinoma"), text="Intrahepatic cholangiocarcinoma")
ECOG_CODE = concept(coding(LOINC, "89247-1", "ECOG Performance Status score"))
#: ECOG score → LOINC answer (LL529-9).
ECOG_ANSWERS: Final = MappingProxyType({
    0: ("LA9622-7", "Fully active, able to carry on all pre-disease performance without restriction"),
    1: ("LA9623-5", "Restricted in physically strenuous activity but ambulatory and able to carry out work "
                    "of a light or sedentary nature, e.g., light house work, office work"),
    2: ("LA9624-3", "Ambulatory and capable of all selfcare but unable to carry out any work activities. Up "
                    "and about more than 50% of waking hours"),
    3: ("LA9625-0", "Capable of only limited selfcare, confined to bed or chair more than 50% of waking "
                    "hours"),
    4: ("LA9626-8", "Completely disabled. Cannot carry on any selfcare. Totally confined to bed or chair"),
    5: ("LA9627-6", "Dead"),
})
CA19_9_CODE = concept(coding(LOINC, "24108-3", "Cancer Ag 19-9 [Units/volume] in Serum or Plasma"))
DISEASE_STATUS_CODE = concept(coding(LOINC, "97509-4", "Cancer disease progression"))
#: RECIST 1.1 overall response → mCODE ConditionStatusTrendVS (the trend the response implies).
DISEASE_STATUS: Final = MappingProxyType({
    "CR": ("260415000", "Not detected (qualifier value)"),
    "PR": ("268910001", "Patient's condition improved (finding)"),
    "SD": ("359746009", "Patient's condition stable (finding)"),
    "NON-CR/NON-PD": ("359746009", "Patient's condition stable (finding)"),
    "PD": ("271299001", "Patient's condition worsened (finding)"),
    "NE": ("709137006", "Patient condition undetermined (situation)"),
})
IMAGING_EVIDENCE = concept(coding(SNOMED, "363679005", "Imaging (procedure)"))
RXNORM_CODES: Final = MappingProxyType({"oxaliplatin": "32592", "gemcitabine": "12574",
                                        "lenvatinib": "1603296"})
ROUTES: Final = MappingProxyType({
    "INTRAVENOUS": ("47625008", "Intravenous route (qualifier value)"),
    "ORAL": ("26643006", "Oral route (qualifier value)"),
    "INTRA-ARTERIAL": ("58100008", "Intra-arterial route (qualifier value)"),
})
#: Protocol phase → R4 research-study-phase code.
PHASES: Final = MappingProxyType({
    "EARLY_PHASE1": "early-phase-1", "PHASE1": "phase-1", "PHASE1_PHASE2": "phase-1-phase-2",
    "PHASE2": "phase-2", "PHASE2_PHASE3": "phase-2-phase-3", "PHASE3": "phase-3", "PHASE4": "phase-4",
})
#: ClinicalTrials.gov overall status → R4 ResearchStudy.status.
STUDY_STATUS: Final = MappingProxyType({
    "NOT_YET_RECRUITING": "approved", "RECRUITING": "active", "ENROLLING_BY_INVITATION": "active",
    "ACTIVE_NOT_RECRUITING": "closed-to-accrual", "SUSPENDED": "temporarily-closed-to-accrual",
    "TERMINATED": "administratively-completed", "COMPLETED": "completed", "WITHDRAWN": "withdrawn",
})
