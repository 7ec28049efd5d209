"""Secrets stay out of every file: the bundle, the lock and the README.

The checks decide by the charm's option type and by the name rules of
`distro_builder.check._secrets` (documented in the README's Secrets section); every message
names the option or the place, never the value.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from helpers import at, build, checked, copy_project

from distro_builder import api
from distro_builder.api import InputError, Project
from distro_builder.check import _secrets, credentials_in, is_secret_name, plaintext_secrets
from distro_builder.check._secrets import (
    distro_secrets,
    literal_secret,
    name_words,
    setting_secret,
)
from distro_builder.compose import DistroInfo
from distro_builder.core import Origin, show_value

ROOT = Path(__file__).resolve().parent.parent
HEADER = "distro:\n  name: test-osm\n"
SECRET_VALUES = ("S3cr3t", "hunter2", "12345678", "TOKEN", "pa/ss", "$apr1$")
UUID = "0d5c1a7e-3f1b-4c7e-9a2d-5b6c7d8e9f01"


def write_overlay(tmp_path: Path, body: str, *, header: str = HEADER) -> Path:
    path = tmp_path / "overlay.yaml"
    path.write_text(header + textwrap.dedent(body))
    return path


def check(overlay: Path, *settings: str) -> list[str]:
    return checked(str(overlay), settings=settings)


def no_value_shown(lines: list[str]) -> bool:
    return not any(value in line for line in lines for value in SECRET_VALUES)


KEYSTONE = """
applications:
  mysql:
    charm: mysql-k8s
    channel: 8.0/stable
    scale: 1
    trust: true
  keystone:
    charm: osm-keystone
    channel: latest/beta
    scale: 1
    resources:
      keystone-image: docker.io/opensourcemano/keystone:16
    options:
"""
RELATIONS = "relations:\n  - [keystone:db, mysql:mysql]\n"


def keystone_overlay(tmp_path: Path, options: str) -> Path:
    body = KEYSTONE + textwrap.indent(textwrap.dedent(options), " " * 6) + RELATIONS
    return write_overlay(tmp_path, body)


HINT = "keep it in a Juju secret and set the option to its secret: URI"


def test_a_secret_uri_on_a_string_option_is_refused(tmp_path):
    overlay = keystone_overlay(tmp_path, 'admin-password: "secret:S3cr3t"\n')
    found = check(overlay)
    assert found == [
        f'{at(overlay, "admin-password")}: error: option "admin-password" of application'
        ' "keystone" holds a secret: URI but its type is string: Juju passes the text, not'
        " the secret (only options of type secret take secret URIs)"
    ]
    assert no_value_shown(found)


def test_a_well_formed_secret_uri_on_a_string_option_is_refused_too(tmp_path):
    overlay = keystone_overlay(tmp_path, "admin-password: secret:csb5gt7mp25c77a3bo6g\n")
    (found,) = check(overlay)
    assert "only options of type secret take secret URIs" in found


def test_a_non_string_value_of_a_secret_named_option_is_refused_without_showing_it(tmp_path):
    overlay = keystone_overlay(tmp_path, "admin-password: 12345678\n")
    found = check(overlay)
    assert found == [
        f'{at(overlay, "admin-password")}: error: option "admin-password" of application'
        f' "keystone" holds a secret in plain text: {HINT}',
        f'{at(overlay, "admin-password")}: error: cannot validate application "keystone":'
        ' option "admin-password" expected string (value not shown: the option holds a secret)',
    ]


def test_a_wrongly_typed_secret_option_never_prints_its_value(tmp_path):
    overlay = keystone_overlay(tmp_path, 'admin-password: {a: "S3cr3t-and-more"}\n')
    found = check(overlay)
    assert found and no_value_shown(found)
    assert "S3cr3t" not in "\n".join(found)


@pytest.mark.parametrize(
    "uri",
    [
        "https://admin:pa/ss@grafana.example",  # a password holding /
        "https://:hunter2@grafana.example",  # an empty user
        "https://TOKEN@grafana.example",  # a token as the user
        "HTTPS://admin:hunter2@grafana.example",  # the scheme in capitals
    ],
)
def test_uris_with_credentials_are_refused(tmp_path, uri):
    overlay = write_overlay(
        tmp_path,
        f"""
        applications:
          mon:
            options:
              grafana-url: {uri}
        """,
    )
    found = check(overlay)
    assert f'{at(overlay, "grafana-url")}: error: option "grafana-url" of application "mon"' in (
        found[0] if found else ""
    )
    assert any("holds a URI with credentials in plain text" in line for line in found)
    assert no_value_shown(found)


@pytest.mark.parametrize(
    "uri",
    [
        "https://grafana.example:3000/d/abc",
        "https://grafana.example:3000/users/ann@example.org",  # an @ in the path, after a port
        "https://grafana.example/",
    ],
)
def test_uris_without_credentials_pass(uri):
    assert not credentials_in(uri)


TRAEFIK = """
applications:
  traefik:
    charm: traefik-k8s
    channel: latest/edge
    scale: 1
    trust: true
    resources:
      traefik-image: docker.io/ubuntu/traefik:2.11
    options:
