"""The /trial registry page fragment: key content, the SIMULATED banner, escaping."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

from oncotrial.exports.ctgov.registry_page import render_registry_page
from oncotrial.exports.ctgov.study_export import export_study
from oncotrial.protocol_files import load_default_protocol

BANNER = "SIMULATED DATA: not results of NCT07304388"


class _Outline(HTMLParser):
    """Headings and their text, and whether tags are balanced."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.headings: list[tuple[str, str]] = []
        self.errors: list[str] = []
        self._heading: str | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.stack.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self._heading, self._text = tag, ""

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)
        if tag == self._heading:
            self.headings.append((tag, self._text))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text += data


def _outline(fragment: str) -> _Outline:
    parser = _Outline()
    parser.feed(fragment)
    return parser


def test_the_results_page_has_every_section_and_the_banner(demo: Any):
    page = render_registry_page(demo.study)
    outline = _outline(page)
    assert outline.errors == [] and outline.stack == []
    titles = [text for _tag, text in outline.headings]
    for section in ("Study Overview", "Study Design", "Arms and Interventions", "Eligibility Criteria",
                    "Outcome Measures", "Sponsors and Collaborators", "Study Results", "Participant Flow",
                    "Baseline Characteristics", "Adverse Events", "Inclusion Criteria", "Exclusion Criteria"):
        assert section in titles, section
    assert page.count(f'role="alert"><strong>{BANNER}') == 2  # top of the page and of the results
    assert not page.lstrip().startswith("<html") and "<table>" in page and 'scope="col"' in page


def test_the_page_shows_the_primary_analysis_numbers_of_the_study(demo: Any):
    page = render_registry_page(demo.study)
    primary = demo.study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    analysis = primary["analyses"][0]
    assert f"<dd>{analysis['paramValue']}</dd>" in page
    assert f"{analysis['ciLowerLimit']} to {analysis['ciUpperLimit']}" in page
    assert f"<dd>{analysis['pValue']}</dd>" in page


def test_a_protocol_only_page_has_no_banner_and_says_no_results():
    study = export_study(load_default_protocol()).study
    page = render_registry_page(study)
    assert BANNER not in page and "No results posted." in page
    assert "Cancer Center Sun Yat-sen University" in page and "Experimental" in page


def test_all_text_is_escaped(demo: Any):
    study = copy.deepcopy(demo.study)
    study["protocolSection"]["identificationModule"]["briefTitle"] = "<script>alert(1)</script>"
    study["resultsSection"]["adverseEventsModule"]["seriousEvents"][0]["term"] = "Rash & <b>itch</b>"
    page = render_registry_page(study)
    assert "<script>" not in page and "<b>itch" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "Rash &amp; &lt;b&gt;itch" in page


def test_the_registry_escapes_in_criteria_are_shown_as_the_signs(demo: Any):
    page = render_registry_page(demo.study)
    assert "\\&lt;" not in page and "\\&gt;" not in page
