"""Value-level rules: Juju's option types, OCI image references, redaction, suggestions."""

from __future__ import annotations

import pytest

from distro_builder.check._images import is_image_reference
from distro_builder.check._option_types import Typed, type_option_value
from distro_builder.core import did_you_mean, redact, show_value

SECRET_URI = "secret:csb5gt7mp25c77a3bo6g"


@pytest.mark.parametrize(
    ("option_type", "value", "typed"),
    [
        ("string", "INFO", "INFO"),
        ("int", 8, 8),
        ("int", "8", 8),
        ("int", "-1", -1),
        ("float", 2, 2),
        ("float", 0.5, 0.5),
        ("float", "1e3", 1000.0),
        ("boolean", True, True),
        ("boolean", "false", False),
        ("boolean", "T", True),
        ("secret", SECRET_URI, SECRET_URI),
        ("secret", "", ""),
        ("int", None, None),
    ],
)
def test_values_juju_accepts_are_typed_as_the_charm_sees_them(option_type, value, typed):
    assert type_option_value(option_type, value) == Typed(typed)


@pytest.mark.parametrize(
    ("option_type", "value"),
    [
        ("string", 80),
        ("string", True),
        ("string", ["a"]),
        ("int", 2.0),
        ("int", True),
        ("int", "0x10"),
        ("int", "twelve"),
        ("float", "1.5.2"),
        ("float", False),
        ("boolean", "yes"),
        ("boolean", 1),
        ("boolean", {"on": True}),
    ],
)
def test_values_juju_refuses_name_the_expected_type(option_type, value):
    assert type_option_value(option_type, value) == Typed(problem=f"expected {option_type}")


@pytest.mark.parametrize("value", [str(2**63), 2**63, -(2**63) - 1, "9" * 5000, 10**200])
def test_int_values_outside_juju_s_64_bit_range_are_refused(value):
    typed = type_option_value("int", value)

    assert typed.problem == "expected int, a 64-bit integer (-2^63 to 2^63-1)"


@pytest.mark.parametrize("value", ["hunter2", "secret:short", 42])
def test_a_secret_option_needs_a_secret_uri_and_its_value_is_never_shown(value):
    typed = type_option_value("secret", value)

    assert typed.problem == "expected secret, got a value that is not a secret URI (not shown)"
    assert str(value) not in typed.problem


@pytest.mark.parametrize(
    "reference",
    [
        "docker.io/opensourcemano/nbi:16",
        "mongo:7.0",
        "registry.acme.example:5000/osm/ng-ui:16-acme.1",
        "ghcr.io/canonical/charmed-mongodb@sha256:" + "b4" * 32,
        "localhost/osm__x/lcm",
    ],
)
def test_valid_image_references(reference):
    assert is_image_reference(reference)


@pytest.mark.parametrize(
    "reference",
    [
        "docker.io/OpenSourceMANO/nbi:16",
        "nbi:",
        "registry.example:port/nbi",
        "osm/nbi:tag with space",
        "https://docker.io/osm/nbi",
        "osm/nbi@sha256:short",
        "a/" + "b" * 260,
        "",
    ],
)
def test_invalid_image_references(reference):
    assert not is_image_reference(reference)


def test_redact_masks_uri_passwords_only():
    assert redact("mysql://pol:s3cr3t@db:3306/pol and http://host/x") == (
        "mysql://pol:***@db:3306/pol and http://host/x"
    )


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("lots", '"lots"'),
        (80, "80"),
        (True, "true"),
        (None, "null"),
        ({"b": 1, "a": "mongodb://u:p@h"}, '{"a": "mongodb://u:***@h", "b": 1}'),
        ("x" * 100, '"' + "x" * 76 + "..."),
    ],
)
def test_values_are_shown_quoted_redacted_and_short(value, shown):
    assert show_value(value) == shown


def test_did_you_mean_suggests_the_closest_name_or_nothing():
    assert did_you_mean("log_level", ["log-level", "max-body-size"]) == (
        ' (did you mean "log-level"?)'
    )
    assert did_you_mean("colour", ["log-level"]) == ""
