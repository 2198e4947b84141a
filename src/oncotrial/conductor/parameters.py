"""The parameters a demo build is known (and reused) by."""

from __future__ import annotations


def build_parameters(patients: int, sites: int, seed: int, workers: int = 1) -> dict[str, int]:
    """``patients``, ``sites`` and ``seed``; ``workers`` too when > 1 (a parallel build is another trial)."""
    found = {"patients": patients, "sites": sites, "seed": seed}
    if workers > 1:
        found["workers"] = workers
    return found