"""


@pytest.mark.parametrize("option", ["tls-key: S3cr3t", 'basic_auth_user: "admin:$apr1$x"'])
def test_secret_like_names_the_old_rules_missed(tmp_path, option):
    body = TRAEFIK + " " * 6 + option + "\n"
    overlay = write_overlay(tmp_path, body)
    name = option.split(":")[0]
    found = check(overlay)
    assert found == [
        f'{at(overlay, name + ":")}: error: option "{name}" of application "traefik" holds a'
        f" secret in plain text: {HINT}"
    ]


def test_names_that_only_reference_a_secret_are_not_secrets(tmp_path):
    overlay = write_overlay(
        tmp_path,
        KEYSTONE.replace("    options:\n", '    options:\n      token-expiration: "3600"\n')
        + RELATIONS
        + textwrap.dedent(
            """
            applications:
              nbi:
                options:
                  tls-secret-name: my-tls
            """
        ).replace("applications:\n", "---\napplications:\n", 1),
    )
    assert check(overlay) == []


def test_annotations_are_checked(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
        applications:
          nbi:
            annotations:
              gui-password: hunter2
              dashboard: https://admin:hunter2@dash.example
              owner: ops team
        """,
    )
    found = check(overlay)
    assert sorted(found) == [
        f'{at(overlay, "gui-password")}: error: annotation "gui-password" of application "nbi"'
        " holds a secret in plain text: annotations cannot take a secret: keep it out of the"
        " bundle",
        f'{at(overlay, "dashboard")}: error: annotation "dashboard" of application "nbi"'
        " holds a URI with credentials in plain text: annotations cannot take a secret: keep it"
        " out of the bundle",
    ]


def test_machine_annotations_are_checked():
    bundle = {"machines": {"0": {"annotations": {"api_token": "TOKEN"}}}}

    class Nowhere:
        def origin(self, path):
            return None

    (found,) = plaintext_secrets(bundle, Nowhere())
    assert found.message == (
        'annotation "api_token" of machine "0" holds a secret in plain text: annotations'
        " cannot take a secret: keep it out of the bundle"
    )


def test_description_and_vendor_are_checked(tmp_path):
    header = (
        "distro:\n  name: test-osm\n  vendor: https://ops:hunter2@acme.example\n"
        "  description: Mirror at https://TOKEN@git.acme.example/osm\n"
    )
    overlay = write_overlay(tmp_path, "applications: {}\n", header=header)
    found = check(overlay)
    assert found == [
        f"{at(overlay, 'https://ops')}: error: distro.vendor holds a URI with credentials in"
        " plain text: it would be written to the README and distro.lock",
        f"{at(overlay, 'Mirror')}: error: distro.description holds a URI with credentials in"
        " plain text: it would be written to the README and distro.lock",
    ]
    assert no_value_shown(found)


def test_only_the_variables_a_template_uses_are_locked_and_checked(tmp_path):
    project = copy_project(tmp_path / "checkout")
    overlay = project / "overlays" / "v" / "overlay.yaml"
    overlay.parent.mkdir()
    overlay.write_text(
        "distro:\n  name: v-osm\n  vars:\n    unused_token: S3cr3t\n"
        "    registry: registry.v.example/osm\n"
    )
    assert build(project, "v") == 0
    lock = yaml.safe_load((project / "dist/v-osm/distro.lock").read_text())
    assert "unused_token" not in lock["variables"]
    assert lock["variables"]["registry"] == "registry.v.example/osm"
    assert "S3cr3t" not in (project / "dist/v-osm/distro.lock").read_text()


