"""Template filters: look up a posted value or a field error by the input's name."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def get(mapping: object, key: str) -> object:
    """``values|get:"labs.PLAT.value"``: dotted names are input names, not attribute paths."""
    if isinstance(mapping, Mapping):
        return mapping.get(key, "")
    return ""
