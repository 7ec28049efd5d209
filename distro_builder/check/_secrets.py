"""Refuse secrets written in plain text into a distribution (bundle, lock, README).

A bundle is a shared, committed artefact: passwords, keys and URIs with credentials belong in
Juju secrets (``juju add-secret``), passed to charms as ``secret:`` URIs through options of type
``secret``. Diagnostics name the option or the place, never the value.

What counts as a secret is decided by the charm's option type and by the name rules below
(documented in the README's Secrets section):

- an option of type ``secret`` takes only a Juju secret URI (checked with the other types, its
  value never shown); one of type ``boolean`` never holds a secret;
- a value starting with ``secret:`` is a secret URI only for an option of type ``secret``: on
  any other option Juju passes the text itself, so it is refused (an option of a charm whose
  metadata is unknown may take a well-formed secret URI);
- any other option, annotation, ``distro:`` metadata or template variable the build uses whose
  *name* says it holds a secret (:func:`is_secret_name`) and whose value is not empty is a
  secret in plain text;
- any string anywhere in the bundle, the metadata or the variables that holds a URI with user
  information (:func:`credentials_in`) holds credentials in plain text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from itertools import pairwise
from typing import Any, Protocol

from distro_builder.compose import DistroInfo
from distro_builder.core import Diagnostic, NodePath, Origin, as_mapping
from distro_builder.juju import quote

from ._option_types import SECRET_URI

# A word of the name *containing* one of these names a secret (`dbpassword`, `credentials`).
SECRET_STEMS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "commonkey",
    "apikey",
    "privatekey",
)
# A word *equal* to one of these names a secret (`ldap-bind-pass`, `wifi-psk`).
SECRET_WORDS = frozenset({"pass", "pwd", "psk", "creds"})
# `<qualifier>-key` names a secret key (`tls-key`, `api_key`); `key` alone does not
# (`secret-key` is a secret by its stem).
KEY_QUALIFIERS = frozenset(
    {
        "private",
        "api",
        "access",
        "tls",
        "ssl",
        "signing",
        "encryption",
        "client",
        "server",
        "session",
        "master",
        "shared",
    }
)
# Two words in a row that name a secret (`basic_auth_user` holds user:hashed-password).
SECRET_PAIRS = frozenset({("basic", "auth")})
# A name whose last word is one of these only references or describes a secret: the name of a
# Kubernetes secret, a file or URL holding it, an expiry, a length, a policy.
REFERENCE_WORDS = frozenset(
    {
        "name",
        "names",
        "namespace",
        "file",
        "path",
        "dir",
        "url",
        "uri",
        "endpoint",
        "expiration",
        "expiry",
        "expires",
        "ttl",
        "lifetime",
        "age",
        "timeout",
        "interval",
        "period",
        "duration",
        "length",
        "len",
        "size",
        "bits",
        "policy",
        "complexity",
        "strength",
        "enabled",
        "enable",
        "required",
        "type",
        "algorithm",
        "retries",
        "attempts",
        "attribute",
        "attr",
    }
)
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# scheme://userinfo@ : a user (token), :password or user:password, the password possibly
# holding "/" (clients split at the last "@"); a port followed by a path is not a password.
_USERINFO = re.compile(
    r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*://"
    r"(?P<user>[^\s/?#@:]*)(?::(?P<password>[^\s@]*))?@"
)
_PORT_THEN_PATH = re.compile(r"[0-9]{1,5}[/?#]")
_TOKENS = re.compile(r"\s+")
METADATA_FIELDS = ("name", "version", "vendor", "description")
SECRET_URI_PREFIX = "secret:"
HINT = "keep it in a Juju secret and set the option to its secret: URI"
ANNOTATION_HINT = "annotations cannot take a secret: keep it out of the bundle"
IN_PLAIN_TEXT = "holds a secret in plain text"
WITH_CREDENTIALS = "holds a URI with credentials in plain text"

OptionType = Callable[[str, str], "str | None"]


class Origins(Protocol):
    """Where a bundle value was set (the composition's provenance)."""

    def origin(self, path: NodePath) -> Origin | None:
        """The last layer that wrote `path`."""
        ...


def name_words(name: str) -> list[str]:
    """The lower-case words of a name (`tls-private_key`, `adminPassword`, `API_KEY`)."""
    return [word.lower() for word in _WORD.findall(name)]


def is_secret_name(name: str) -> bool:
    """Whether an option, annotation or variable called `name` holds a secret by its name.

    See the module docstring; case and separators (`-`, `_`, `.`, camelCase) do not matter.
    """
    words = name_words(name)
    if not words or words[-1] in REFERENCE_WORDS:
        return False
    if any(word in SECRET_WORDS or any(stem in word for stem in SECRET_STEMS) for word in words):
        return True
    return any(
        pair in SECRET_PAIRS or (pair[1] == "key" and pair[0] in KEY_QUALIFIERS)
        for pair in pairwise(words)
    )


def credentials_in(text: str) -> bool:
    """Whether `text` holds a URI with user information (`scheme://user:password@host`)."""
    if "@" not in text:  # the common case, at once
        return False
    # A match ends at an "@" of its own whitespace-separated token: searching each token only
    # up to its last "@" keeps the search linear (a start that fails would scan to the end).
    for token in _TOKENS.split(text):
        for match in _USERINFO.finditer(token, 0, token.rfind("@") + 1):
            user, password = match["user"], match["password"]
            if password is None:
                if user:
                    return True
            elif _PORT_THEN_PATH.match(password) is None and (user or password):
                return True
    return False


def literal_secret(name: str, value: object, option_type: str | None = None) -> str | None:
    """What is wrong with `value` under `name` (of `option_type`, when known), or None.

    Returns the problem (`holds a secret in plain text`, ...) without the value.
    """
    if value is None or value == "" or option_type in ("boolean", "secret"):
        return None
    if isinstance(value, str) and value.startswith(SECRET_URI_PREFIX):
        if option_type is not None:
            return (
                f"holds a secret: URI but its type is {option_type}: Juju passes the text, not"
                " the secret (only options of type secret take secret URIs)"
            )
        if SECRET_URI.fullmatch(value):
            return None
    return setting_secret(name, value)


def plaintext_secrets(
    bundle: Mapping[str, Any],
    provenance: Origins,
    option_type: OptionType | None = None,
) -> list[Diagnostic]:
    """An error for every secret in plain text in `bundle`, at the position that set it.

    Args:
        bundle: the composed bundle.
        provenance: where each value was set (an object with ``origin(path)``).
        option_type: the type of an application's option (`option_type(app, option)`), or
            None where the charm is unknown.
    """
    diagnostics: list[Diagnostic] = []

    def report(message: str, path: NodePath) -> None:
        diagnostics.append(Diagnostic(message, provenance.origin(path)))

    for name, app in as_mapping(bundle.get("applications")).items():
        spec = as_mapping(app)
        for option, value in as_mapping(spec.get("options")).items():
            kind = option_type(name, option) if option_type is not None else None
            problem = literal_secret(option, value, kind)
            if problem is not None:
                where = f"option {quote(option)} of application {quote(name)}"
                hint = HINT if problem in (IN_PLAIN_TEXT, WITH_CREDENTIALS) else ""
                message = f"{where} {problem}: {hint}" if hint else f"{where} {problem}"
                report(message, ("applications", name, "options", option))
        _annotations(report, "application", name, spec, ("applications", name))
        for path, text in _walk(spec, ("applications", name), skip=("options", "annotations")):
            if credentials_in(text):
                report(f"{_dotted(path)} {WITH_CREDENTIALS}", path)
    for name, machine in as_mapping(bundle.get("machines")).items():
        _annotations(report, "machine", str(name), as_mapping(machine), ("machines", name))
    for section in ("saas", "relations"):
        for path, text in _walk(bundle.get(section), (section,)):
            if credentials_in(text):
                report(f"{_dotted(path)} {WITH_CREDENTIALS}", path)
    return diagnostics


def _annotations(
    report: Callable[[str, NodePath], None],
    kind: str,
    name: str,
    spec: Mapping[str, Any],
    scope: NodePath,
) -> None:
    for key, value in as_mapping(spec.get("annotations")).items():
        if value is None or value == "":
            continue
        if is_secret_name(str(key)):
            problem = IN_PLAIN_TEXT
        elif any(credentials_in(text) for text in _strings(value)):
            problem = WITH_CREDENTIALS
        else:
            continue
        where = f"annotation {quote(str(key))} of {kind} {quote(name)}"
        report(f"{where} {problem}: {ANNOTATION_HINT}", (*scope, "annotations", key))


def setting_secret(name: str, value: object) -> str | None:
    """What is wrong with a template variable or `distro:` value called `name`, or None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if is_secret_name(name):
        return IN_PLAIN_TEXT
    if any(credentials_in(text) for text in _strings(value)):
        return WITH_CREDENTIALS
    return None


def _strings(value: object) -> Iterator[str]:
    """Every string inside `value` (keys of mappings included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def _walk(
    value: object, path: NodePath, *, skip: tuple[str, ...] = ()
) -> Iterator[tuple[NodePath, str]]:
    """Every string inside `value` with its path (the fields in `skip` left out at the top)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if key not in skip:
                yield from _walk(item, (*path, key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def _dotted(path: NodePath) -> str:
    return ".".join(str(part) for part in path)


def distro_secrets(distro: DistroInfo) -> list[Diagnostic]:
    """Secrets in what the README and the lock record: `distro:` metadata, used variables."""
    diagnostics: list[Diagnostic] = []
    for key in METADATA_FIELDS:
        if any(credentials_in(text) for text in _strings(getattr(distro, key))):
            message = f"distro.{key} {WITH_CREDENTIALS}: it would be written to the README and"
            diagnostics.append(Diagnostic(f"{message} distro.lock", distro.origins.get(key)))
    for name, value in distro.vars.items():
        problem = setting_secret(name, value)
        if problem is None:
            continue
        message = f"variable {quote(name)} {problem}: it would be written to distro.lock"
        origin = distro.origins.get(f"vars.{name}")  # None: from --set
        diagnostics.append(Diagnostic(message, origin, path=f"--set {name}"))
    return diagnostics
