#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM POL (the policy module)."""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

import ops
import sql
import workload
from charms.osm_libs.v0.data import KafkaRequirer, MongoDBRequirer
from charms.osm_libs.v0.osm_env import OsmBackends
from charms.osm_libs.v0.pebble_service import (
    PEBBLE_ERRORS,
    apply_layer,
    service_status,
    stop_service,
)
from charms.osm_libs.v0.secret_option import secret_option_value
from charms.osm_libs.v0.status import (
    WAITING_FOR_PEBBLE,
    missing_relations_message,
    waiting_for_message,
)
from config import CharmConfig
from literals import (
    CONTAINER,
    KAFKA_RELATION,
    LAYER,
    MONGODB_RELATION,
    MYSQL_CONFLICT,
    MYSQL_RELATION,
    MYSQL_URI_CONTENT_KEY,
    MYSQL_URI_OPTION,
    READY_CHECK,
    SERVICE,
    SQLITE_DIR,
    STORAGE,
    USER,
    WAITING_FOR_STORAGE,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Inputs:
    """What config, relations and storage give this dispatch, and what is missing.

    `settings` is set only when everything POL needs is there. `backends_ready` is False
    while MongoDB or Kafka (or their data) is absent: the service must stop then, as
    upstream does. Any other problem (bad config, MySQL data not there yet) leaves the
    service as it is.
    """

    settings: workload.PolSettings | None
    backends_ready: bool
    problems: tuple[ops.StatusBase, ...]


class OsmPolCharm(ops.CharmBase):
    """Run POL with Pebble, on MongoDB, Kafka and SQLite or MySQL."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._mongodb = MongoDBRequirer(self, MONGODB_RELATION)
        self._kafka = KafkaRequirer(self, KAFKA_RELATION)
        container_events = self.on[CONTAINER]
        mysql_events = self.on[MYSQL_RELATION]
        for event in (
            container_events.pebble_ready,
            container_events.pebble_check_failed,
            container_events.pebble_check_recovered,
            self.on.config_changed,
            self.on.upgrade_charm,
            self.on.secret_changed,
            self.on[STORAGE].storage_attached,
            mysql_events.relation_changed,
            mysql_events.relation_departed,
            mysql_events.relation_broken,
            *self._mongodb.reconcile_events,
            *self._kafka.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload in line with config, relations and storage."""
        inputs = self._inputs
        if not self._container.can_connect():
            return
        try:
            if inputs.settings is not None:
                if inputs.settings.sql_uri == sql.SQLITE_URI:
                    self._prepare_sqlite_dir()
                apply_layer(self._container, LAYER, workload.layer(inputs.settings))
            elif not inputs.backends_ready:
                stop_service(self._container, SERVICE)
        except (*PEBBLE_ERRORS, ops.pebble.PathError) as error:
            logger.warning("could not configure the %s service: %s", SERVICE, error)

    def _prepare_sqlite_dir(self) -> None:
        """Give POL (which runs as appuser) a directory of its own on the storage."""
        if not self._container.exists(SQLITE_DIR):
            self._container.make_dir(SQLITE_DIR, make_parents=True, user=USER, group=USER)

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        inputs = self._inputs
        for status in inputs.problems:
            event.add_status(status)
        if not self._container.can_connect():
            event.add_status(ops.WaitingStatus(WAITING_FOR_PEBBLE))
        elif inputs.settings is not None:
            try:
                status = service_status(self._container, SERVICE, READY_CHECK)
            except PEBBLE_ERRORS:
                status = ops.WaitingStatus(WAITING_FOR_PEBBLE)
            if status is not None:
                event.add_status(status)
        event.add_status(ops.ActiveStatus())

    @functools.cached_property
    def _inputs(self) -> Inputs:
        """Read config, the mysql-uri secret, relations and storage once per dispatch."""
        problems: list[ops.StatusBase] = []
        try:
            config: CharmConfig | None = self.load_config(CharmConfig)
            option_uri = self._mysql_uri_option(config)
        except ValueError as error:
            problems.append(ops.BlockedStatus(str(error)))
            config, option_uri = None, None
        mongodb_uri, kafka = self._mongodb.uri(), self._kafka.endpoint()
        backends = {
            MONGODB_RELATION: (self._mongodb.relation, mongodb_uri),
            KAFKA_RELATION: (self._kafka.relation, kafka),
        }
        missing = [name for name, (relation, _) in backends.items() if relation is None]
        if missing:
            problems.append(ops.BlockedStatus(missing_relations_message(missing)))
        waiting = [name for name, (relation, data) in backends.items() if relation and not data]
        sql_uri = self._sql_uri(option_uri, problems, waiting)
        if waiting:
            problems.append(ops.WaitingStatus(waiting_for_message(waiting)))
        settings = None
        if config and mongodb_uri and kafka and sql_uri and not problems:
            backends = OsmBackends(
                kafka_host=kafka.host, kafka_port=kafka.port, mongodb_uri=mongodb_uri
            )
            settings = workload.PolSettings(
                log_level=config.log_level, backends=backends, sql_uri=sql_uri
            )
        return Inputs(
            settings=settings,
            backends_ready=mongodb_uri is not None and kafka is not None,
            problems=tuple(problems),
        )

    @staticmethod
    def _mysql_uri_option(config: CharmConfig) -> str | None:
        """The checked URI in the `mysql-uri` secret, or None when the option is unset."""
        uri = secret_option_value(config.mysql_uri, MYSQL_URI_OPTION, MYSQL_URI_CONTENT_KEY)
        return sql.check_mysql_uri(uri) if uri is not None else None

    def _sql_uri(
        self, option_uri: str | None, problems: list[ops.StatusBase], waiting: list[str]
    ) -> str | None:
        """POL's SQL URI: the option's, the mysql relation's, or SQLite on the storage.

        None when it is not known yet; the reason is appended to `problems` or `waiting`.
        """
        relation = self.model.get_relation(MYSQL_RELATION)
        if relation is not None and option_uri is not None:
            problems.append(ops.BlockedStatus(MYSQL_CONFLICT))
            return None
        if option_uri is not None:
            return option_uri
        if relation is not None:
            uri = self._mysql_relation_uri(relation)
            if uri is None:
                waiting.append(MYSQL_RELATION)
            return uri
        if not self.model.storages[STORAGE]:
            problems.append(ops.WaitingStatus(WAITING_FOR_STORAGE))
            return None
        return sql.SQLITE_URI

    @staticmethod
    def _mysql_relation_uri(relation: ops.Relation) -> str | None:
        """The root URI published by a unit of the related MySQL (upstream keys)."""
        for unit in sorted(relation.units, key=lambda unit: unit.name):
            uri = sql.mysql_relation_uri(relation.data[unit])
            if uri is not None:
                return uri
        return None


if __name__ == "__main__":  # pragma: no cover
    ops.main(OsmPolCharm)
