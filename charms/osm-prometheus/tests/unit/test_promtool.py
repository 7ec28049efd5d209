# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The files and flags the charm gives Prometheus, checked by the real programs.

Debian 12's `prometheus` package (installed by `.ci/run`) gives promtool and prometheus
2.42; the charm's image is Prometheus v3.5. What that leaves out:

- Fields newer than 2.42, which 2.42 refuses (`NEWER_THAN_PROMTOOL`). The charm renders
  none of them; a provider could set one inside the keys the charm lets through
  (`tls_config.ca`, `basic_auth.username_file`, ...). Rather than strip such a field, the
  tests fail naming it: a v3 promtool would be needed to check it.
- Rules of 3.x that 2.42 does not have: 3.x accepts UTF-8 label and metric names, which
  2.42 refuses (a false alarm here, never a miss); the checks 3.x added concern only the
  new fields above.
- The flags: promtool does not read them; 2.42's `prometheus` tells whether it knows each
  flag the charm sets (3.5 still has all of them), not whether a value is valid.

At run time the charm checks every candidate with the image's own promtool (v3).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from builders import MON_SCRAPE_JOBS, metrics_relation
from config import CharmConfig
from literals import BINARY
from ops import testing
from workload import command
from workload_standins import use_real_promtool

PROMTOOL = shutil.which("promtool")
PROMETHEUS = shutil.which("prometheus")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None, reason="needs promtool (Debian: apt-get install prometheus)"
)

# Keys Prometheus v3.5 knows and 2.42 does not: the yaml tags of config/config.go at
# v3.5.0 less those at v2.42.0, and of prometheus/common's config/http_config.go at
# v0.65.0 (3.5's) less v0.39.0 (2.42's). 2.42 lost none.
NEWER_THAN_PROMTOOL = frozenset(
    {
        # config/config.go
        "always_scrape_classic_histograms",
        "azuread",
        "chunked_read_limit",
        "convert_classic_histograms_to_nhcb",
        "convert_histograms_to_nhcb",
        "enable_compression",
        "fallback_scrape_protocol",
        "gogc",
        "google_iam",
        "ignore_resource_attributes",
        "keep_dropped_targets",
        "keep_identifying_resource_attributes",
        "metric_name_escaping_scheme",
        "metric_name_validation_scheme",
        "native_histogram_bucket_limit",
        "native_histogram_min_bucket_factor",
        "otlp",
        "promote_all_resource_attributes",
        "promote_resource_attributes",
        "protobuf_message",
        "round_robin_dns",
        "rule_query_offset",
        "runtime",
        "sample_age_limit",
        "scrape_config_files",
        "scrape_failure_log_file",
        "scrape_protocols",
        "track_timestamps_staleness",
        "translation_strategy",
        # common/config/http_config.go
        "ca",
        "ca_ref",
        "cert",
        "cert_ref",
        "client_secret_ref",
        "credentials_ref",
        "http_headers",
        "key",
        "key_ref",
        "no_proxy",
        "password_ref",
        "proxy_from_environment",
        "username_file",
        "username_ref",
    }
)
# Values under these keys are user data (label names, URL parameters), not config fields.
FREE_FORM = frozenset({"labels", "params"})

# A provider using every key the charm lets through, with values Prometheus accepts.
EVERY_KEY_JOBS = [
    {
        "job_name": "probe",
        "metrics_path": "/probe",
        "static_configs": [
            {"targets": ["*:9115"], "labels": {"tier": "edge"}},
            {"targets": ["blackbox.example:9115"]},
        ],
        "scrape_interval": "1m",
        "scrape_timeout": "20s",
        "proxy_url": "http://proxy.example:3128",
        "relabel_configs": [
            {
                "source_labels": ["__address__"],
                "regex": "(.*):.*",
                "target_label": "host",
                "replacement": "$1",
            }
        ],
        "metric_relabel_configs": [
            {"source_labels": ["__name__"], "regex": "go_.*", "action": "drop"}
        ],
        "sample_limit": 1000,
        "label_limit": 50,
        "label_name_length_limit": 100,
        "label_value_length_limit": 500,
        "scheme": "https",
        "basic_auth": {"username": "probe", "password": "probe-password"},
        "tls_config": {"insecure_skip_verify": True},
        "params": {"module": ["http_2xx"]},
    },
    {
        "job_name": "probe",  # a repeated name: the charm makes it unique
        "static_configs": [{"targets": ["*:9116"]}],
        "authorization": {"type": "Bearer", "credentials": "token"},
    },
]
# Provider data the charm's own checks let through and Prometheus refuses, each once.
REFUSED_BY_PROMETHEUS = {
    "timeout-above-interval": {"scrape_timeout": "1m"},
    "bad-duration": {"scrape_interval": "often"},
    "unknown-relabel-action": {"relabel_configs": [{"action": "nonsense"}]},
    "bad-regex": {
        "relabel_configs": [{"source_labels": ["a"], "regex": "(", "target_label": "b"}]
    },
    "negative-limit": {"sample_limit": -1},
    "param-not-a-list": {"params": {"module": "http_2xx"}},
    "two-passwords": {"basic_auth": {"username": "u", "password": "p", "password_file": "/p"}},
    "bad-proxy-url": {"proxy_url": "::bad"},
    "url-as-target": {"static_configs": [{"targets": ["http://mon-0:8000/metrics"]}]},
}


