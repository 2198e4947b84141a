"""rpact (Debian ``r-cran-rpact``) as the reference for the design tests."""

from __future__ import annotations

import pytest

from support.rscript import RScript, r_or_skip


@pytest.fixture(scope="session")
def rpact() -> RScript:
    """Rscript with rpact loaded; skipped locally without it, a failure on CI."""
    return r_or_skip(["rpact"])


@pytest.fixture(scope="session")
def base_r() -> RScript:
    """Rscript with base R only (``fisher.test``)."""
    return r_or_skip([])
