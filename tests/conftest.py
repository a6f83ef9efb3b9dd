"""Suite-wide test settings.

Hypothesis runs derandomized under CI (CI=true) so a red build is reproducible from its log; locally it explores new
examples on every run.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
