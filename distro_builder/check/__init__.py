"""Checking: does a composed distribution fit Juju and the charms it deploys?

Charm facts come from this repository's charms and the external catalog (``charms/external/``),
with builder-side rules (``distro_builder/charm_rules.yaml``, linked to the charms' own
validation code). :func:`source_charms` decides where each application's charm comes from
(``distro.charms``, packed charms given with ``--charms-dir``); :func:`check_composition` is
the one check path of ``validate`` and ``build``: Juju's verification, plain-text secrets,
then relations (inferred as Juju infers them), options, resources, storage and scale against
the charms.
"""

from ._catalog import (
    CATALOG_DIR,
    CHARMS_DIR,
    CharmIndex,
    charm_name,
    import_descriptor,
    read_descriptor,
)
from ._charms import CharmReport, OriginLookup, RelationFacts, check_charms, resolve_relations
from ._findings import Findings, check_composition
from ._meta_yaml import MetaError, read_yaml_file
from ._metadata import (
    CHARMCRAFT_YAML,
    CharmMeta,
    ConfigOption,
    Endpoint,
    parse_charm_metadata,
    read_charm_source,
)
from ._registry import image_registry_problem
from ._rules import RULES_FILE, CharmRules, PythonCheck, RuleLink, parse_charm_rules, rule_links
from ._secrets import credentials_in, is_secret_name, plaintext_secrets
from ._sourcing import CHARMS_SUBDIR, CharmPlan, Sourced, SourcedCharm, source_charms

__all__ = [
    "CATALOG_DIR",
    "CHARMCRAFT_YAML",
    "CHARMS_DIR",
    "CHARMS_SUBDIR",
    "RULES_FILE",
    "CharmIndex",
    "CharmMeta",
    "CharmPlan",
    "CharmReport",
    "CharmRules",
    "ConfigOption",
    "Endpoint",
    "Findings",
    "MetaError",
    "OriginLookup",
    "PythonCheck",
    "RelationFacts",
    "RuleLink",
    "Sourced",
    "SourcedCharm",
    "charm_name",
    "check_charms",
    "check_composition",
    "credentials_in",
    "image_registry_problem",
    "import_descriptor",
    "is_secret_name",
    "parse_charm_metadata",
    "parse_charm_rules",
    "plaintext_secrets",
    "read_charm_source",
    "read_descriptor",
    "read_yaml_file",
    "resolve_relations",
    "rule_links",
    "source_charms",
]
