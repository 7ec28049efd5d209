# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The typed config and the `certificates` option parser."""

from __future__ import annotations

import base64
import re

import pytest
from certificates import parse_certificates
from config import CharmConfig

PEM = b"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
PEM64 = base64.b64encode(PEM).decode()


@pytest.mark.parametrize(("given", "expected"), [("info", "INFO"), (" debug ", "DEBUG")])
def test_log_level_is_normalised(given: str, expected: str):
    assert CharmConfig(log_level=given).log_level == expected


@pytest.mark.parametrize("period", [-1, 60, 3600])
def test_period_refresh_active_accepts_disabled_or_60_and_more(period: int):
    assert CharmConfig(period_refresh_active=period).period_refresh_active == period


@pytest.mark.parametrize("period", [-2, 0, 59])
def test_period_refresh_active_rejects_short_periods(period: int):
    with pytest.raises(ValueError, match=f"invalid period-refresh-active {period}"):
        CharmConfig(period_refresh_active=period)


def test_certificates_are_decoded_by_name():
    value = f" vim-ca.pem:{PEM64} , other_1:{base64.b64encode(b'x').decode()},"

    assert parse_certificates(value) == {"vim-ca.pem": PEM, "other_1": b"x"}


def test_config_carries_the_decoded_certificates():
    assert CharmConfig(certificates=f"ca:{PEM64}").certificate_files == {"ca": PEM}


@pytest.mark.parametrize("value", ["", " ", ",,"])
def test_no_certificates(value: str):
    assert parse_certificates(value) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("ca.pem", "invalid certificates entry 1: use name:base64-content"),
        (f"a:{PEM64},:{PEM64}", "invalid certificates entry 2: use name:base64-content"),
        ("ca.pem:", "invalid certificates entry 1: use name:base64-content"),
        (f"../etc/passwd:{PEM64}", "invalid certificates name '../etc/passwd'"),
        (f"a/b:{PEM64}", "invalid certificates name 'a/b'"),
        (f".hidden:{PEM64}", "invalid certificates name '.hidden'"),
        (f"..:{PEM64}", "invalid certificates name '..'"),
        (f"ca:{PEM64},ca:{PEM64}", "invalid certificates: 'ca' is given twice"),
        ("ca:not base64!", "invalid certificates entry 'ca': content is not base64"),
    ],
)
def test_bad_certificates_are_rejected_by_name(value: str, message: str):
    with pytest.raises(ValueError, match="^" + re.escape(message)) as error:
        CharmConfig(certificates=value)

    assert PEM64 not in str(error.value)
