"""Audit extracts per subject and per form, CSV/JSON, and the ``oncotrial audit`` commands."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from typer.testing import CliRunner

from oncotrial.cli.audit_cmd import app
from oncotrial.persistence.models import AuditEvent, FormRecord
from oncotrial.services.audit import AuditContext
from oncotrial.services.audit_export import COLUMNS, audit_rows, write_audit_csv
from oncotrial.services.crf import do_save_form
from support import django_db
from support.clinical import example

pytestmark = pytest.mark.django_db
role_users = django_db.role_users
treated = django_db.treated


def test_a_subjects_extract_holds_its_rows_in_chain_order(treated: Any, role_users: dict[str, Any]) -> None:
    rows = audit_rows(subject_id="T-001")
    assert rows and {r["subject_id"] for r in rows} == {"T-001"}
    assert [r["sequence"] for r in rows] == sorted(r["sequence"] for r in rows)
    assert {"screen", "consent", "randomize", "start_treatment", "create"} <= {r["action"] for r in rows}


def test_a_form_extract_holds_only_records_of_that_form(treated: Any, role_users: dict[str, Any]) -> None:
    vitals = FormRecord.objects.get(subject=treated, form_code="vitals")
    do_save_form(
        AuditContext(role_users["coordinator"], reason="re-weighed"),
        treated,
        "vitals",
        example("vitals", weight={"value": 64, "unit": "kg"}),
        record=vitals,
    )
    rows = audit_rows(form="vitals")
    assert {r["entity_id"] for r in rows} == {str(vitals.pk)}
    assert [r["action"] for r in rows] == ["create", "edit", "edit"]  # weight and derived


def test_the_csv_has_every_column_and_json_values_as_text(treated: Any) -> None:
    stream = io.StringIO()
    count = write_audit_csv(audit_rows(subject_id="T-001"), stream)
    read = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert len(read) == count and tuple(read[0]) == COLUMNS
    created = next(r for r in read if r["action"] == "create" and r["entity"] == "form_record")
    assert json.loads(created["new"])["form"] in ("vitals", "labs")


def test_audit_verify_exits_0_when_intact_and_1_at_the_first_break(treated: Any, tmp_path: Path) -> None:
    runner = CliRunner()
    database = ["--database", str(tmp_path / "unused.sqlite3")]
    assert runner.invoke(app, ["verify", *database]).exit_code == 0
    if connection.vendor == "postgresql":
        pytest.skip("the PostgreSQL trigger refuses any UPDATE of audit rows")
    event = AuditEvent.objects.order_by("sequence")[3]
    with connection.cursor() as cursor:  # the models refuse updates: tamper with raw SQL
        cursor.execute("UPDATE persistence_auditevent SET reason = 'tampered' WHERE id = %s", [event.pk])
    result = runner.invoke(app, ["verify", *database])
    assert result.exit_code == 1 and f"sequence {event.sequence}" in result.output


def test_audit_export_writes_a_subjects_rows(treated: Any, tmp_path: Path) -> None:
    out = tmp_path / "audit.json"
    result = CliRunner().invoke(
        app,
        [
            "export",
            "--subject",
            "T-001",
            "--format",
            "json",
            "--out",
            str(out),
            "--database",
            str(tmp_path / "unused.sqlite3"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert {r["subject_id"] for r in json.loads(out.read_text())} == {"T-001"}
