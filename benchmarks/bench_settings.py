"""manyi's settings with the benchmark's URLs (the bare endpoint)."""

from manyi.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
