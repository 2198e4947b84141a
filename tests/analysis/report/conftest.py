"""One SIMULATED report, rendered once per session, and its numbers read back from the HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from oncotrial.analysis.report import render_report_html
from oncotrial.analysis.report_data import ReportExtras, simulated_report_inputs
from oncotrial.core.endpoints.trial_data import TrialData

SEED = 20230801


class StatReader(HTMLParser):
    """Collects ``data-stat`` → ``data-value`` (as float, or the raw text if not a number)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, float | str] = {}
        self.duplicates: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        key = found.get("data-stat")
        if key is None:
            return
        if key in self.values:
            self.duplicates.append(key)
        raw = found.get("data-value") or ""
        try:
            self.values[key] = float(raw)
        except ValueError:
            self.values[key] = raw


def read_stats(page: str) -> StatReader:
    reader = StatReader()
    reader.feed(page)
    return reader


@pytest.fixture(scope="session")
def inputs() -> tuple[TrialData, ReportExtras]:
    return simulated_report_inputs(SEED)


@pytest.fixture(scope="session")
def report_html(inputs: tuple[TrialData, ReportExtras]) -> str:
    data, extras = inputs
    return render_report_html(data, extras)


@pytest.fixture(scope="session")
def stats(report_html: str) -> dict[str, float | str]:
    return read_stats(report_html).values


@pytest.fixture(scope="session")
def stat_reader() -> type[StatReader]:
    return StatReader
