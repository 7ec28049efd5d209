"""From a built distribution to a running OSM: pack charms, deploy, watch, report.

The library behind `distro-builder pack`, `deploy` and `status`: functions that take a
distribution (or a project) and options and return typed results; they print nothing and
never exit, and report progress through a callback. `deploy`, `dry_run` and `status` are
coroutines (python-libjuju is asyncio); `pack_charms` runs charmcraft. Errors: `InputError`
(the distribution is wrong: exit 2), `DeployEnvironmentError` (no charmcraft where it can
pack, no python-libjuju, no controller, a refused request: exit 1).

Rooms: `_api` (deploy, dry_run, status), `_dist` (a distribution and its charms against its
lock), `_status` (snapshots from libjuju's `FullStatus`), `_plan` (what deploying changes),
`_secrets` (the common key), `_bundle` (the bundle handed to libjuju), `_wait` (until
ready, failed or out of time), `_controllers` (which controller, from the Juju client's
files), `_adapter` (the thin layer over libjuju, imported lazily), `_pack` (charmcraft),
`_builder` (all this package takes from the floors below).
"""

from ._adapter import (
    LIBJUJU_HINT,
    CharmRef,
    Connector,
    DeployFailedError,
    JujuModel,
    LibjujuMissingError,
    ModelAdapter,
    Target,
    connect_juju,
)
from ._api import (
    DeployOptions,
    DeployResult,
    Phase,
    StatusResult,
    Update,
    check_charms,
    deploy,
    dry_run,
    status,
)
from ._controllers import ControllerUnavailableError, DeployEnvironmentError, ModelMissingError
from ._dist import Distribution, LockedCharm, read_distribution
from ._pack import (
    DEFAULT_OUTPUT,
    CannotPackError,
    CharmSource,
    Host,
    PackEvent,
    PackResult,
    charm_sources,
    detect_host,
    pack_charms,
)
from ._plan import Change, Plan, render
from ._wait import AppRow, Progress, UnitReport, WaitOptions, WaitResult

__all__ = [
    "DEFAULT_OUTPUT",
    "LIBJUJU_HINT",
    "AppRow",
    "CannotPackError",
    "Change",
    "CharmRef",
    "CharmSource",
    "Connector",
    "ControllerUnavailableError",
    "DeployEnvironmentError",
    "DeployFailedError",
    "DeployOptions",
    "DeployResult",
    "Distribution",
    "Host",
    "JujuModel",
    "LibjujuMissingError",
    "LockedCharm",
    "ModelAdapter",
    "ModelMissingError",
    "PackEvent",
    "PackResult",
    "Phase",
    "Plan",
    "Progress",
    "StatusResult",
    "Target",
    "UnitReport",
    "Update",
    "WaitOptions",
    "WaitResult",
    "charm_sources",
    "check_charms",
    "connect_juju",
    "deploy",
    "detect_host",
    "dry_run",
    "pack_charms",
    "read_distribution",
    "render",
    "status",
]
