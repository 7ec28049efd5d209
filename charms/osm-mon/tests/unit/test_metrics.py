# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import json

from metrics import Topology, app_databag, unit_databag

TOPOLOGY = Topology(
    model="osm",
    model_uuid="00000000-0000-4000-8000-000000000000",
    application="mon",
    unit="mon/0",
    charm_name="osm-mon",
)


def test_app_databag_is_one_wildcard_job_and_the_topology():
    databag = app_databag(TOPOLOGY, 8000)

    assert json.loads(databag["scrape_jobs"]) == [
        {
            "job_name": "collector",
            "metrics_path": "/metrics",
            "static_configs": [{"targets": ["*:8000"]}],
        }
    ]
    # The key order of COS's JujuTopology.as_dict(): consumers may compare the strings.
    assert databag["scrape_metadata"] == (
        '{"model": "osm", "model_uuid": "00000000-0000-4000-8000-000000000000", '
        '"application": "mon", "unit": "mon/0", "charm_name": "osm-mon"}'
    )


def test_unit_databag_names_the_unit_and_its_address():
    assert unit_databag("mon/1", "mon-1.mon-endpoints.osm.svc.cluster.local") == {
        "prometheus_scrape_unit_address": "mon-1.mon-endpoints.osm.svc.cluster.local",
        "prometheus_scrape_unit_name": "mon/1",
        "prometheus_scrape_unit_fqdn": "mon-1.mon-endpoints.osm.svc.cluster.local",
    }
