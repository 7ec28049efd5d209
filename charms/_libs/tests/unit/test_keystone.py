# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""charms.osm_libs.v0.keystone: the upstream keystone interface's databag."""

from __future__ import annotations

import pytest
from charms.osm_libs.v0.keystone import KeystoneCredentials, read_credentials
from osm_charm_testing import KEYSTONE_DATA as DATABAG


def test_complete_databag_gives_the_service_account():
    assert read_credentials(DATABAG) == KeystoneCredentials(
        url="http://keystone:5000/v3",
        port=5000,
        user_domain_name="default",
        project_domain_name="default",
        username=DATABAG["username"],
        password=DATABAG["password"],
        project="service",
    )


@pytest.mark.parametrize(
    "key",
    ["host", "port", "user_domain_name", "project_domain_name", "username", "password", "service"],
)
def test_a_missing_key_means_no_credentials_yet(key):
    databag = {k: v for k, v in DATABAG.items() if k != key}

    assert read_credentials(databag) is None


def test_a_port_that_is_not_a_number_is_rejected():
    assert read_credentials({**DATABAG, "port": "http"}) is None


def test_the_password_stays_out_of_the_repr():
    credentials = read_credentials(DATABAG)

    assert DATABAG["password"] not in repr(credentials)
