"""Every eCRF page: a bad value of each field kind comes back next to its input (422), and
nothing is written. Forms are enumerated from the declarations, so a new form is covered."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.services.forms import FORMS, FieldKind
from oncotrial.web.crf_form import data_to_inputs
from support.clinical import example, table_counts

pytestmark = pytest.mark.django_db

BAD_INPUT: dict[FieldKind, str] = {
    FieldKind.INTEGER: "twelve",
    FieldKind.DECIMAL: "n/a",
    FieldKind.TEXT: "x" * 5000,
    FieldKind.DATE: "2024-02-30",
    FieldKind.CHOICE: "not-a-choice",
    FieldKind.BOOLEAN: "perhaps",
    FieldKind.MEASUREMENT: "furlongs",  # the unit
}
CASES = [
    (code, first.name, kind)
    for code, spec in FORMS.items()
    for kind in BAD_INPUT
    if (first := next((f for f in spec.fields if f.kind is kind and f.max_length < 5000), None)) is not None
]


@pytest.mark.parametrize(("code", "field", "kind"), CASES, ids=[f"{c}-{f}" for c, f, _ in CASES])
def test_a_bad_value_posted_to_each_form_page_is_shown_at_its_field_and_nothing_is_saved(
    code: str,
    field: str,
    kind: FieldKind,
    treated: Any,
    role_users: dict[str, Any],
    signed_in: Callable[[Any], Any],
) -> None:
    client = signed_in(role_users["coordinator"])
    inputs = data_to_inputs(FORMS[code], example(code))
    name = f"{field}.unit" if kind is FieldKind.MEASUREMENT else field
    inputs[name] = BAD_INPUT[kind]
    if kind is FieldKind.MEASUREMENT:
        inputs.setdefault(f"{field}.value", "5")
    counts = table_counts()
    response = client.post(f"/subjects/{treated.subject_id}/forms/{code}/new/", inputs)
    assert response.status_code == 422, (code, field)
    errors = response.context["errors"]
    shown = {f"{field}.value", f"{field}.unit"} if kind is FieldKind.MEASUREMENT else {field}
    assert shown & set(errors), (shown, errors)
    assert b'aria-invalid="true"' in response.content
    assert table_counts() == counts
