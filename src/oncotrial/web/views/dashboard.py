"""The study dashboard: enrollment vs target, screening funnel, visits, queries, SAE alerts."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from oncotrial.services import dashboard
from oncotrial.services.errors import PermissionDenied
from oncotrial.services.simulated import trial_today
from oncotrial.web.charts import enrollment_chart
from oncotrial.web.views.common import acting_user


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    context: dict[str, object] = {"user": user}
    try:
        enrollment = dashboard.enrollment(user)
        funnel = dashboard.screening_funnel(user)
    except PermissionDenied:
        return render(request, "oncotrial/dashboard.html", context)
    context.update(
        enrollment=enrollment,
        funnel=funnel,
        chart=enrollment_chart(enrollment),
        site_rows=[
            (site, [counts.get(arm, 0) for arm in enrollment.arms], sum(counts.values()))
            for site, counts in enrollment.by_site.items()
        ],
        arm_totals=[enrollment.arm_total(arm) for arm in enrollment.arms],
        extras=dashboard.work_lists(user, trial_today()),
    )
    return render(request, "oncotrial/dashboard.html", context)
