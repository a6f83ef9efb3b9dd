"""Suite-wide test settings.

Hypothesis runs derandomized under CI (CI=true) so a red build is reproducible from its log; locally it explores new
examples on every run.
"""

from __future__ import annotations

import os
import uuid

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts its own requests (intake/ratelimit.py): the suite makes thousands from 127.0.0.1, and
    concurrent runs may share one Redis cache. tests/security sets small limits where it tests them."""
    settings.RATELIMIT_KEY_PREFIX = f"rl-test-{uuid.uuid4().hex}"
