"""Suite-wide settings. In CI (CI=true) hypothesis runs derandomized, so a run is reproducible;
locally it explores new examples every run, which is where new counterexamples come from."""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")
