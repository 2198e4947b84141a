"""Text and HTML renderings shared by the analysis results (one table, several renderers)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd


def number_format(decimals: int) -> Callable[[float], str]:
    """Fixed decimals, switching to 3 significant digits in scientific notation for tiny values (p-values)."""

    def fmt(value: float) -> str:
        if value != 0 and abs(value) < 10.0**-decimals:
            return f"{value:.2e}"
        return f"{value:.{decimals}f}"

    return fmt


def render_text(
    title: str, tables: Sequence[pd.DataFrame], notes: Sequence[str] = (), *, decimals: int = 4
) -> str:
    """Plain-text report: a title, each table with ``decimals`` digits, then notes."""
    parts = [title, "-" * len(title)]
    for table in tables:
        parts.append(table.to_string(float_format=number_format(decimals), na_rep="NA"))
        parts.append("")
    parts.extend(notes)
    return "\n".join(parts).rstrip() + "\n"


def render_html(
    title: str, tables: Sequence[pd.DataFrame], notes: Sequence[str] = (), *, decimals: int = 4
) -> str:
    """HTML fragment: a ``<section>`` with a heading, the tables and notes, all escaped."""
    parts = [f'<section class="oncotrial-analysis"><h3>{html.escape(title)}</h3>']
    for table in tables:
        parts.append(table.to_html(float_format=number_format(decimals), na_rep="NA", border=0))
    parts.extend(f"<p>{html.escape(note)}</p>" for note in notes)
    parts.append("</section>")
    return "\n".join(parts)
