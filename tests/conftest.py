"""Hypothesis profiles: `default` keeps the whole suite fast; `thorough` runs >= 10,000 examples.

Select with `HYPOTHESIS_PROFILE=thorough python -m pytest` (or Hypothesis's own
`--hypothesis-profile=thorough` option).
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    max_examples=20,
    deadline=None,  # SymPy and LAPACK timings vary on a shared machine: speed lives in benchmarks/
    derandomize=True,  # the same examples on every run: no flaky failures
    database=None,
    print_blob=True,
)
settings.register_profile(
    "thorough",
    max_examples=10_000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
