"""Domain exceptions of the pure core.

Expected clinical outcomes (ineligible, grade 3, progressive disease) are return
values, never exceptions. Exceptions are for input the core cannot accept: each
one names the field, the value received and what is accepted, so that the user
can correct it without reading code.
"""

from __future__ import annotations


class OncotrialError(Exception):
    """Base class of every error raised by Oncotrial."""


class DomainError(OncotrialError, ValueError):
    """An input value is not acceptable.

    Parameters
    ----------
    field:
        Where the value came from, as a dotted path (``labs.ALT``, ``arms[0].cycle_length_days``).
    value:
        The value received, shown with ``repr`` so that ``'12'`` and ``12`` differ.
    expected:
        What is accepted, in words (``"a number in [0, 500] 10^9/L"``).
    suggestion:
        Optional advice on how to correct the input.
    """

    def __init__(
        self, field: str, value: object, expected: str, suggestion: str | None = None
    ) -> None:
        self.field = field
        self.value = value
        self.expected = expected
        self.suggestion = suggestion
        message = f"{field}: got {value!r}; expected {expected}."
        if suggestion:
            message += f" Suggestion: {suggestion}"
        super().__init__(message)

    def as_dict(self) -> dict[str, object]:
        """Machine-readable form for JSON outputs and APIs."""
        return {
            "error": type(self).__name__,
            "field": self.field,
            "value": self.value if isinstance(self.value, str | int | float | bool) else repr(self.value),
            "expected": self.expected,
            "suggestion": self.suggestion,
            "message": str(self),
        }


class UnitError(DomainError):
    """A quantity has no unit, or a unit that is not accepted for that quantity."""


class ImplausibleValueError(DomainError):
    """A value lies outside the physiologically plausible range and is rejected, not guessed."""


class ProtocolError(DomainError):
    """A protocol file does not match the protocol model."""


class AllocationError(DomainError):
    """A randomization list or allocation history is inconsistent (exhausted, skipped or reused slot)."""
