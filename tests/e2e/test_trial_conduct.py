"""A site team runs one patient through the first weeks of NCT07304388, in the browser only.

Log in, screen two patients (one eligible, one not), consent and randomize the eligible one,
give cycle 1 with a gemcitabine reduction on day 8, record a grade 3 adverse event, enter
the baseline and two follow-up scans (RECIST 1.1: PR, then PD), verify and sign a record,
and raise, answer and close a query. The services' clock is frozen and moved through the
calendar (forms refuse dates after "today"). SIMULATED DATA: not results of NCT07304388.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from oncotrial.services import clock
from support.browser import Browsing
from support.candidates import example_patient
from support.web import PASSWORD

BASELINE_SCAN = date(2024, 3, 1)
SCREENED = date(2024, 3, 5)
DAY_8 = date(2024, 3, 12)
WEEK_6 = date(2024, 4, 16)
WEEK_12 = date(2024, 5, 28)
MOSTELLER_BSA = math.sqrt(170 * 63.5 / 3600)
"""Mosteller 1987 (N Engl J Med 317:1098): √(height cm × weight kg / 3600) = 1.7316 m²."""


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def _screen(b: Browsing, patient_id: str, *, ecog: int) -> None:
    """Fill the screening form with the documented example candidate (``docs/examples/patient.json``)."""
    from oncotrial.services.protocol import current_protocol
    from oncotrial.web.screening_form import fact_fields, lab_fields

    doc = example_patient()
    b.open("/screening/new/")
    b.fill_all(
        {
            "Patient ID": patient_id,
            "Site": "SYSUCC",
            "Screening date": SCREENED.isoformat(),
            "Consent date": doc["consent_date"],
            "Birth date": doc["birth_date"],
            "Sex": doc["sex"],
            "ECOG performance status (0–5)": str(ecog),
            "Extrahepatic metastasis": "yes",
            "Weight": str(doc["weight"]["value"]),
            "Weight unit": doc["weight"]["unit"],
            "Height": str(doc["height"]["value"]),
            "Height unit": doc["height"]["unit"],
            "Sample date": doc["labs"][0]["date"],
            "Ascites": doc["ascites"],
            "Encephalopathy": doc["encephalopathy"],
            "Imaging date": doc["lesions"][0]["date"],
            "Slice thickness (mm)": "5",
        }
    )
    labels = {lab.code: lab.label for lab in lab_fields()}
    for lab in doc["labs"]:
        b.fill(f"{labels[lab['test']]} ({lab['test']})", str(lab["value"]))
        b.fill(f"{lab['test']} unit", lab["unit"])
    for i, lesion in enumerate(doc["lesions"], start=1):
        size = lesion.get("longest_diameter_mm", lesion.get("short_axis_mm"))
        b.fill(f"Lesion {i} id", lesion["id"])
        b.fill(f"Lesion {i} organ", lesion["organ"])
        b.fill(f"Lesion {i} is a lymph node", "on" if lesion["lymph_node"] else "off")
        b.fill(f"Lesion {i} size in mm", str(size))
    for fact in fact_fields(current_protocol()):
        if fact.kind == "number":
            b.fill(f"{fact.label} (value)", str(doc["numbers"][fact.code]))
            continue
        value = doc["facts"][fact.code]
        present = value["present"] if isinstance(value, dict) else value
        b.fill(fact.label, "on" if present else "off")
        if fact.kind == "flag_dated" and present:
            b.fill(f"{fact.label}: date", value["date"])
    b.press("Run eligibility and save")
    b.no_error_summary()
    assert b.page.url.endswith(f"/subjects/{patient_id}/")


def _record_id(b: Browsing) -> int:
    found = re.search(r"/records/(\d+)/$", b.page.url)
    assert found, b.page.url
    return int(found.group(1))


def _visit_row(b: Browsing, patient_id: str, visit: str) -> Any:
    b.open(f"/subjects/{patient_id}/")
    visits = b.page.get_by_test_id("visits")
    return visits.get_by_role("row").filter(has=b.page.get_by_role("cell", name=visit, exact=True))


def _record_visit(b: Browsing, patient_id: str, visit: str, day: date) -> None:
    """Enter the date the visit took place, in its row of the treatment calendar."""
    row = _visit_row(b, patient_id, visit)
    b.fill(f"Date of visit {visit}", day.isoformat())
    with b.page.expect_navigation():
        row.get_by_role("button", name="Record").click()
    b.no_error_summary()


def _open_visit_form(b: Browsing, patient_id: str, visit: str, form: str) -> None:
    row = _visit_row(b, patient_id, visit)
    with b.page.expect_navigation():
        row.get_by_role("link", name=form, exact=True).click()


def _dose_decision(b: Browsing, drug: str) -> list[str]:
    """Decision, prescribed dose (mg) and rule of ``drug`` on an exposure record's page."""
    table = b.page.get_by_test_id("dose-decision")
    row = table.get_by_role("row").filter(has=b.page.get_by_role("rowheader", name=drug, exact=True))
    return [str(text).strip() for text in row.get_by_role("cell").all_inner_texts()]


