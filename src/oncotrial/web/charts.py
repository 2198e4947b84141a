"""Small inline SVG charts for pages (no JavaScript, no external files; text is escaped)."""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

from oncotrial.services.dashboard import Enrollment

_COLOURS = ("#1f5f99", "#c2571a", "#4b8b3b", "#7a4e9c")


def enrollment_chart(enrollment: Enrollment) -> SafeString:
    """Horizontal stacked bars: randomized per arm against the target (a dashed line)."""
    width, bar_h, left, top = 640, 28, 150, 30
    rows = [("All sites", {arm: enrollment.arm_total(arm) for arm in enrollment.arms})]
    rows += sorted(enrollment.by_site.items())
    scale = (width - left - 40) / max(enrollment.target, enrollment.total, 1)
    height = top + len(rows) * (bar_h + 10) + 40
    parts = [
        f'<svg role="img" aria-labelledby="enrol-title" viewBox="0 0 {width} {height}" '
        f'width="100%" xmlns="http://www.w3.org/2000/svg" class="chart">',
        f'<title id="enrol-title">Randomized {enrollment.total} of {enrollment.target} '
        "by site and arm</title>",
    ]
    for i, (label, counts) in enumerate(rows):
        y = top + i * (bar_h + 10)
        parts.append(f'<text x="{left - 8}" y="{y + bar_h * 0.7}" text-anchor="end">{escape(label)}</text>')
        x = float(left)
        for j, arm in enumerate(enrollment.arms):
            n = counts.get(arm, 0)
            w = n * scale
            if w > 0:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_COLOURS[j % 4]}">'
                    f"<title>{escape(arm)}: {n}</title></rect>"
                )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + bar_h * 0.7}">{sum(counts.values())}</text>')
    target_x = left + enrollment.target * scale
    parts.append(
        f'<line x1="{target_x:.1f}" y1="{top - 10}" x2="{target_x:.1f}" y2="{top + bar_h + 5}" '
        'stroke="#222" stroke-dasharray="4 3"/>'
        f'<text x="{target_x:.1f}" y="{top - 14}" text-anchor="middle">target {enrollment.target}</text>'
    )
    legend_y = height - 14
    for j, arm in enumerate(enrollment.arms):
        lx = left + j * 160
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 10}" width="12" height="12" fill="{_COLOURS[j % 4]}"/>'
            f'<text x="{lx + 18}" y="{legend_y}">{escape(arm)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