def test_a_used_variable_holding_a_secret_is_refused_at_its_line(tmp_path):
    overlay = write_overlay(
        tmp_path,
        """
          vars:
            api_token: S3cr3t
        applications:
          nbi:
            annotations:
              motd: "{{ api_token[:0] }}welcome"
        """,
    )
    found = check(overlay)
    assert found == [
        f'{at(overlay, "api_token:")}: error: variable "api_token" holds a secret in plain'
        " text: it would be written to distro.lock"
    ]


def test_a_set_variable_holding_credentials_is_refused(tmp_path):
    overlay = write_overlay(tmp_path, "applications: {}\n")
    found = check(overlay, "registry=https://u:hunter2@registry.example/osm")
    assert '--set registry: error: variable "registry" holds a URI with credentials' in (
        "\n".join(found)
    )
    assert no_value_shown(found)


@pytest.mark.parametrize(
    "value", ["secret:csb5gt7mp25c77a3bo6g", f"secret://{UUID}/csb5gt7mp25c77a3bo6g"]
)
def test_secret_options_take_juju_secret_uris(tmp_path, value):
    overlay = write_overlay(
        tmp_path, f"applications:\n  nbi:\n    options:\n      database-commonkey: {value}\n"
    )
    assert check(overlay) == []


@pytest.mark.parametrize(
    "value",
    [
        "secret:csb5gt7mp25c77a3bo6",  # 19 characters
        "secret:CSB5GT7MP25C77A3BO6G",  # upper case
        "secret://not-a-uuid/csb5gt7mp25c77a3bo6g",
        "csb5gt7mp25c77a3bo6g",  # no scheme
    ],
)
def test_secret_options_refuse_what_is_not_a_secret_uri(tmp_path, value):
    overlay = write_overlay(
        tmp_path, f"applications:\n  nbi:\n    options:\n      database-commonkey: {value}\n"
    )
    (found,) = check(overlay)
    assert "expected secret, got a value that is not a secret URI (not shown)" in found


def test_explain_never_shows_the_value_of_a_secret_named_option(tmp_path):
    overlay = keystone_overlay(tmp_path, "admin-password: S3cr3t\n")
    project = Project.locate(ROOT)
    explained = api.explain(
        project, "keystone.admin-password", api.ComposeOptions(overlays=[str(overlay)])
    )
    assert "S3cr3t" not in explained.text
    assert "keystone.admin-password = (not shown: the option holds a secret)" in explained.text


def test_secrets_fail_the_build_and_write_nothing(tmp_path):
    project = copy_project(tmp_path / "checkout")
    overlay = project / "overlays" / "leaky" / "overlay.yaml"
    overlay.parent.mkdir()
    overlay.write_text("distro:\n  name: leaky\n  vendor: https://u:hunter2@x.example\n")
    assert build(project, "leaky") == 2
    assert not (project / "dist").exists()


# The name rules, one case per rule (each pattern and word must be needed: mutation testing).
SECRET_NAMES = [
    "password",
    "ADMIN_PASSWORD",
    "adminPassword",
    "db-passwd",
    "key-passphrase",
    "cookie-secret",
    "client_secrets",
    "api-token",
    "AuthToken",
    "database-commonkey",
    "aws-credential",
    "credentials",
    "private-key",
    "tls_private_key",
    "privatekey",
    "api-key",
    "API_KEY",
    "apiKey",
    "x-apikey",
    "tls-key",
    "ssl-key",
    "access-key",
    "signing-key",
    "encryption-key",
    "client-key",
    "server-key",
    "session-key",
    "master-key",
    "shared-key",
    "basic_auth_user",
    "basic-auth",
    "ldap-bind-pass",
    "db-pwd",
    "wifi-psk",
    "aws-creds",
    "htpasswd",
    "Password-Salt",
]
NOT_SECRET_NAMES = [
    "log-level",
    "tls-secret-name",
    "token-expiration",
    "password-min-length",
    "token-file",
    "secret-path",
    "token-url",
    "password-max-age",
    "token-ttl",
    "token-lifetime",
    "password-expiry",
    "password-expires",
    "secret-namespace",
    "token-timeout",
    "password-rotation-interval",
    "token-refresh-period",
    "token-duration",
    "password-size",
    "private-key-bits",
    "password-policy",
    "password-complexity",
    "password-strength",
    "secret-dir",
    "token-uri",
    "token-endpoint",
    "token-enabled",
    "password-required",
    "secret-type",
    "token-algorithm",
    "password-retries",
    "password-attempts",
    "ldap-user-pass-attribute",
    "secret-attr",
    "secret-names",
    "password-len",
    "secret-enable",
    "vca-pubkey",
    "tls-cert",
    "monkey",
    "key",
    "keyboard-layout",
    "passage",
    "auth-method",
    "basic-user",
    "auth-user",
    "key-tls",
    "auth-basic",
    "",
]


