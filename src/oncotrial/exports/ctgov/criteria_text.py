"""The registry's eligibility criteria text: format it from criteria, split it into clauses.

ClinicalTrials.gov stores ``eligibilityModule.eligibilityCriteria`` as one Markdown
text, laid out as

    Inclusion Criteria:

    * first criterion
    * second criterion

    Exclusion Criteria:

    * ...

with ``<`` and ``>`` escaped as ``\\<`` and ``\\>`` (records returned by API v2, e.g.
NCT07304388: ``hemoglobin \\> 9.0 g/dL``). :func:`format_criteria` writes this layout,
one bullet per criterion; :func:`read_criteria` reads it back into sections and
bullets, and :func:`split_top_level` cuts a bullet into the ``;``-separated clauses
that registry records often pack into one bullet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

INCLUSION_HEADING = "Inclusion Criteria:"
EXCLUSION_HEADING = "Exclusion Criteria:"

_HEADING = re.compile(r"^\s*(inclusion|exclusion)\s+criteria\s*:?\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^\s*(?:[*\-•+]|\d+[.)])\s+(.*)$")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>~|])")


def escape_markdown(text: str) -> str:
    """Escape ``<`` and ``>`` as the registry does (``\\<``, ``\\>``)."""
    return re.sub(r"(?<!\\)([<>])", r"\\\1", text)


def unescape_markdown(text: str) -> str:
    """Undo Markdown backslash escapes (``\\>`` → ``>``)."""
    return _ESCAPED.sub(r"\1", text)


def format_criteria(inclusions: Sequence[str], exclusions: Sequence[str]) -> str:
    """The registry layout of the criteria; consecutive identical texts make one bullet.

    Two rules coded from one registry clause (e.g. AST and ALT from "aspartate and
    alanine transaminases < 5 times the upper limit of normal") share their text and
    are written once.
    """
    sections = []
    for heading, texts in ((INCLUSION_HEADING, inclusions), (EXCLUSION_HEADING, exclusions)):
        bullets = [t for i, t in enumerate(texts) if i == 0 or t != texts[i - 1]]
        if bullets:
            sections.append(heading + "\n\n" + "\n".join("* " + escape_markdown(b) for b in bullets))
    return "\n\n".join(sections)


@dataclass(slots=True)
class CriteriaText:
    """A criteria text read into its two sections; ``other`` is text outside both."""

    inclusion: list[str] = field(default_factory=list)
    exclusion: list[str] = field(default_factory=list)
    other: list[str] = field(default_factory=list)


def read_criteria(text: str) -> CriteriaText:
    """Sections and bullets of a registry criteria text (bullet texts unescaped).

    A line under a heading that is not a bullet continues the bullet above it, or
    starts an item of its own after a blank line.
    """
    out = CriteriaText()
    current: list[str] = out.other
    continuing = False
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            current = out.inclusion if heading.group(1).lower() == "inclusion" else out.exclusion
            continuing = False
            continue
        if not line.strip():
            continuing = False
            continue
        bullet = _BULLET.match(line)
        if bullet:
            current.append(unescape_markdown(bullet.group(1).strip()))
            continuing = True
        elif continuing and current:
            current[-1] += " " + unescape_markdown(line.strip())
        else:
            current.append(unescape_markdown(line.strip()))
            continuing = True
    return out


def split_top_level(text: str, separator: str) -> list[str]:
    """Split on ``separator`` outside parentheses; strip parts and a final full stop; drop empties.

    A comma between digits followed by three digits is a thousands separator ("75,000").
    """
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch == separator and depth == 0 and not _thousands(text, i):
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p for p in (_tidy(p) for p in parts) if p]


def _thousands(text: str, i: int) -> bool:
    return text[i] == "," and i > 0 and text[i - 1].isdigit() and bool(re.match(r"\d{3}(?!\d)", text[i + 1:]))


def _tidy(part: str) -> str:
    part = part.strip()
    if part.endswith(".") and not part.endswith(".."):
        part = part[:-1].rstrip()
    return part


@dataclass(frozen=True, slots=True)
class Group:
    """A parenthesised part of a clause and the words before it (its heading)."""

    heading: str
    content: str


def parenthesised_groups(text: str) -> tuple[list[Group], str]:
    """Top-level ``(...)`` groups with the text before each; also the text after the last one."""
    groups: list[Group] = []
    depth, open_at, last_end = 0, -1, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append(Group(text[last_end:open_at], text[open_at + 1:i]))
                last_end = i + 1
    return groups, text[last_end:]
