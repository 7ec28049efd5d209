"""Juju's structural bundle verification (``BundleData.Verify``/``VerifyLocal``).

Every check and message follows juju/charm's verifier; each diagnostic is placed at the origin
of the value it is about. Charm-aware checks (options, endpoints, interfaces) are not here.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from distro_builder.core import MISSING_PATH, Diagnostic, NodePath, Origin, path_problem

from . import _names as names
from ._merge import MergedBundle, freeze, merge_part
from ._names import quote, quote_list
from ._schema import KUBERNETES, Part

OriginOf = Callable[[NodePath], "Origin | None"]


def units(app: dict[str, Any]) -> int:
    """The unit count of an application whichever way it is spelled."""
    return int(app.get("scale", app.get("num_units", 0)))


class _Verifier:
    """One verification run: collects diagnostics and the machines placements refer to."""

    def __init__(
        self,
        bundle: dict[str, Any],
        origin: OriginOf,
        bundle_dir: Path | None,
        base: bool,
        undefined: Sequence[str],
    ) -> None:
        self.bundle = bundle
        self.undefined = undefined
        self.origin = origin
        self.bundle_dir = bundle_dir
        self.base = base
        self.diagnostics: list[Diagnostic] = []
        self.referenced: set[str] = set()

    def error(self, path: NodePath, message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.origin(path)))

    def run(self) -> list[Diagnostic]:
        bundle = self.bundle
        kind = bundle.get("bundle")
        if kind and kind != KUBERNETES:
            self.error(("bundle",), f"bundle has an invalid type {quote(kind)}")
        machines = bundle.get("machines") or {}
        if kind == KUBERNETES:
            if machines:
                self.error(("machines",), "bundle machines not valid for Kubernetes bundles")
            machines = {}
        series = bundle.get("series")
        if series and not names.is_valid_series(series):
            self.error(("series",), f"bundle declares an invalid series {quote(series)}")
        default_base = bundle.get("default-base")
        if default_base and not names.is_valid_base(default_base):
            self.error(("default-base",), f"bundle declares an invalid base {quote(default_base)}")
        self._saas()
        self._machines(machines)
        self._applications(machines)
        self._relations()
        for machine in machines:
            if machine not in self.referenced:
                message = f"machine {quote(machine)} is not referred to by a placement directive"
                self.error(("machines", machine), message)
        return self.diagnostics

    def _saas(self) -> None:
        applications = self.bundle.get("applications") or {}
        for name, saas in (self.bundle.get("saas") or {}).items():
            path = ("saas", name)
            if name in applications:
                self.error(
                    path, f"application {quote(name)} already exists with SAAS {quote(name)} name"
                )
            if not names.is_valid_application(name):
                self.error(path, f"invalid SAAS name {quote(name)} found")
            url = saas.get("url")
            if url and not names.is_valid_offer_url(url):
                self.error((*path, "url"), f"invalid offer URL {quote(url)} for SAAS {name}")

    def _machines(self, machines: dict[str, Any]) -> None:
        for machine_id, machine in machines.items():
            path = ("machines", machine_id)
            machine_q = quote(machine_id)
            if not names.is_valid_machine_id(machine_id):
                self.error(path, f"invalid machine id {machine_q} found in machines")
            constraints = machine.get("constraints", "")
            problem = names.constraints_error(constraints, base_bundle=self.base)
            if problem:
                message = f"invalid constraints {quote(constraints)} in machine {machine_q}: "
                self.error((*path, "constraints"), message + problem)
            series = machine.get("series")
            if series and not names.is_valid_series(series):
                message = f"invalid series {quote(series)} for machine {machine_q}"
                self.error((*path, "series"), message)
            base = machine.get("base")
            if base and not names.is_valid_base(base):
                self.error((*path, "base"), f"invalid base {quote(base)} for machine {machine_q}")

    def _applications(self, machines: dict[str, Any]) -> None:
        applications = self.bundle.get("applications") or {}
        for name in self.undefined:
            message = f"bundle application for key {quote(name)} is undefined"
            self.error(("applications", name), message)
        if not applications and not self.undefined:
            self.error(("applications",), "at least one application must be specified")
            return
        saas = self.bundle.get("saas") or {}
        for name, app in applications.items():
            app_q = quote(name)
            if name in saas:
                message = f"SAAS {app_q} already exists with application {app_q} name"
                self.error(("applications", name), message)
            self._charm(name, app)
            self._base_and_constraints(name, app)
            self._storage_and_devices(name, app)
            self._offers(name, app)
            self._resources(name, app)
            kubernetes = self.bundle.get("bundle") == KUBERNETES
            if units(app) < 0:
                message = f"negative number of units specified on application {app_q}"
                field = "scale" if kubernetes else "num_units"
                self.error(("applications", name, field), message)
            if kubernetes:
                self._kubernetes_placement(name, app.get("to") or [])
            else:
                self._placement(name, app, applications, machines)
            self._expose(name, app)

    def _charm(self, name: str, app: dict[str, Any]) -> None:
        path = ("applications", name, "charm")
        charm = app.get("charm")
        app_q = quote(name)
        if not charm:
            self.error(("applications", name), "empty charm path")
            return
        if names.is_local_charm(charm):
            charm_path = Path(charm)
            if not charm_path.is_absolute() and self.bundle_dir is not None:
                charm_path = self.bundle_dir / charm_path
            problem = path_problem(charm_path)
            if problem == MISSING_PATH:
                message = f"charm path in application {app_q} does not exist: {charm_path}"
                self.error(path, message)
            elif problem is not None:
                self.error(path, f"charm path in application {app_q} {problem}")
            return
        url, problem = names.parse_charm_url(charm)
        if url is None:
            self.error(path, f"invalid charm URL in application {app_q}: {problem}")
            return
        if url.revision is not None:
            self.error(path, f"cannot specify revision in {quote(str(url))}, please use revision")
        revision = app.get("revision")
        if revision is None:
            return
        revision_path = ("applications", name, "revision")
        if not app.get("channel"):
            message = (
                f"application {app_q} with a revision requires a channel for future upgrades, "
                "please use channel"
            )
            self.error(revision_path, message)
        if revision < 0:
            message = f"the revision for application {app_q} must be zero or greater"
            self.error(revision_path, message)

    def _base_and_constraints(self, name: str, app: dict[str, Any]) -> None:
        path = ("applications", name)
        app_q = quote(name)
        series = app.get("series")
        if series and not names.is_valid_series(series):
            message = f"application {app_q} declares an invalid series {quote(series)}"
            self.error((*path, "series"), message)
        base = app.get("base")
        if base and not names.is_valid_base(base):
            message = f"application {app_q} declares an invalid base {quote(base)}"
            self.error((*path, "base"), message)
        constraints = app.get("constraints", "")
        problem = names.constraints_error(constraints, base_bundle=self.base)
        if problem:
            message = f"invalid constraints {quote(constraints)} in application {app_q}: "
            self.error((*path, "constraints"), message + problem)

    def _storage_and_devices(self, name: str, app: dict[str, Any]) -> None:
        app_q = quote(name)
        for storage, directive in (app.get("storage") or {}).items():
            where = ("applications", name, "storage", storage)
            storage_q = quote(storage)
            if not names.is_valid_application(storage):
                self.error(where, f"invalid storage name {storage_q} in application {app_q}")
            problem = names.storage_error(directive)
            if problem:
                self.error(where, f"invalid storage {storage_q} in application {app_q}: {problem}")
        for device, directive in (app.get("devices") or {}).items():
            where = ("applications", name, "devices", device)
            device_q = quote(device)
            if not names.is_valid_application(device):
                self.error(where, f"invalid device name {device_q} in application {app_q}")
            if not directive:
                message = f"invalid device {device_q} in application {app_q}: empty constraints"
                self.error(where, message)

    def _offers(self, name: str, app: dict[str, Any]) -> None:
        app_q = quote(name)
        for offer, spec in (app.get("offers") or {}).items():
            where = ("applications", name, "offers", offer)
            if not names.is_valid_application(offer):
                self.error(where, f"invalid offer name {quote(offer)} in application {app_q}")
            for endpoint in (spec or {}).get("endpoints") or []:
                if not names.is_valid_relation(endpoint):
                    message = (
                        f"invalid endpoint name {quote(endpoint)} for offer {quote(offer)} "
                        f"in application {app_q}"
                    )
                    self.error(where, message)

    def _resources(self, name: str, app: dict[str, Any]) -> None:
        for resource, value in (app.get("resources") or {}).items():
            where = ("applications", name, "resources", resource)
            if not resource:
                self.error(where, f"missing resource name on application {quote(name)}")
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                self.error(where, f"resource revision {quote(name)} is not int or string")

    def _placement(
        self,
        name: str,
        app: dict[str, Any],
        applications: dict[str, Any],
        machines: dict[str, Any],
    ) -> None:
        to = app.get("to") or []
        path = ("applications", name, "to")
        if len(to) > units(app) >= 0:
            message = f"too many units specified in unit placement for application {quote(name)}"
            self.error(path, message)
        for directive in to:
            placement = names.parse_placement(directive)
            directive_q = quote(directive)
            if placement is None:
                self.error(path, f"invalid placement syntax {directive_q}")
            elif placement.application:
                target = applications.get(placement.application)
                if target is None:
                    message = f"placement {directive_q} refers to an application not defined"
                    self.error(path, f"{message} in this bundle")
                elif placement.unit >= max(units(target), 0):
                    message = (
                        f"placement {directive_q} specifies a unit greater than the "
                        f"{units(target)} unit(s) started by the target application"
                    )
                    self.error(path, message)
            elif placement.machine != "new":
                if placement.machine not in machines:
                    message = f"placement {directive_q} refers to a machine not defined"
                    self.error(path, f"{message} in this bundle")
                else:
                    self.referenced.add(placement.machine)

    def _kubernetes_placement(self, name: str, to: list[str]) -> None:
        path = ("applications", name, "to")
        if len(to) > 1:
            self.error(path, f"too many placement directives for application {quote(name)}")
        elif to:
            problem = names.key_values_error(to[0])
            if problem:
                self.error(path, f"{problem} for application {quote(name)}")

    def _expose(self, name: str, app: dict[str, Any]) -> None:
        endpoints = app.get("exposed-endpoints") or {}
        path = ("applications", name, "exposed-endpoints")
        app_q = quote(name)
        if endpoints and app.get("expose"):
            message = (
                'exposed-endpoints cannot be specified together with "exposed:true" in '
                f"application {app_q} as this poses a security risk when deploying "
                "bundles to older controllers"
            )
            self.error(path, message)
            return
        for endpoint, spec in endpoints.items():
            for cidr in (spec or {}).get("expose-to-cidrs") or []:
                if not _is_cidr(cidr):
                    message = (
                        f"invalid CIDR {quote(cidr)} for expose to CIDRs field for endpoint "
                        f"{quote(endpoint)} in application {app_q}"
                    )
                    self.error((*path, endpoint), message)

    def _relations(self) -> None:
        seen: set[tuple[tuple[str, str], tuple[str, str]]] = set()
        for index, relation in enumerate(self.bundle.get("relations") or []):
            path = ("relations", index)
            relation_q = quote_list(relation)
            if len(relation) != 2:
                message = f"relation {relation_q} has {len(relation)} endpoint(s), not 2"
                self.error(path, message)
                continue
            endpoints = [
                self._endpoint(relation_q, text, (*path, side))
                for side, text in enumerate(relation)
            ]
            first, second = endpoints
            if first is None or second is None:
                continue
            if first.application == second.application:
                self.error(path, f"relation {relation_q} relates an application to itself")
            pair = tuple(sorted([_key(first), _key(second)]))
            if pair in seen:
                self.error(path, f"relation {relation_q} is defined more than once")
            seen.add(pair)  # type: ignore[arg-type]

    def _endpoint(self, relation_q: str, text: str, path: NodePath) -> names.Endpoint | None:
        """Parse one side of a relation and check the application it names exists."""
        endpoint = names.parse_endpoint(text)
        if endpoint is None:
            self.error(path, f"invalid relation syntax {quote(text)}")
            return None
        app_q = quote(endpoint.application)
        in_apps = endpoint.application in (self.bundle.get("applications") or {})
        in_saas = endpoint.application in (self.bundle.get("saas") or {})
        if not in_apps and not in_saas:
            message = f"relation {relation_q} refers to application {app_q} not defined"
            self.error(path, f"{message} in this bundle")
        if in_apps and in_saas:
            message = f"ambiguous relation {app_q} refers to a application and a SAAS"
            self.error(path, f"{message} in this bundle")
        return endpoint


def _is_cidr(text: str) -> bool:
    try:
        ipaddress.ip_network(text, strict=False)
    except ValueError:
        return False
    return True


def _key(endpoint: names.Endpoint) -> tuple[str, str]:
    return (endpoint.application, endpoint.relation)


def verify_bundle(
    bundle: dict[str, Any],
    origin: OriginOf,
    *,
    bundle_dir: Path | None = None,
    base: bool = False,
    undefined: Sequence[str] = (),
) -> list[Diagnostic]:
    """Juju's structural checks of a composed bundle.

    `base` adds the base-only rules; `undefined` names applications declared without a body.
    """
    return _Verifier(bundle, origin, bundle_dir, base, undefined).run()


def verify_base_part(part: Part) -> list[Diagnostic]:
    """Verify the base document alone, as Juju does before merging any overlay."""
    applications = part.data.get("applications") or {}
    undefined = [name for name, spec in applications.items() if spec is None]
    merged = MergedBundle()
    merge_part(merged, part, first=True)  # leaves out the undefined applications
    bundle, provenance = freeze(merged)
    document = part.document
    undefined_paths = {("applications", name) for name in undefined}

    def origin(path: NodePath) -> Origin | None:
        return document.origin(path) if path in undefined_paths else provenance.origin(path)

    directory = document.source.directory
    return verify_bundle(bundle, origin, bundle_dir=directory, base=True, undefined=undefined)
