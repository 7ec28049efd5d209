# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names, ports, paths and status messages of the osm-prometheus charm."""

CONTAINER = "prometheus"
SERVICE = "prometheus"
LAYER = "prometheus"

PROMETHEUS_RELATION = "prometheus"
METRICS_ENDPOINT_RELATION = "metrics-endpoint"

HTTP_PORT = 9090

BINARY = "/bin/prometheus"
# The image's promtool checks every new configuration before Prometheus reads it; the
# candidates are written under CHECK_DIR for it, then removed.
PROMTOOL = "/bin/promtool"
CHECK_DIR = "/etc/prometheus/check"
CONFIG_PATH = "/etc/prometheus/prometheus.yml"
# The `data` storage is mounted here: the TSDB.
DATA_PATH = "/prometheus"

READY_CHECK = "prometheus-ready"
ALIVE_CHECK = "prometheus-alive"

# Prometheus re-reads its configuration file on SIGHUP.
RELOAD_SIGNAL = "SIGHUP"

INVALID_SCRAPE_JOBS = "invalid scrape jobs from {apps}: see juju debug-log"
CONFIG_REFUSED = "prometheus refuses its configuration: see juju debug-log"
