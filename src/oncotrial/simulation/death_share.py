"""The share of PFS events that are deaths without progression, piecewise constant in time since entry."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeathShare:
    r"""Share :math:`\pi(t)` of PFS events at :math:`t` months after entry that are deaths, not progressions.

    Piecewise constant: ``shares[j]`` on ``[starts[j], starts[j+1])`` (the last piece has no end),
    ``starts[0] = 0``; one piece is a constant share. The cause-specific hazards are :math:`\pi(t) h(t)`
    (death) and :math:`(1 - \pi(t)) h(t)` (progression), so the cause of an event at :math:`t` is a
    death with probability :math:`\pi(t)` (Beyersmann et al., Stat Med 2009;28:956-971).
    """

    starts: tuple[float, ...] = (0.0,)
    shares: tuple[float, ...] = (0.0,)

    @classmethod
    def constant(cls, share: float) -> DeathShare:
        return cls((0.0,), (float(share),))

    def at(self, t: float) -> float:
        r""":math:`\pi(t)`: the share of the piece that holds ``t`` (a boundary is in the later piece)."""
        return self.shares[max(bisect.bisect_right(self.starts, t) - 1, 0)]

    def describe(self) -> float | dict[str, list[float]]:
        """The scenario syntax: a number (one piece) or ``{starts: [...], share: [...]}``."""
        if len(self.shares) == 1:
            return self.shares[0]
        return {"starts": list(self.starts), "share": list(self.shares)}

    @classmethod
    def described(cls, text: float | dict[str, list[float]]) -> DeathShare:
        """The inverse of :meth:`describe` (for readers of the JSON summary)."""
        if isinstance(text, dict):
            return cls(tuple(float(b) for b in text["starts"]), tuple(float(p) for p in text["share"]))
        return cls.constant(text)

    def words(self) -> str:
        """As printed: ``8%``, or ``5% from month 0, 10% from month 6`` when it changes in time."""
        if len(self.shares) == 1:
            return f"{self.shares[0]:.0%}"
        return ", ".join(f"{p:.0%} from month {b:g}" for b, p in zip(self.starts, self.shares, strict=True))