def keys_of(value: Any) -> Iterator[str]:
    """Every mapping key in `value`, at any depth, except inside free-form mappings."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key not in FREE_FORM:
                yield from keys_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from keys_of(item)


def check_with_promtool(ctx: testing.Context, out: testing.State, tmp_path: Path) -> str:
    """Run promtool on the prometheus.yml the charm left; return the file's text."""
    pushed = out.get_container("prometheus").get_filesystem(ctx) / "etc/prometheus/prometheus.yml"
    text = pushed.read_text()
    newer = sorted(set(keys_of(yaml.safe_load(text))) & NEWER_THAN_PROMTOOL)
    if newer:
        pytest.fail(
            f"promtool 2.42 cannot check {', '.join(newer)} (Prometheus 3.x fields): "
            "check this configuration with a v3 promtool"
        )
    path = tmp_path / "prometheus.yml"
    path.write_text(text)
    assert PROMTOOL is not None
    result = subprocess.run(
        [PROMTOOL, "check", "config", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return text


@needs_promtool
@pytest.mark.parametrize(
    ("config", "providers"),
    [
        ({}, {}),
        ({"scrape-interval": "1m"}, {"mon": 2}),
        ({"scrape-interval": "1d12h"}, {"mon": 1}),
        ({"scrape-interval": "5s"}, {"mon": 3, "blackbox": 2}),
        ({}, {"blackbox": 1}),
    ],
    ids=[
        "defaults",
        "mon-two-units",
        "long-interval",
        "short-interval-two-providers",
        "every-key",
    ],
)
def test_the_rendered_config_passes_promtool(
    ctx, container, monkeypatch, tmp_path, config, providers
):
    assert PROMTOOL is not None
    use_real_promtool(monkeypatch, PROMTOOL)
    relations = {
        metrics_relation(
            app, jobs=EVERY_KEY_JOBS if app == "blackbox" else MON_SCRAPE_JOBS, units=units
        )
        for app, units in providers.items()
    }
    state = testing.State(containers={container}, relations=relations, config=config)

    out = ctx.run(ctx.on.config_changed(), state)

    text = check_with_promtool(ctx, out, tmp_path)
    for app in providers:
        assert f"juju_osm_00000000_{app}_prometheus_scrape" in text
    assert out.unit_status == testing.ActiveStatus()


@needs_promtool
@pytest.mark.parametrize("job", REFUSED_BY_PROMETHEUS.values(), ids=REFUSED_BY_PROMETHEUS.keys())
def test_provider_data_prometheus_refuses_never_reaches_it(
    ctx, container, monkeypatch, tmp_path, job
):
    assert PROMTOOL is not None
    use_real_promtool(monkeypatch, PROMTOOL)
    bad = {"job_name": "bad", "static_configs": [{"targets": ["*:9100"]}], **job}
    relations = {metrics_relation("mon"), metrics_relation("exporter", jobs=[bad])}
    state = testing.State(containers={container}, relations=relations)

    out = ctx.run(ctx.on.config_changed(), state)

    text = check_with_promtool(ctx, out, tmp_path)
    assert "juju_osm_00000000_mon_prometheus_scrape_collector-0" in text
    assert "exporter" not in text
    assert out.unit_status == testing.BlockedStatus(
        "invalid scrape jobs from exporter: see juju debug-log"
    )


@pytest.mark.skipif(
    PROMETHEUS is None, reason="needs prometheus (Debian: apt-get install prometheus)"
)
@pytest.mark.parametrize(
    ("extra", "known"), [((), True), (("--no-such.flag=1",), False)], ids=["charm", "control"]
)
def test_prometheus_knows_every_flag_the_charm_sets(extra, known):
    config = CharmConfig(retention_time="30d", retention_size="10GB", log_level="debug")
    arguments = command(config).split()
    assert arguments[0] == BINARY
    assert PROMETHEUS is not None

    result = subprocess.run(
        [PROMETHEUS, *arguments[1:], *extra, "--help"],  # --help: parse the flags, run nothing
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert (result.returncode == 0) == known, result.stderr
