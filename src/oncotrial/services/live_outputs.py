"""Outputs computed from the whole database: the live trial report and the registry page.

Both are recomputed only when the data changed: they are cached under the audit
trail's head sequence, which moves with every change of any record.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count

from oncotrial.core.errors import DomainError
from oncotrial.exports.ctgov.registry_page import render_registry_page
from oncotrial.exports.ctgov.results_section import export_study_with_results, inputs_from_report_extras
from oncotrial.persistence.models import Allocation, AuditHead, User
from oncotrial.services.permissions import Action, check_permission
from oncotrial.services.protocol import current_protocol
from oncotrial.services.registry import registry_study
from oncotrial.services.simulated import database_is_simulated
from oncotrial.services.trial_dataset import trial_dataset

TIMEOUT = 24 * 3600


def _version() -> int:
    head = AuditHead.objects.filter(pk=1).values_list("sequence", flat=True).first()
    return int(head or 0)


@dataclass(frozen=True, slots=True)
class LiveReport:
    html: str | None
    """The report fragment, or ``None`` while the data cannot be analysed yet."""
    reason: str = ""


def live_report_html(user: User) -> LiveReport:
    """The trial report (HTML fragment) for report readers, or why it cannot be made yet."""
    check_permission(user, Action.VIEW_REPORT)
    key = f"oncotrial:report:{_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = _report()
        cache.set(key, cached, TIMEOUT)
    return LiveReport(*cached)


def _arms_without_subjects() -> list[str]:
    arms = dict(Allocation.objects.values_list("slot__arm").annotate(n=Count("id")))
    return [arm.code for arm in current_protocol().arms if not arms.get(arm.code)]


def _report() -> tuple[str | None, str]:
    protocol = current_protocol()
    missing = _arms_without_subjects()
    if missing:
        return None, f"no subject randomized yet to {', '.join(missing)}: the comparisons need both arms"
    from oncotrial.analysis.report import render_report_html

    dataset = trial_dataset()
    try:
        return render_report_html(dataset.data, dataset.extras, protocol=protocol, parallel=False), ""
    except DomainError as exc:
        return None, f"the data cannot be analysed yet: {exc}"


def registry_page_with_results() -> str:
    """The public registry page; its "Study Results" are filled while the database is simulated.

    A real trial's results are posted to the registry after the analysis is final, not
    live from the database, so a non-simulated database shows the protocol record only.
    """
    key = f"oncotrial:registry:{_version()}"
    html = cache.get(key)
    if html is None:
        html = None
        if database_is_simulated() and not _arms_without_subjects():
            dataset = trial_dataset()
            try:
                exported, _ = export_study_with_results(
                    current_protocol(), dataset.data, inputs=inputs_from_report_extras(dataset.extras)
                )
                html = render_registry_page(exported.study, simulated=True)
            except DomainError:
                html = None  # results not postable yet (e.g. an arm without events): the record alone
        if html is None:
            html = render_registry_page(registry_study())
        cache.set(key, html, TIMEOUT)
    return str(html)
