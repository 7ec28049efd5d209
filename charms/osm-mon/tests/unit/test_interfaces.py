# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import pytest
from conftest import KEYSTONE_DATA, VCA_DATA
from interfaces import KeystoneAccount, VcaAccount


def test_keystone_account_from_upstream_keys():
    account = KeystoneAccount.from_databag(KEYSTONE_DATA)

    assert account == KeystoneAccount(
        url="http://keystone:5000/v3",
        user_domain_name="default",
        project_domain_name="default",
        username="mon",
        password="keystone-pass",
        project="service",
    )
    assert "keystone-pass" not in repr(account)


@pytest.mark.parametrize(
    "key", ["host", "user_domain_name", "project_domain_name", "username", "password", "service"]
)
def test_keystone_account_needs_every_key(key: str):
    assert KeystoneAccount.from_databag({**KEYSTONE_DATA, key: ""}) is None


def test_vca_account_from_upstream_keys():
    account = VcaAccount.from_databag(VCA_DATA)

    assert account == VcaAccount(
        endpoints="10.0.0.1:17070", user="admin", secret="vca-secret", cacert="LS0tCERT"
    )
    assert "vca-secret" not in repr(account)


@pytest.mark.parametrize("key", ["endpoints", "user", "secret", "cacert"])
def test_vca_account_needs_every_key(key: str):
    databag = {name: value for name, value in VCA_DATA.items() if name != key}

    assert VcaAccount.from_databag(databag) is None
