# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

from metrics import collector_job


def test_collector_job_is_one_wildcard_job():
    assert collector_job(8000) == {
        "job_name": "collector",
        "metrics_path": "/metrics",
        "static_configs": [{"targets": ["*:8000"]}],
    }
