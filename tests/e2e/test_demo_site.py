"""What ``make run`` gives a new user: the SIMULATED 120-patient trial built through the
application (``oncotrial demo``), served by ``oncotrial serve``, and checked in Chromium.

The build runs once per module in a temporary folder, exactly as the README's command
does (the database, the secret key file and the demo passwords are its own). The checks:
the dashboard, a subject's timeline, the live report and the public ``/trial`` page show
their key content; the report's numbers equal the analysis functions' numbers computed
from the same database in another process; the control arm's 6-month PFS rate hits the
calibration target within Monte Carlo error; a second ``oncotrial demo`` reuses the
database and says so.
"""

from __future__ import annotations

import json
import math
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from support.browser import Browsing, chromium

PATIENTS = 120
CONTROL_PFS6_TARGET = 0.66
"""clinical-content.md §2.4: control-arm 6-month PFS rate 0.62–0.70 (midpoint)."""

ANALYSIS_SCRIPT = """
import json, os
import django
django.setup()
from oncotrial.analysis.trial_analysis import analyze_trial
from oncotrial.services.protocol import current_protocol
from oncotrial.services.trial_dataset import trial_dataset
data = trial_dataset().data
a = analyze_trial(data, protocol=current_protocol())
out = {"randomized": len(data.patients)}
for arm, row in a.pfs6.arms.iterrows():
    out[f"pfs6.{str(arm).lower()}.rate"] = round(100 * float(row["survival"]), 1)
    out[f"pfs6.{str(arm).lower()}.n"] = int(row["n"])
out["pfs6.difference"] = round(100 * float(a.pfs6.difference), 1)
print(json.dumps(out))
"""


@dataclass(frozen=True)
class DemoSite:
    url: str
    folder: Path
    env: dict[str, str]
    build_output: str
    passwords: dict[str, str]


def _oncotrial() -> str:
    return str(Path(sys.executable).with_name("oncotrial"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _passwords(output: str) -> dict[str, str]:
    found = {}
    for match in re.finditer(r"^\W*([a-z_]+)\s+[a-z_]+\s+.*?\s(demo-\S+)", output, re.MULTILINE):
        found[match.group(1)] = match.group(2).rstrip("│| ")
    return found


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoSite]:
    folder = tmp_path_factory.mktemp("make-run")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(COLUMNS="200", ONCOTRIAL_SECRET_KEY=secrets.token_urlsafe(50))
    build = subprocess.run(
        [_oncotrial(), "demo", "--patients", str(PATIENTS)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    port = _free_port()
    server = subprocess.Popen(
        [_oncotrial(), "serve", "--port", str(port)],
        cwd=folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        yield DemoSite(url, folder, env, build.stdout, _passwords(build.stdout))
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def site_browser(demo_site: DemoSite) -> Iterator[Browsing]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(30_000)
        yield Browsing(context.new_page(), demo_site.url)
        context.close()


def test_the_demo_build_is_labelled_simulated_and_prints_demo_only_accounts(demo_site: DemoSite) -> None:
    out = demo_site.build_output
    assert "SIMULATED DATA: not results of NCT07304388" in out
    assert f"{PATIENTS} randomized" in out
    assert "DEMO ONLY" in out
    assert {"coordinator", "statistician", "data_manager"} <= set(demo_site.passwords), out[-2000:]


def test_the_dashboard_shows_the_whole_trial_enrolled(site_browser: Browsing, demo_site: DemoSite) -> None:
    site_browser.sign_in("data_manager", demo_site.passwords["data_manager"])
    site_browser.open("/")
    assert site_browser.text_of("randomized-total") == str(PATIENTS)
    site_browser.expect_text("SIMULATED DATA: not results of NCT07304388", within="body")
    site_browser.expect_text("Screening funnel")


def test_a_subject_timeline_shows_screening_randomization_treatment_and_scans(
    site_browser: Browsing, demo_site: DemoSite
) -> None:
    site_browser.sign_in("coordinator", demo_site.passwords["coordinator"])
    site_browser.open("/subjects/")
    site_browser.page.get_by_test_id("subject-table").get_by_role("link").first.click()
    timeline = site_browser.text_of("timeline")
    for expected in ("Screened", "Randomized to", "Study drug exposure", "RECIST 1.1"):
        assert expected in timeline, expected


def _page_stats(site_browser: Browsing) -> dict[str, str]:
    cells = site_browser.page.locator("[data-stat]")
    return {cells.nth(i).get_attribute("data-stat"): cells.nth(i).inner_text() for i in range(cells.count())}


def test_the_live_report_equals_the_analysis_of_the_same_database(
    site_browser: Browsing, demo_site: DemoSite
) -> None:
    site_browser.sign_in("statistician", demo_site.passwords["statistician"])
    site_browser.open("/report/")
    site_browser.expect_text("6-month")
    stats = _page_stats(site_browser)
    env = demo_site.env | {
        "DJANGO_SETTINGS_MODULE": "oncotrial.web.django_settings",
        "ONCOTRIAL_SQLITE_PATH": str(demo_site.folder / ".oncotrial" / "demo.sqlite3"),
    }
    done = subprocess.run(
        [sys.executable, "-c", ANALYSIS_SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    expected: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    assert expected["randomized"] == PATIENTS
    for key in ("pfs6.haic.rate", "pfs6.gemox.rate", "pfs6.difference"):
        assert float(stats[key].strip().rstrip("%")) == pytest.approx(expected[key], abs=0.05), key


def test_the_control_arm_hits_its_six_month_pfs_calibration_within_monte_carlo_error(
    site_browser: Browsing, demo_site: DemoSite
) -> None:
    site_browser.sign_in("statistician", demo_site.passwords["statistician"])
    site_browser.open("/report/")
    stats = _page_stats(site_browser)
    rate = float(stats["pfs6.gemox.rate"].rstrip("%")) / 100
    n = int(stats["pfs6.gemox.n"])
    standard_error = math.sqrt(CONTROL_PFS6_TARGET * (1 - CONTROL_PFS6_TARGET) / n)
    assert abs(rate - CONTROL_PFS6_TARGET) <= 3 * standard_error, (rate, n)


def test_the_public_registry_page_posts_simulated_results(site_browser: Browsing) -> None:
    site_browser.page.context.clear_cookies()
    site_browser.open("/trial")
    site_browser.expect_text("NCT07304388")
    site_browser.expect_text("Study Results")
    site_browser.expect_text("SIMULATED DATA: not results of NCT07304388")
    site_browser.expect_text("Participant Flow")


def test_running_the_demo_again_reuses_the_database_and_says_so(demo_site: DemoSite) -> None:
    again = subprocess.run(
        [_oncotrial(), "demo", "--patients", str(PATIENTS)],
        cwd=demo_site.folder,
        env=demo_site.env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert "Reusing the demo database" in again.stdout


def test_every_standards_export_of_the_demo_database_is_built_and_validated(
    demo_site: DemoSite, tmp_path: Path
) -> None:
    done = subprocess.run(
        [
            _oncotrial(),
            "export",
            "all",
            "--database",
            str(demo_site.folder / ".oncotrial" / "demo.sqlite3"),
            "--out",
            str(tmp_path),
        ],
        cwd=demo_site.folder,
        env=demo_site.env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(
        f"NCT07304388.SIMULATED.{kind}"
        for kind in ("sdtm.zip", "adam.zip", "odm.xml", "fhir.json", "ctgov.json")
    )
    assert "SIMULATED DATA: not results of NCT07304388" in done.stdout