def _query(b: Browsing, field: str) -> str:
    """The text of the query raised on ``field`` of the record shown."""
    return str(b.page.get_by_test_id("query").filter(has_text=field).inner_text())


def _in_place(b: Browsing, button: str, notice: str) -> None:
    """Press ``button`` of the query thread, which htmx updates in place (no page load)."""
    from playwright.sync_api import expect

    b.page.get_by_role("button", name=button, exact=True).click()
    expect(b.page.get_by_test_id("thread-notice")).to_have_text(notice)


def _save(b: Browsing) -> int:
    b.press("Save")
    b.no_error_summary()
    return _record_id(b)


def _labs(b: Browsing, patient_id: str, visit: str, day: date, neutrophils: str) -> int:
    _open_visit_form(b, patient_id, visit, "labs")
    b.fill_all(
        {
            "Sample collection date": day.isoformat(),
            "Absolute neutrophil count": neutrophils,
            "Absolute neutrophil count unit": "10^9/L",
            "Platelet count": "182",
            "Platelet count unit": "10^9/L",
            "White blood cell count": "4.1",
            "White blood cell count unit": "10^9/L",
        }
    )
    return _save(b)


def _give(b: Browsing, record_id: int, doses: dict[str, str], pharmacist: Any, coordinator: Any) -> None:
    """The pharmacist verifies the prescription on its page; the coordinator then records the doses."""
    b.sign_in(pharmacist.username, PASSWORD)
    b.open(f"/records/{record_id}/")
    b.press("Verify doses")
    b.expect_text(f"verified by {pharmacist.username}")
    b.sign_in(coordinator.username, PASSWORD)
    b.open(f"/records/{record_id}/edit/")
    for row, (drug, dose) in enumerate(doses.items()):
        b.fill("Drug", drug, row=row)
        b.fill("Dose given (mg)", dose, row=row)
    b.fill("Reason for change", "doses given after the pharmacist's verification")
    assert _save(b) == record_id


def _scan(
    b: Browsing,
    patient_id: str,
    day: date,
    lesions: list[tuple[str, str, str, str, str]],
    *,
    follow_up: bool = True,
) -> str:
    """Enter one scan's lesion table (id, organ, kind, longest and viable diameters); return the page text."""
    b.open(f"/subjects/{patient_id}/")
    with b.page.expect_navigation():
        b.page.get_by_role("link", name=re.compile("^New tumour assessment", re.I)).click()
    b.fill("Scan date", day.isoformat())
    b.fill("Modality", "ct")
    for row, (lesion_id, organ, kind, longest, viable) in enumerate(lesions):
        b.fill("Lesion id", lesion_id, row=row)
        b.fill("Organ or site", organ, row=row)
        b.fill("Kind", kind, row=row)
        if kind == "target":
            b.fill("Longest diameter (mm)", longest, row=row)
            b.fill("Viable (enhancing) diameter, mRECIST (mm)", viable, row=row)
        elif follow_up:
            b.fill("Non-target status at follow-up", "present", row=row)
    _save(b)
    return str(b.page.get_by_test_id("derived").inner_text())


