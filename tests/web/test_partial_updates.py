"""htmx fragments (``HX-Request: true``) and their plain-HTML fallbacks.

* The query thread of a record page: raise, answer, close answer the thread fragment (422
  with the error next to its input); without htmx they redirect to the page as before.
* The tumour assessment form: the response preview. The expected responses are worked out
  here by hand from RECIST 1.1 §4.3.1 (PR: ≥30 % decrease of the sum of target diameters
  from baseline; Eisenhauer et al. 2009) and mRECIST (the same thresholds on the viable,
  enhancing diameters; Lencioni & Llovet 2010), not taken from the code under test.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from oncotrial.persistence.models import AuditEvent, FormRecord, Query
from oncotrial.services.audit import AuditContext
from oncotrial.services.crf import do_save_form
from support.clinical import BASELINE_SCAN, example, randomized

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
FOLLOW_UP = [  # baseline: T1 50 mm (40 viable), T2 50 mm (30 viable), NT1 present
    ("T1", "liver", "target", "35", "20"),
    ("T2", "lung", "target", "30", "15"),
    ("NT1", "peritoneum", "non_target", "", ""),
]
"""Sum 65 mm vs 100 mm at baseline: −35 % → PR; viable 35 mm vs 70 mm: −50 % → PR."""


@pytest.fixture
def world(coordinator: Any, make_user: Callable[..., Any], production_list: Any) -> dict[str, Any]:
    subject = randomized(coordinator, "HX-001")
    record = do_save_form(AuditContext(coordinator), subject, "vitals", example("vitals"))
    return {"subject": subject, "record": record, "monitor": make_user("monitor", "SYSUCC")}


def _is_fragment(response: Any) -> bool:
    text = response.content.decode()
    return "<html" not in text and "<header" not in text and 'id="queries"' in text


def test_raising_a_query_with_htmx_answers_only_the_thread(
    signed_in: Callable[[Any], Any], world: dict[str, Any]
) -> None:
    client = signed_in(world["monitor"])
    record = world["record"]
    response = client.post(
        f"/records/{record.pk}/queries/", {"field": "ecog", "text": "Source says ECOG 0?"}, headers=HX
    )
    assert response.status_code == 200
    assert _is_fragment(response)
    assert "HX-Request" in response["Vary"]
    assert "Source says ECOG 0?" in response.content.decode()
    assert 'data-testid="thread-notice"' in response.content.decode()
    assert Query.objects.filter(record=record, field="ecog").count() == 1


def test_without_htmx_raising_a_query_still_redirects_to_the_page(
    signed_in: Callable[[Any], Any], world: dict[str, Any]
) -> None:
    client = signed_in(world["monitor"])
    record = world["record"]
    response = client.post(f"/records/{record.pk}/queries/", {"field": "ecog", "text": "ECOG 0?"})
    assert (response.status_code, response["Location"]) == (302, f"/records/{record.pk}/#queries")
    page = client.get(f"/records/{record.pk}/")
    assert "<html" in page.content.decode() and "ECOG 0?" in page.content.decode()
    assert 'src="/static/oncotrial/oncotrial.js"' in page.content.decode()


def test_a_refused_query_comes_back_as_a_422_fragment_with_the_error_at_its_input(
    signed_in: Callable[[Any], Any], world: dict[str, Any]
) -> None:
    client = signed_in(world["monitor"])
    record = world["record"]
    before = AuditEvent.objects.count()
    response = client.post(f"/records/{record.pk}/queries/", {"field": "ecog", "text": "  "}, headers=HX)
    assert response.status_code == 422
    assert _is_fragment(response)
    text = response.content.decode()
    assert 'aria-describedby="f-q-err"' in text and 'id="f-q-err"' in text
    assert '<option value="ecog" selected>' in text  # the chosen field is kept
    assert AuditEvent.objects.count() == before
    plain = client.post(f"/records/{record.pk}/queries/", {"field": "ecog", "text": ""})
    assert plain.status_code == 422
    assert "<html" in plain.content.decode()


def test_answering_and_closing_with_htmx_update_the_thread(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    from oncotrial.services.queries import do_open_query

    record = world["record"]
    query = do_open_query(AuditContext(world["monitor"]), record, "ecog", "ECOG 0?")
    client = signed_in(coordinator)
    refused = client.post(f"/queries/{query.pk}/answer/", {"text": ""}, headers=HX)
    assert refused.status_code == 422
    assert f'id="f-query-{query.pk}-err"' in refused.content.decode()
    answered = client.post(f"/queries/{query.pk}/answer/", {"text": "ECOG 1 confirmed"}, headers=HX)
    assert answered.status_code == 200 and _is_fragment(answered)
    assert "Answered" in answered.content.decode() and "ECOG 1 confirmed" in answered.content.decode()
    assert f"/queries/{query.pk}/answer/" not in answered.content.decode()  # no answer form any more
    client = signed_in(world["monitor"])
    closed = client.post(f"/queries/{query.pk}/close/", {"text": "ok"}, headers=HX)
    assert closed.status_code == 200 and "Closed" in closed.content.decode()
    query.refresh_from_db()
    assert query.status == "closed"


def test_a_coordinator_cannot_raise_a_query_with_htmx_either(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    client = signed_in(coordinator)
    response = client.post(
        f"/records/{world['record'].pk}/queries/", {"field": "ecog", "text": "?"}, headers=HX
    )
    assert response.status_code == 403
    assert not Query.objects.exists()


def _scan_post(scan_date: str, rows: list[tuple[str, str, str, str, str]]) -> dict[str, str]:
    post = {"scan_date": scan_date, "modality": "ct"}
    for i, (lesion_id, organ, kind, diameter, viable) in enumerate(rows):
        post |= {f"lesions.{i}.lesion_id": lesion_id, f"lesions.{i}.organ": organ, f"lesions.{i}.kind": kind}
        if diameter:
            post[f"lesions.{i}.longest_diameter_mm"] = diameter
        if viable:
            post[f"lesions.{i}.viable_diameter_mm"] = viable
    return post


PREVIEW = "/subjects/HX-001/forms/tumour_assessment/preview/"


def test_the_tumour_form_page_carries_the_preview_region(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    page = signed_in(coordinator).get("/subjects/HX-001/forms/tumour_assessment/new/").content.decode()
    assert f'hx-post="{PREVIEW}"' in page
    assert 'hx-include="form.crf"' in page
    assert 'src="/static/oncotrial/oncotrial.js"' in page
    assert "<script>" not in page  # no inline script (CSP default-src 'self')


def test_the_preview_of_a_follow_up_scan_shows_pr_by_both_criteria_and_saves_nothing(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    do_save_form(AuditContext(coordinator), world["subject"], "tumour_assessment", BASELINE_SCAN)
    client = signed_in(coordinator)
    before = (FormRecord.objects.count(), AuditEvent.objects.count())
    response = client.post(PREVIEW, _scan_post("2024-04-16", FOLLOW_UP), headers=HX)
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and 'data-testid="preview-responses"' in text
    rows = {
        name: row
        for name in ("RECIST 1.1", "mRECIST")
        for row in text.split("<tr>")
        if f'<th scope="row">{name}</th>' in row
    }
    assert '<td class="response">PR</td>' in rows["RECIST 1.1"]
    assert "-35.0 %" in rows["RECIST 1.1"]
    assert '<td class="response">PR</td>' in rows["mRECIST"]
    assert "-50.0 %" in rows["mRECIST"]
    assert (FormRecord.objects.count(), AuditEvent.objects.count()) == before


def test_the_preview_shows_progression_when_the_sum_grows(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    do_save_form(AuditContext(coordinator), world["subject"], "tumour_assessment", BASELINE_SCAN)
    bigger = [("T1", "liver", "target", "65", "45"), ("T2", "lung", "target", "60", "35"), FOLLOW_UP[2]]
    response = signed_in(coordinator).post(PREVIEW, _scan_post("2024-04-16", bigger), headers=HX)
    # 125 mm vs nadir 100 mm (the baseline): +25 % and +25 mm ≥ 5 mm → PD (RECIST 1.1 §4.3.1)
    recist = next(r for r in response.content.decode().split("<tr>") if "RECIST 1.1</th>" in r)
    assert '<td class="response">PD</td>' in recist


def test_the_preview_of_a_first_scan_shows_the_baseline_sums(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    rows = [("T1", "liver", "target", "50", "40"), ("T2", "lung", "target", "50", "30")]
    response = signed_in(coordinator).post(PREVIEW, _scan_post("2024-03-01", rows), headers=HX)
    text = response.content.decode()
    assert 'data-testid="preview-baseline"' in text
    assert "100.0 mm" in text and "70.0 mm" in text  # 50 + 50; viable 40 + 30


def test_an_incomplete_form_previews_what_is_missing_with_links_to_the_inputs(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    post = {"scan_date": "2024-04-16", "lesions.0.lesion_id": "T1"}
    response = signed_in(coordinator).post(PREVIEW, post, headers=HX)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="preview-pending"' in text
    assert 'href="#f-modality"' in text and 'href="#f-lesions0organ"' in text


def test_without_htmx_the_preview_answers_the_whole_form_with_the_values_kept(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    do_save_form(AuditContext(coordinator), world["subject"], "tumour_assessment", BASELINE_SCAN)
    response = signed_in(coordinator).post(PREVIEW, _scan_post("2024-04-16", FOLLOW_UP))
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" in text and 'data-testid="crf-tumour_assessment"' in text
    assert 'value="35"' in text and 'data-testid="preview-responses"' in text
    assert not FormRecord.objects.filter(form_code="tumour_assessment", record_date="2024-04-16").exists()


def test_the_preview_of_an_edit_leaves_the_record_itself_out_of_the_history(
    signed_in: Callable[[Any], Any], coordinator: Any, world: dict[str, Any]
) -> None:
    ctx = AuditContext(coordinator)
    do_save_form(ctx, world["subject"], "tumour_assessment", BASELINE_SCAN)
    scan = do_save_form(
        ctx,
        world["subject"],
        "tumour_assessment",
        {**BASELINE_SCAN, "scan_date": "2024-04-16", "lesions": BASELINE_SCAN["lesions"]},
    )
    client = signed_in(coordinator)
    assert f'hx-post="{PREVIEW}?record={scan.pk}"' in client.get(f"/records/{scan.pk}/edit/").content.decode()
    response = client.post(f"{PREVIEW}?record={scan.pk}", _scan_post("2024-04-16", FOLLOW_UP), headers=HX)
    recist = next(r for r in response.content.decode().split("<tr>") if "RECIST 1.1</th>" in r)
    assert '<td class="response">PR</td>' in recist


def test_the_preview_needs_data_entry_rights_at_the_subjects_site(
    signed_in: Callable[[Any], Any], make_user: Callable[..., Any], world: dict[str, Any]
) -> None:
    for user in (world["monitor"], make_user("coordinator", "OTHER")):
        response = signed_in(user).post(PREVIEW, _scan_post("2024-03-01", FOLLOW_UP[:1]), headers=HX)
        assert response.status_code in {403, 404}
