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
# In each unit's own databag of the peer relation: the cluster id its storage was
# formatted with. Set once the node is formatted; a node that has it is never formatted
# again unless the operator runs FORMAT_ACTION.
FORMATTED_KEY = "formatted-cluster-id"
FORMAT_ACTION = "format-storage"

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

# Where Juju mounts the `data` storage (charmcraft.yaml: `containers.kafka.mounts` and
# `storage.data.location`).
STORAGE_DIR = "/var/lib/kafka"
# The volumes the image declares (checked for IMAGE_CHECKED, charmcraft.yaml's
# `upstream-source`). The `apache/kafka` images are built from apache/kafka's
# docker/jvm/Dockerfile, which ends with
#   VOLUME ["/etc/kafka/secrets", "/var/lib/kafka/data", "/mnt/shared/config"]
# and has had it since the image was added (KAFKA-15445, commit eec1530, 2023-12), through
# release 3.9.0 (tag 3.9.0-rc3, dd52726) and trunk of 2024-10-25; 3.9.1 is a patch
# release of the same 3.9 branch. On containerd an image volume that is not exactly a
# mount point gets an anonymous volume of its own, per container, mounted over the
# storage: nothing Kafka must keep may live at or under one of these paths.
IMAGE_CHECKED = "apache/kafka:3.9.1"
IMAGE_VOLUMES = ("/etc/kafka/secrets", "/var/lib/kafka/data", "/mnt/shared/config")
# Kafka's log directory and KRaft metadata log: on the storage, outside every image
# volume. (The name is the one Kafka's own KRaft sample configuration uses for a
# combined broker and controller.)
DATA_DIR = f"{STORAGE_DIR}/kraft-combined-logs"
# Where revisions before this one kept the data: the image volume. A node whose data is
# still there (its container was not recreated since) is copied to DATA_DIR on start.
LEGACY_DATA_DIR = "/var/lib/kafka/data"
META_PROPERTIES = "meta.properties"

WAITING_FOR_PEERS = "waiting for the cluster peer relation"
WAITING_FOR_CLUSTER_ID = "waiting for the leader to set the cluster id"
WAITING_FOR_UNITS = "waiting for units to join the cluster: {joined} of {planned}"
WAITING_FOR_STORAGE = "waiting for the data storage to be attached"
WAITING_FOR_META = "waiting to read the node's meta.properties from pebble"
STORAGE_LOST = (
    "node {node} lost its data: it was formatted before, but "
    f"{DATA_DIR} has no {META_PROPERTIES}; restore its volume, or run the "
    f"{FORMAT_ACTION} action to rejoin the cluster empty"
)
STORAGE_FOREIGN = (
    "the data storage holds {found}, not node {node} of cluster {cluster_id}: "
    "attach this unit's own volume"
)
FORMAT_REFUSED = f"nothing to format: {FORMAT_ACTION} is for a node that lost its data"
FORMAT_FAILED = "could not format the storage: see juju debug-log"
