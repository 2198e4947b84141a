"""Every figure is inline SVG carrying the SIMULATED label; the page is labelled and self-contained."""

from __future__ import annotations

import re
from dataclasses import replace

from oncotrial.analysis.report import render_report_html
from oncotrial.analysis.report.figures import inline_svg
from oncotrial.analysis.report_data import SIMULATED_LABEL

FIGURES = {
    "consort",
    "km_pfs",
    "km_pfs_mrecist",
    "km_os",
    "forest",
    "waterfall_recist",
    "waterfall_mrecist",
    "spider",
    "swimmer",
}
FIGURE = re.compile(r'<figure id="figure-([a-z_]+)" data-figure="[a-z_]+">(.*?)</figure>', re.S)


def test_the_report_has_every_figure_and_each_carries_the_simulated_label(report_html: str) -> None:
    found = dict(FIGURE.findall(report_html))
    assert set(found) == FIGURES
    for key, body in found.items():
        assert body.startswith("<svg"), key
        assert SIMULATED_LABEL in body, key
        assert f'id="fig-{key}-simulated-label"' in body, key


def test_the_page_starts_and_ends_with_the_label_and_prints_it_on_every_page(report_html: str) -> None:
    text = re.sub(r"<style>.*?</style>", "", report_html, flags=re.S)
    assert text.index(SIMULATED_LABEL) < text.index("<h1>")
    assert text.rindex(SIMULATED_LABEL) > text.rindex("</section>")
    css = re.search(r"<style>(.*?)</style>", report_html, re.S)
    assert css is not None
    assert f'@top-center{{content:"{SIMULATED_LABEL}"' in css.group(1)
    assert f'@bottom-center{{content:"{SIMULATED_LABEL}"' in css.group(1)


def test_the_report_fetches_nothing(report_html: str) -> None:
    assert "<script" not in report_html and "<link" not in report_html and "<img" not in report_html
    assert not re.search(r'(src|href)="(https?:)?//', report_html)
    assert "url(http" not in report_html and "@import" not in report_html


def test_figure_ids_are_unique_across_the_page(report_html: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', report_html)
    assert len(ids) == len(set(ids))


def test_inlined_svg_references_follow_their_prefixed_ids() -> None:
    svg = (
        '<?xml version="1.0"?>\n<!DOCTYPE svg>\n<svg><defs><clipPath id="p1"/></defs>'
        '<g clip-path="url(#p1)"><use xlink:href="#m2"/></g><path id="m2"/><g id="p1"/></svg>'
    )
    out = inline_svg(svg, "fig-x")
    assert out.startswith("<svg")
    assert 'id="fig-x-p1"' in out and "url(#fig-x-p1)" in out
    assert 'href="#fig-x-m2"' in out and 'id="fig-x-m2"' in out
    assert 'id="fig-x-p1-2"' in out


def test_real_data_carry_no_simulated_label(inputs) -> None:  # type: ignore[no-untyped-def]
    data, extras = inputs
    fragment = render_report_html(
        replace(data, simulated=False), replace(extras, simulated=False, label=""), parallel=False
    )
    assert "SIMULATED" not in fragment
    assert "data-simulated" not in fragment
    assert "NCT07304388: data cut-off 2025-06-01" in fragment
