"""Suite-wide settings.

Hypothesis: no per-example deadline (the 2-core CI machine is shared and timing is
not what these properties test); on CI (``CI=true``) the examples are derandomized so
that a red run can be reproduced exactly, while local runs keep exploring.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("default", deadline=None, print_blob=True)
settings.register_profile("ci", deadline=None, print_blob=True, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

# The test client speaks plain HTTP; HTTPS-only behaviour is tested on Settings directly.
os.environ.setdefault("ONCOTRIAL_HTTPS", "0")
