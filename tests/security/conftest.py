"""Hypothesis profiles for the fuzz test: ``ci`` (the default, bounded to a minute or two
on two cores) and ``fuzz`` (``make fuzz``: many more examples). Pick one with
HYPOTHESIS_PROFILE."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_QUIET = dict(
    deadline=None,  # a real server on a busy machine: time is not the property
    database=None,  # nothing written into the work tree
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.register_profile("ci", max_examples=12, **_QUIET)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=200, **_QUIET)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