def test_a_site_team_screens_randomizes_treats_assesses_signs_and_queries_in_the_browser(
    browsing: Browsing,
    staff: dict[str, Any],
    production_list: Any,
    site_ranges: None,
    tmp_path: Path,
    admin: Any,
) -> None:
    from oncotrial.services.audit import AuditContext
    from oncotrial.services.simulated import SIMULATED_LABEL, do_mark_simulated

    # The patients are invented: the study is marked simulated, as 'oncotrial demo' marks its database.
    do_mark_simulated(AuditContext(admin), seed=0, data_cutoff=WEEK_12, parameters={"source": "tests/e2e"})
    b = browsing
    with clock.frozen_clock(_at(SCREENED)):
        b.sign_in(staff["coordinator"].username, PASSWORD)

        # Screening: the example candidate is eligible; with ECOG 3 (EXC: ECOG 0–1) the same one is not.
        _screen(b, "E2E-001", ecog=1)
        assert b.text_of("screening-status") == "Eligible"
        _screen(b, "E2E-002", ecog=3)
        assert b.text_of("screening-status") == "Not eligible"
        b.expect_text("excludes")

        # Consent and randomization (a repeated click could not randomize twice: one request key).
        b.open("/subjects/E2E-001/")
        b.fill_all({"Consent form version": "1.0", "Consent date": SCREENED.isoformat()})
        b.press("Record consent")
        b.no_error_summary()
        b.press("Randomize E2E-001")
        b.no_error_summary()
        arm = b.text_of("arm")
        assert arm in {"HAIC", "GEMOX"}

        # Cycle 1 day 1: calendar, vitals, labs, the dose decision, verification, doses given.
        b.fill("Treatment start (cycle 1 day 1)", SCREENED.isoformat())
        b.press("Start treatment and plan cycles")
        b.no_error_summary()
        b.expect_text("C1D8")
        _record_visit(b, "E2E-001", "C1D1", SCREENED)
        _open_visit_form(b, "E2E-001", "C1D1", "vitals")
        b.fill_all(
            {
                "Assessment date": SCREENED.isoformat(),
                "Body weight": "63.5",
                "Body weight unit": "kg",
                "Height": "170",
                "Height unit": "cm",
                "ECOG performance status": "1",
            }
        )
        _save(b)
        b.expect_text("bsa m2")
        _labs(b, "E2E-001", "C1D1", SCREENED, "3.4")
        _open_visit_form(b, "E2E-001", "C1D1", "exposure")
        b.fill_all({"Treatment date": SCREENED.isoformat(), "Cycle": "1", "Cycle day": "1"})
        day_1 = _save(b)
        # Doses of the Mosteller BSA: gemcitabine 1000 mg/m², oxaliplatin 85 mg/m², toripalimab flat 240 mg.
        _give(
            b,
            day_1,
            {"gemcitabine": "1732", "oxaliplatin": "147", "toripalimab": "240"},
            staff["pharmacist"],
            staff["coordinator"],
        )

        # Day 8: ANC 0.95 ×10⁹/L (0.5 to <1.0) gives 75 % of gemcitabine (BC Cancer GemOx, day 8);
        # CTCAE v5.0 grades it 3 (<1.0–0.5 ×10⁹/L).
        clock.move_frozen_clock(_at(DAY_8))
        _record_visit(b, "E2E-001", "C1D8", DAY_8)
        _labs(b, "E2E-001", "C1D8", DAY_8, "0.95")
        grades = b.text_of("derived")
        assert re.search(r"neut: value: 0\.95?;[^\n]*?grade: 3", grades), grades
        assert "Neutrophil count decreased" in grades, grades
        _open_visit_form(b, "E2E-001", "C1D8", "exposure")
        b.fill_all({"Treatment date": DAY_8.isoformat(), "Cycle": "1", "Cycle day": "8"})
        day_8 = _save(b)
        decision, prescribed, rule = _dose_decision(b, "gemcitabine")
        assert decision.startswith("reduce") and "gemcitabine day 8, ANC" in rule, (decision, rule)
        assert abs(float(prescribed) - 0.75 * 1000 * MOSTELLER_BSA) <= 1
        b.screenshot(tmp_path / "exposure-day-8.png")
        _give(b, day_8, {"gemcitabine": "1299"}, staff["pharmacist"], staff["coordinator"])
        b.expect_text("1299")

        # A grade 3 adverse event, attributed to the chemotherapy.
        b.open("/subjects/E2E-001/")
        with b.page.expect_navigation():
            b.page.get_by_role("link", name=re.compile("^New adverse event", re.I)).click()
        b.fill_all(
            {
                "CTCAE v5.0 term": "Neutrophil count decreased",
                "CTCAE grade (worst)": "3",
                "Dose-modification category": "neutropenia",
                "Onset date": DAY_8.isoformat(),
                "Serious (ICH E2A)": "no",
                "Relationship to oxaliplatin": "possible",
                "Relationship to gemcitabine": "probable",
                "Relationship to lenvatinib": "unlikely",
                "Relationship to toripalimab": "not_related",
                "Immune-mediated": "no",
                "Action taken with gemcitabine": "dose_reduced",
                "Outcome": "recovering",
            }
        )
        adverse_event = _save(b)
        b.expect_text("Neutrophil count decreased")

        # Scans. RECIST 1.1 §4.3.1: baseline sum 50 + 50 = 100 mm; 35 + 30 = 65 mm (−35 %) is PR;
        # 45 + 35 = 80 mm is +23 % and +15 mm over the nadir of 65 mm: PD.
        baseline = _scan(
            b,
            "E2E-001",
            BASELINE_SCAN,
            [
                ("T1", "liver", "target", "50", "40"),
                ("T2", "lung", "target", "50", "30"),
                ("NT1", "peritoneum", "non_target", "", ""),
            ],
            follow_up=False,
        )
        assert "100" in baseline
        clock.move_frozen_clock(_at(WEEK_6))
        first = _scan(
            b,
            "E2E-001",
            WEEK_6,
            [
                ("T1", "liver", "target", "35", "20"),
                ("T2", "lung", "target", "30", "15"),
                ("NT1", "peritoneum", "non_target", "", ""),
            ],
        )
        assert "response: PR" in first, first
        clock.move_frozen_clock(_at(WEEK_12))
        second = _scan(
            b,
            "E2E-001",
            WEEK_12,
            [
                ("T1", "liver", "target", "45", "30"),
                ("T2", "lung", "target", "35", "20"),
                ("NT1", "peritoneum", "non_target", "", ""),
            ],
        )
        assert "response: PD" in second, second
        b.screenshot(tmp_path / "scan-week-12.png")

        # The monitor verifies the AE against source and raises a query on it.
        b.sign_in(staff["monitor"].username, PASSWORD)
        b.open(f"/records/{adverse_event}/")
        b.fill_all(
            {"Field": "onset_date", "Question": "Source notes say 13 March: please confirm the onset."}
        )
        _in_place(b, "Raise query", "Query raised on onset_date.")
        assert "Open" in _query(b, "onset_date")
        b.press("Mark verified")
        assert b.text_of("record-status") == "Source-data verified"

        # The investigator answers the query and signs by re-entering the password.
        b.sign_in(staff["investigator"].username, PASSWORD)
        b.open(f"/records/{adverse_event}/")
        b.fill("Answer", "Onset 12 March confirmed from the day-8 blood count.")
        _in_place(b, "Answer", "Query on onset_date answered.")
        assert "Answered" in _query(b, "onset_date")
        b.fill_all({"Meaning": "I have reviewed and approve these data", "Your password": PASSWORD})
        b.press("Sign")
        assert b.text_of("record-status") == "Signed by the investigator"
        signature = b.text_of("signature")
        assert "I have reviewed and approve these data" in signature

        # The monitor closes the query; the dashboard then shows none open.
        b.sign_in(staff["monitor"].username, PASSWORD)
        b.open(f"/records/{adverse_event}/")
        b.fill("Closing note", "Confirmed against source.")
        _in_place(b, "Close", "Query on onset_date closed.")
        assert "Closed" in _query(b, "onset_date")

        # The dashboard (study-wide) and the subject's timeline show what happened (issue 7).
        b.sign_in(staff["data_manager"].username, PASSWORD)
        b.open("/")
        assert b.text_of("simulated-banner") == SIMULATED_LABEL
        assert b.text_of("randomized-total") == "1"
        funnel = b.text_of("funnel")
        assert re.search(r"Assessed for eligibility\s*2", funnel) and re.search(r"Not eligible\s*1", funnel)
        b.expect_text(re.compile(r"Open queries \(0\)"))
        overdue = b.page.get_by_role("region", name=re.compile("^Overdue visits")).inner_text()
        assert "C1D1" not in overdue and "C1D8" not in overdue, overdue
        assert b.page.locator("main svg").count() >= 1
        b.screenshot(tmp_path / "dashboard.png")
        b.open("/subjects/E2E-001/")
        timeline = b.text_of("timeline")
        for event in ("Screened: eligible", f"Randomized to {arm}", "Adverse event", "Tumour assessment"):
            assert event in timeline, (event, timeline)
        b.screenshot(tmp_path / "subject.png")
        b.open("/trial")
        assert b.text_of("simulated-banner") == SIMULATED_LABEL


