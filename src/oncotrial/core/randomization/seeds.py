"""Seeds: validation and deterministic derivation of sub-seeds.

Every random process in this package starts from an explicit integer seed and
builds its own ``random.Random(seed)``; nothing uses the global random state.
Sub-seeds (one per stratum, one per simulated trial) are derived from the parent
seed and a label with SHA-256 over a canonical JSON encoding. Python's ``hash()``
is never used: it is salted per process for strings, so it is not reproducible.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

from oncotrial.core.errors import DomainError

SEED_LIMIT: Final = 2**64
"""Seeds are integers in ``[0, SEED_LIMIT)`` so that they survive any JSON reader."""


def check_seed(seed: object, field: str = "seed") -> int:
    """Return ``seed`` if it is an integer in ``[0, 2**64)``, else raise :class:`DomainError`."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < SEED_LIMIT:
        raise DomainError(
            field,
            seed,
            "an integer in [0, 2**64 - 1]",
            suggestion="choose a seed once, record it with the list, and reuse it to reproduce.",
        )
    return seed


def derive_seed(seed: int, *labels: str | int) -> int:
    """Derive a 64-bit sub-seed from ``seed`` and ``labels``, reproducibly across processes.

    The sub-seed is the first 8 bytes (big-endian) of
    ``sha256(json.dumps([seed, *labels], separators=(",", ":")))``.
    """
    payload = json.dumps([check_seed(seed), *labels], separators=(",", ":"), ensure_ascii=True)
    digest = hashlib.sha256(payload.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big")