@pytest.mark.parametrize("name", SECRET_NAMES)
def test_secret_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", NOT_SECRET_NAMES)
def test_names_that_are_not_secrets(name):
    assert not is_secret_name(name)


@pytest.mark.parametrize(
    "text",
    [
        "mysql://user:pw@host/db",
        "mysql://user:pa/ss@host/db",
        "redis://:pw@host",
        "https://TOKEN@github.com/acme/osm",
        "see HTTPS://u:p@h.example for details",
        "git+ssh://git:pw@h",
    ],
)
def test_credentials_in(text):
    assert credentials_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain text",
        "https://host.example/path",
        "https://host.example:8443/users/a@b",
        "user:pw@host",  # no scheme: not a URI
        "mailto:ann@example.org",
        "https://@host.example",  # an empty user information
    ],
)
def test_no_credentials_in(text):
    assert not credentials_in(text)


def test_the_shipped_distributions_hold_no_secret():
    project = Project.locate(ROOT)
    for overlays in ([], ["ha"], ["acme-telco"], ["globex"]):
        composition = api.compose(project, api.ComposeOptions(overlays=overlays))
        try:
            findings = api.check(project, composition, api.CheckOptions())
        except InputError as error:  # pragma: no cover - reported below
            findings = error
        assert not [d for d in getattr(findings, "diagnostics", []) if "secret" in d.message]


@pytest.mark.parametrize(
    "text",
    [
        "https://admin:hunter2@grafana.example",
        "https://:hunter2@grafana.example",
        "https://hunter2@grafana.example",
        "mysql://u:hunter2/x@db/osm",
    ],
)
def test_values_shown_in_messages_mask_the_user_information(text):
    assert "hunter2" not in show_value(text)


# Units of the secret checks: each branch of the rules and of the bundle walk.


class Recorder:
    """A provenance that answers with the path asked for, to check where findings point."""

    def origin(self, path):
        return Origin("/".join(map(str, path)), 1, 1)


def found(bundle, option_type=None) -> list[str]:
    return [d.format() for d in plaintext_secrets(bundle, Recorder(), option_type)]


def test_credentials_anywhere_else_in_an_application_are_refused_once_each():
    bundle = {
        "applications": {
            "nbi": {
                "charm": "https://u:hunter2@charms.example/nbi",
                "options": {"motd": "https://u:hunter2@h"},
                "annotations": {"link": "https://u:hunter2@h"},
                "resources": {"nbi-image": {"registrypath": "https://u:hunter2@r"}},
            }
        }
    }
    assert found(bundle) == [
        'applications/nbi/options/motd:1:1: error: option "motd" of application "nbi" holds a'
        f" URI with credentials in plain text: {HINT}",
        'applications/nbi/annotations/link:1:1: error: annotation "link" of application "nbi"'
        " holds a URI with credentials in plain text: annotations cannot take a secret: keep"
        " it out of the bundle",
        "applications/nbi/charm:1:1: error: applications.nbi.charm holds a URI with credentials"
        " in plain text",
        "applications/nbi/resources/nbi-image/registrypath:1:1: error:"
        " applications.nbi.resources.nbi-image.registrypath holds a URI with credentials in"
        " plain text",
    ]


def test_saas_and_relations_are_walked_too():
    bundle = {
        "saas": {"db": {"url": "https://u:hunter2@ctl/admin.db"}},
        "relations": [["ok", "https://u:hunter2@h"]],
    }
    assert found(bundle) == [
        "saas/db/url:1:1: error: saas.db.url holds a URI with credentials in plain text",
        "relations/0/1:1:1: error: relations.0.1 holds a URI with credentials in plain text",
    ]


def test_every_annotation_is_looked_at():
    bundle = {
        "machines": {
            "0": {
                "annotations": {
                    "password": "",
                    "token": None,
                    "owner": "ops",
                    "api_token": "TOKEN",
                }
            }
        }
    }
    assert found(bundle) == [
        'machines/0/annotations/api_token:1:1: error: annotation "api_token" of machine "0"'
        " holds a secret in plain text: annotations cannot take a secret: keep it out of the"
        " bundle"
    ]


