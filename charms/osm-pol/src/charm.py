#!/usr/bin/env python3
# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Kubernetes sidecar charm for OSM POL (the policy module)."""

from __future__ import annotations

import functools
import logging

import ops
import sql
import workload
from charms.osm_libs.v0 import component
from charms.osm_libs.v0.osm_env import OSM_USER, BackendRelations
from charms.osm_libs.v0.pebble_service import PEBBLE_FILE_ERRORS
from charms.osm_libs.v0.secret_option import secret_option_value
from config import CharmConfig
from literals import (
    CONTAINER,
    LAYER,
    MYSQL_CONFLICT,
    MYSQL_RELATION,
    MYSQL_URI_CONTENT_KEY,
    MYSQL_URI_OPTION,
    READY_CHECK,
    SERVICE,
    SQLITE_DIR,
    STORAGE,
    WAITING_FOR_STORAGE,
)

logger = logging.getLogger(__name__)


Inputs = component.Inputs[CharmConfig, workload.PolSettings]


class OsmPolCharm(ops.CharmBase):
    """Run POL with Pebble, on MongoDB, Kafka and SQLite or MySQL."""

    def __init__(self, framework: ops.Framework):
        super().__init__(framework)
        self._container = self.unit.get_container(CONTAINER)
        self._backends = BackendRelations(self)
        mysql_events = self.on[MYSQL_RELATION]
        for event in component.reconcile_events(
            self,
            CONTAINER,
            self.on.leader_elected,
            self.on.secret_changed,
            self.on[STORAGE].storage_attached,
            mysql_events.relation_changed,
            mysql_events.relation_departed,
            mysql_events.relation_broken,
            *self._backends.reconcile_events,
        ):
            framework.observe(event, self._reconcile)
        framework.observe(self.on.collect_unit_status, self._on_collect_unit_status)

    def _reconcile(self, _: ops.EventBase) -> None:
        """Bring the workload in line with config, relations and storage."""
        inputs = self._inputs
        layer = None
        if inputs.settings is not None and self._sql_storage_ready(inputs.settings):
            layer = workload.layer(inputs.settings)
        component.reconcile_service(self._container, SERVICE, LAYER, layer, inputs.stop)

    def _sql_storage_ready(self, settings: workload.PolSettings) -> bool:
        """Whether POL can keep its SQL data: MySQL, or SQLite in a directory of its own.

        POL runs as appuser and the storage root belongs to root: the directory is made
        for it here.
        """
        if settings.sql_uri != sql.SQLITE_URI:
            return True
        if not self._container.can_connect():
            return False
        try:
            if not self._container.exists(SQLITE_DIR):
                self._container.make_dir(
                    SQLITE_DIR, make_parents=True, user=OSM_USER, group=OSM_USER
                )
        except PEBBLE_FILE_ERRORS as error:
            logger.warning("could not make the SQLite directory: %s", error)
            return False
        return True

    def _on_collect_unit_status(self, event: ops.CollectStatusEvent) -> None:
        """Report every finding, from what the user must fix to what is in progress."""
        component.add_statuses(event, self._container, SERVICE, READY_CHECK, self._inputs)

    @functools.cached_property
    def _inputs(self) -> Inputs:
        """Read config, the mysql-uri secret, relations and storage once per dispatch.

        POL stops while MongoDB or Kafka (or their data) is absent, as upstream does; any
        other problem (bad config, MySQL data not there yet) leaves it as it is.
        """
        answers = self._backends.read()
        backends = answers.backends()
        mysql = self.model.get_relation(MYSQL_RELATION)
        mysql_uri = self._mysql_relation_uri(mysql) if mysql is not None else None
        relations = {**answers.relations, MYSQL_RELATION: (mysql, mysql_uri)}
        problems = component.relation_problems(relations, optional=[MYSQL_RELATION])
        stop = backends is None
        try:
            config = self.load_config(CharmConfig)
            option_uri = self._mysql_uri_option(config)
        except ValueError as error:
            return Inputs(stop=stop, problems=(ops.BlockedStatus(str(error)), *problems))
        sql_uri, sql_problems = self._sql_uri(option_uri, mysql, mysql_uri)
        problems = (*problems, *sql_problems)
        if problems or backends is None or sql_uri is None:
            return Inputs(config=config, stop=stop, problems=problems)
        settings = workload.PolSettings(
            log_level=config.log_level, backends=backends, sql_uri=sql_uri
        )
        return Inputs(config=config, settings=settings)

    @staticmethod
    def _mysql_uri_option(config: CharmConfig) -> str | None:
        """The checked URI in the `mysql-uri` secret, or None when the option is unset."""
        uri = secret_option_value(config.mysql_uri, MYSQL_URI_OPTION, MYSQL_URI_CONTENT_KEY)
        return sql.check_mysql_uri(uri) if uri is not None else None

    def _sql_uri(
        self, option_uri: str | None, mysql: ops.Relation | None, mysql_uri: str | None
    ) -> tuple[str | None, tuple[ops.StatusBase, ...]]:
        """POL's SQL URI: the option's, the mysql relation's, or SQLite on the storage.

        The URI is None while it is not known; the second item says why, unless the mysql
        relation has not answered yet (the relations' problems say so).
        """
        if mysql is not None and option_uri is not None:
            return None, (ops.BlockedStatus(MYSQL_CONFLICT),)
        if option_uri is not None:
            return option_uri, ()
        if mysql is not None:
            return mysql_uri, ()
        if not self.model.storages[STORAGE]:
            return None, (ops.WaitingStatus(WAITING_FOR_STORAGE),)
        return sql.SQLITE_URI, ()

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
