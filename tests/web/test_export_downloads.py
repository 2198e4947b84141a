"""Standards exports in the web app: data managers and statisticians only, every download audited,
SIMULATED in the file name (issue 8, "Commands and access")."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.conductor.trial import conduct_trial
from oncotrial.persistence.models import AuditEvent, User
from oncotrial.services.simulated import SIMULATED_LABEL

EXPORTERS = ("data_manager", "statistician")
OTHERS = ("investigator", "coordinator", "pharmacist", "monitor", "sponsor_viewer", "admin")


def _downloads() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="download_export").order_by("sequence"))


@pytest.mark.django_db(transaction=True)
def test_exports_are_downloaded_by_data_managers_and_statisticians_only_and_audited(client: Any) -> None:
    conduct_trial(patients=4, sites=2, seed=20240611)

    for username in OTHERS:
        client.force_login(User.objects.get(username=username))
        assert client.get("/exports/").status_code == 403, username
        assert client.get("/exports/odm/").status_code == 403, username
    assert _downloads() == []

    client.force_login(User.objects.get(username="data_manager"))
    page = client.get("/exports/")
    assert page.status_code == 200 and SIMULATED_LABEL in page.content.decode()
    sdtm = client.get("/exports/sdtm/")
    assert sdtm.status_code == 200, sdtm.content[:500]
    assert ".SIMULATED.sdtm.zip" in sdtm["Content-Disposition"]
    names = zipfile.ZipFile(io.BytesIO(sdtm.content)).namelist()
    assert {"SIMULATED.txt", "define.xml", "dm.xpt", "dm.json", "tr.xpt", "rs.json"} <= set(names)
    adam = client.get("/exports/adam/")
    assert adam.status_code == 200 and ".SIMULATED.adam.zip" in adam["Content-Disposition"]
    adam_names = set(zipfile.ZipFile(io.BytesIO(adam.content)).namelist())
    assert {"adsl.xpt", "adlb.json", "define.xml"} <= adam_names

    client.force_login(User.objects.get(username="statistician"))
    for kind, suffix in (("odm", "xml"), ("fhir", "json"), ("ctgov", "json")):
        response = client.get(f"/exports/{kind}/")
        assert response.status_code == 200, (kind, response.content[:500])
        assert f".SIMULATED.{kind}.{suffix}" in response["Content-Disposition"]
    assert b"SIMULATED" in client.get("/exports/odm/").content
    bundle = json.loads(client.get("/exports/fhir/").content)
    assert bundle["resourceType"] == "Bundle" and bundle["meta"]["tag"]

    audited = _downloads()
    assert [(e.actor_username, e.entity_id) for e in audited] == [
        ("data_manager", "sdtm"),
        ("data_manager", "adam"),
        ("statistician", "odm"),
        ("statistician", "fhir"),
        ("statistician", "ctgov"),
        ("statistician", "odm"),
        ("statistician", "fhir"),
    ]
    detail = audited[0].new
    assert detail["format"] == "zip" and detail["simulated"] is True
    assert detail["records"]["DM"] == 4 and detail["file"].endswith(".SIMULATED.sdtm.zip")


@pytest.mark.django_db
def test_an_unknown_export_is_refused_without_an_audit_row(
    client: Any, make_user: Callable[..., Any]
) -> None:
    client.force_login(make_user("statistician"))
    response = client.get("/exports/sas/")
    assert response.status_code == 409 and "one of sdtm, adam, odm, fhir, ctgov" in response.content.decode()
    assert _downloads() == []
