# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names, ports, paths and status messages of the osm-kafka charm."""

CONTAINER = "kafka"
SERVICE = "kafka"
LAYER = "kafka"
READY_CHECK = "kafka-ready"
ALIVE_CHECK = "kafka-alive"

STORAGE = "data"
CLIENT_RELATION = "kafka"
PEER_RELATION = "cluster"
CLUSTER_ID_KEY = "cluster-id"

CLIENT_PORT = 9092
CONTROLLER_PORT = 9093
CLIENT_LISTENER = "PLAINTEXT"
CONTROLLER_LISTENER = "CONTROLLER"

WORKLOAD_USER = "appuser"
WORKLOAD_GROUP = "appuser"
KAFKA_HOME = "/opt/kafka"
CONFIG_DIR = "/etc/kafka/osm"
SERVER_PROPERTIES = f"{CONFIG_DIR}/server.properties"
LOG4J_PROPERTIES = f"{CONFIG_DIR}/log4j.properties"
DATA_DIR = "/var/lib/kafka/data"

WAITING_FOR_PEERS = "waiting for the cluster peer relation"
WAITING_FOR_CLUSTER_ID = "waiting for the leader to set the cluster id"
WAITING_FOR_UNITS = "waiting for units to join the cluster: {joined} of {planned}"