def test_options_of_unknown_charms_are_checked_by_name_and_uri():
    bundle = {"applications": {"x": {"options": {"api-key": "S3cr3t", "motd": "hi"}}}}
    (line,) = found(bundle)
    assert line.startswith('applications/x/options/api-key:1:1: error: option "api-key"')


def test_the_option_type_decides_first():
    bundle = {
        "applications": {
            "x": {"options": {"password": "S3cr3t", "token": "secret:csb5gt7mp25c77a3bo6g"}}
        }
    }
    types = {"password": "boolean", "token": "secret"}
    assert found(bundle, lambda app, option: types[option]) == []


@pytest.mark.parametrize(
    ("name", "value", "option_type", "problem"),
    [
        ("password", None, None, None),
        ("password", "", None, None),
        ("password", "S3cr3t", "boolean", None),
        ("password", "S3cr3t", "secret", None),
        ("password", True, None, None),
        ("password", "secret:csb5gt7mp25c77a3bo6g", None, None),
        ("password", "secret:S3cr3t", None, "holds a secret in plain text"),
        ("password", 12345678, "string", "holds a secret in plain text"),
        ("motd", "secret:csb5gt7mp25c77a3bo6g", "string", "holds a secret: URI but its type"),
        ("motd", "secret:csb5gt7mp25c77a3bo6g", "int", "holds a secret: URI but its type is int"),
        ("motd", {"https://u:p@h": 1}, None, "holds a URI with credentials in plain text"),
        ("motd", {"a": "https://u:p@h"}, None, "holds a URI with credentials in plain text"),
        ("motd", ["x", "https://u:p@h"], None, "holds a URI with credentials in plain text"),
        ("motd", ("https://u:p@h",), None, "holds a URI with credentials in plain text"),
        ("motd", 42, None, None),
    ],
)
def test_literal_secret(name, value, option_type, problem):
    result = literal_secret(name, value, option_type)
    assert (result is None) == (problem is None)
    assert problem is None or (result is not None and result.startswith(problem))


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("api_token", "", None),
        ("api_token", None, None),
        ("api_token", True, None),
        ("api_token", "S3cr3t", "holds a secret in plain text"),
        ("mirror", "https://u:p@h", "holds a URI with credentials in plain text"),
        ("mirror", ["https://u:p@h"], "holds a URI with credentials in plain text"),
        ("mirror", "https://h", None),
    ],
)
def test_setting_secret(name, value, problem):
    assert setting_secret(name, value) == problem


def test_distro_secrets_point_at_the_vars_line_or_at_set():
    line = Origin("overlay.yaml", 4, 5)
    distro = DistroInfo(
        vars={"api_token": "S3cr3t", "mirror": "https://u:p@h", "plain": "x"},
        origins={"vars.api_token": line},
        vendor="ACME",
        description="see https://TOKEN@h",
    )
    assert [d.format() for d in distro_secrets(distro)] == [
        "error: distro.description holds a URI with credentials in plain text: it would be"
        " written to the README and distro.lock",
        'overlay.yaml:4:5: error: variable "api_token" holds a secret in plain text: it would be'
        " written to distro.lock",
        '--set mirror: error: variable "mirror" holds a URI with credentials in plain text: it'
        " would be written to distro.lock",
    ]


# Each word of the name rules is needed: drop one (a hand-made mutant) and a name of
# SECRET_NAMES is no longer found, or one of NOT_SECRET_NAMES is found.
RULE_SETS = ["SECRET_STEMS", "SECRET_WORDS", "KEY_QUALIFIERS", "SECRET_PAIRS", "REFERENCE_WORDS"]


@pytest.mark.parametrize(
    ("rule_set", "word"),
    [(rule_set, word) for rule_set in RULE_SETS for word in getattr(_secrets, rule_set)],
)
def test_every_word_of_the_name_rules_is_needed(monkeypatch, rule_set, word):
    rules = getattr(_secrets, rule_set)
    monkeypatch.setattr(_secrets, rule_set, type(rules)(w for w in rules if w != word))
    wrong = [name for name in SECRET_NAMES if not is_secret_name(name)]
    wrong += [name for name in NOT_SECRET_NAMES if is_secret_name(name)]
    assert wrong, f"dropping {word!r} from {rule_set} changes no tested name"


def test_name_words_ignore_case_and_separators():
    assert name_words("TLS-Private_keyAPIKey.x") == ["tls", "private", "key", "api", "key", "x"]