def test_the_public_registry_page_shows_the_trial_without_signing_in(browsing: Browsing) -> None:
    """``/trial`` in the spirit of the ClinicalTrials.gov record, rendered from the protocol file."""
    b = browsing
    b.open("/trial")
    assert "NCT07304388" in b.text_of("registry")
    registry = b.page.get_by_test_id("registry")
    for heading in (
        "Study Overview",
        "Arms and Interventions",
        "Eligibility Criteria",
        "Outcome Measures",
        "Study Results",
    ):
        assert registry.get_by_role("heading", name=heading, exact=True).count() == 1, heading
    b.expect_text("Experimental: HAIC oxaliplatin", within="[data-testid=registry]")
    b.expect_text("Control: IV GemOx", within="[data-testid=registry]")
    assert b.page.get_by_test_id("simulated-banner").count() == 0


def test_every_link_of_the_navigation_opens_a_page(browsing: Browsing, staff: dict[str, Any]) -> None:
    """The data manager's menu has every page (the trial report and the audit trail included)."""
    b = browsing
    b.sign_in(staff["data_manager"].username, PASSWORD)
    links = b.page.get_by_role("navigation", name="Main").get_by_role("link")
    targets = {str(link.inner_text()): str(link.get_attribute("href")) for link in links.all()}
    assert {"Trial report", "Audit trail", "Registry page"} <= set(targets)
    for name, href in targets.items():
        response = b.page.goto(b.base_url + href)
        assert response is not None and response.status == 200, (name, href, response and response.status)
