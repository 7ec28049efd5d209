"""The bundle `deploy` hands to python-libjuju: the distribution's, made deployable by it.

python-libjuju uploads a local `.charm` and registers the OCI images the bundle names as its
resources, but only those: unlike `juju deploy`, it does not fall back to a resource's
`upstream-source` when the bundle leaves it out, and it reads resources of local charms from
the first bundle document only (an overlay's are ignored). So the deployed copy (written to a
temporary directory, never into the distribution) has:

- local charm paths made absolute (they were relative to the distribution);
- every `oci-image` resource the bundle leaves out taken from the charm's `upstream-source`;
- `database-commonkey` set to the common key secret's URI (never its value) for the
  applications that take it, so that they start with it.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from distro_builder.deploy._builder import COMMONKEY_OPTION, MetaError, read_charm_source
from distro_builder.deploy._dist import Distribution

DEPLOY_BUNDLE = "bundle.yaml"
OCI_IMAGE = "oci-image"


def deployable_bundle(
    dist: Distribution, *, commonkey_uri: str | None, takers: Sequence[str]
) -> dict[str, Any]:
    """The distribution's bundle as it is deployed (see the module docstring)."""
    bundle = copy.deepcopy(dict(dist.bundle))
    for name, app in (bundle.get("applications") or {}).items():
        path = dist.charm_file(name)
        if path is not None:
            app["charm"] = str(path.resolve())
            resources = {**upstream_images(path), **(app.get("resources") or {})}
            if resources:
                app["resources"] = resources
        if commonkey_uri is not None and name in takers:
            app["options"] = {**(app.get("options") or {}), COMMONKEY_OPTION: commonkey_uri}
    return bundle


def upstream_images(charm: Path) -> dict[str, str]:
    """The `upstream-source` of each OCI image resource a packed charm declares."""
    try:
        metadata = read_charm_source(charm)
    except MetaError:
        return {}
    resources = metadata.get("resources")
    images: dict[str, str] = {}
    if isinstance(resources, Mapping):
        for name, spec in resources.items():
            if isinstance(spec, Mapping) and spec.get("type") == OCI_IMAGE:
                source = spec.get("upstream-source")
                if isinstance(source, str) and source:
                    images[str(name)] = source
    return images


def write_bundle(bundle: Mapping[str, Any], directory: Path) -> Path:
    """Write `bundle` into `directory` and return the file."""
    path = directory / DEPLOY_BUNDLE
    path.write_text(yaml.safe_dump(dict(bundle), sort_keys=False), encoding="utf-8")
    return path
