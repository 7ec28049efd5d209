# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.

from __future__ import annotations

import pytest
from conftest import VCA_DATA
from interfaces import VcaAccount


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
