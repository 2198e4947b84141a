"""HTML building blocks of the trial report: numbers with stable ``data-stat`` keys, tables, notes.

Every reported number is a ``<span data-stat="KEY" data-value="V">shown</span>``: ``KEY`` is a
stable dotted name (docs/report.md), ``V`` the full-precision value (``repr`` of the float,
``nan`` when not estimable), so tests and other programs read the numbers back exactly.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

NE = "NE"
"""Shown for a value that could not be estimated (not evaluable / not reached)."""


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _value(value: float | int | None) -> str:
    if value is None:
        return "nan"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


def _missing(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def stat(key: str, value: float | int | None, shown: str) -> str:
    """One number: ``shown`` on the page, the exact ``value`` in ``data-value``."""
    return f'<span data-stat="{esc(key)}" data-value="{_value(value)}">{esc(shown)}</span>'


def num(key: str, value: float | int | None, digits: int = 2) -> str:
    if _missing(value):
        return stat(key, value, NE)
    assert value is not None
    return stat(key, value, str(value) if isinstance(value, int) else f"{value:.{digits}f}")


def pct(key: str, value: float | None, digits: int = 1) -> str:
    """A proportion shown as a percentage (the value stays a proportion)."""
    if _missing(value):
        return stat(key, value, NE)
    assert value is not None
    return stat(key, value, f"{100 * value:.{digits}f}")


def p_value(key: str, value: float | None) -> str:
    if _missing(value):
        return stat(key, value, NE)
    assert value is not None
    return stat(key, value, "< 0.001" if value < 0.001 else f"{value:.3f}")


def count_pct(key: str, n: int, denominator: int) -> str:
    """``n (x.x %)``, the count keyed ``KEY`` and the percentage ``KEY.pct``."""
    share = n / denominator if denominator else math.nan
    return f"{stat(key, n, str(n))} ({pct(key + '.pct', share)})"


def interval(
    key: str, low: float | None, high: float | None, *, percent: bool = False, digits: int = 2
) -> str:
    """``low–high`` (``low to high`` when a limit is negative), keyed ``KEY.lower`` and ``KEY.upper``."""
    fmt = pct if percent else num
    negative = any(v is not None and v < 0 for v in (low, high))
    return (
        f"{fmt(key + '.lower', low, 1 if percent else digits)}{' to ' if negative else '–'}"
        f"{fmt(key + '.upper', high, 1 if percent else digits)}"
    )


def estimate_ci(
    key: str,
    value: float | None,
    low: float | None,
    high: float | None,
    *,
    percent: bool = False,
    digits: int = 2,
) -> str:
    """``estimate (low–high)``; the estimate keyed ``KEY``."""
    fmt = pct if percent else num
    limits = interval(key, low, high, percent=percent, digits=digits)
    return f"{fmt(key, value, 1 if percent else digits)} ({limits})"


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    table_id: str,
    caption: str | None = None,
    left: Sequence[int] = (0,),
) -> str:
    """A table of already-built cell contents (escape text before passing it); ``left``: text columns."""
    head = "".join(f"<th>{h}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{"label" if i in left else "num"}">{c}</td>' for i, c in enumerate(row))
        + "</tr>"
        for row in rows
    )
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f'<table id="{esc(table_id)}">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def method(population: str, how: str) -> str:
    """The population and method note under every result."""
    return f'<p class="method"><b>Population:</b> {population}. <b>Method:</b> {how}</p>'


def section(section_id: str, title: str, body: str) -> str:
    return f'<section id="{esc(section_id)}"><h2>{esc(title)}</h2>{body}</section>'
