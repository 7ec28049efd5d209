"""Every structural check of Juju's verifier, each at the position of the value it is about.

Each check sees two bad values where it loops, so that a check which stops at the first bad
value (a ``continue`` turned ``break``) is noticed. Messages are Juju's (juju/charm v13
``bundledata.go`` ``verifyBundle``, :501-828); positions are ours.
"""

from pathlib import Path

import pytest
from helpers import Write

from distro_builder.compose import merge_files
from distro_builder.core import InputError
from distro_builder.juju import verify_bundle


@pytest.fixture(autouse=True)
def _in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def diagnostics(write: Write, base: str, *overlays: str) -> list[str]:
    write("bundle.yaml", base)
    for index, text in enumerate(overlays):
        write(f"overlay{index}.yaml", text)
    paths = [Path(f"overlay{index}.yaml") for index in range(len(overlays))]
    with pytest.raises(InputError) as raised:
        merge_files(Path("bundle.yaml"), paths)
    return [d.format() for d in raised.value.diagnostics]


IAAS = """
series: bogus
default-base: ubuntu
bundle: machine
saas:
  db: {url: "not a url"}
  bad-url: {url: "also/bad"}
  Bad_Saas: {url: m.app}
  web: {url: m.web}
machines:
  "0": {constraints: cores=many, series: bogus, base: ubuntu}
  "x": {constraints: mem=lots, series: nope, base: centos}
  "2": {}
  "10": {}
applications:
  web:
    charm: ./missing.charm
    num_units: -1
    constraints: arch=amd64 arch=arm64
    series: bogus
    base: ubuntu
    storage: {Bad_Store: "ebs,ebs2", db: "10G,#"}
    devices: {Bad_Dev: "1,gpu", gpu: ""}
    resources: {"": 1, img: [1], logo: ./logo.png}
  db:
    charm: ch:mysql-3
    revision: -1
    num_units: 1
    to: ["lxd:0", "ghost/0", "web/0", "kvm:0/1", "7", "new", "2", "2", "Bad"]
  nocharm: {num_units: 0}
  cs: {charm: "cs:foo"}
  ok:
    charm: ch:ubuntu
    revision: 0
    channel: stable
    num_units: 2
    to: ["ok/1", "db/0", "db/1"]
relations:
  - [web:db, db:db]
  - [db:db, web:db]
  - [web:x]
  - [web:a, db:b, ok:c]
  - [web:a, web:b]
  - [web/x, db:b]
  - [web:a, ghost:b]
  - [web:c, other:d]
"""


def test_every_iaas_check_at_its_value(write: Write, tmp_path: Path):
    assert diagnostics(write, IAAS) == [
        'bundle.yaml:3:1: error: bundle has an invalid type "machine"',
        'bundle.yaml:1:1: error: bundle declares an invalid series "bogus"',
        'bundle.yaml:2:1: error: bundle declares an invalid base "ubuntu"',
        'bundle.yaml:7:3: error: invalid SAAS name "Bad_Saas" found',
        'bundle.yaml:6:13: error: invalid offer URL "also/bad" for SAAS bad-url',
        'bundle.yaml:5:3: error: application "db" already exists with SAAS "db" name',
        'bundle.yaml:5:8: error: invalid offer URL "not a url" for SAAS db',
        'bundle.yaml:8:3: error: application "web" already exists with SAAS "web" name',
        'bundle.yaml:10:9: error: invalid constraints "cores=many" in machine "0": bad "cores" '
        "constraint: must be a non-negative integer",
        'bundle.yaml:10:34: error: invalid series "bogus" for machine "0"',
        'bundle.yaml:10:49: error: invalid base "ubuntu" for machine "0"',
        'bundle.yaml:11:3: error: invalid machine id "x" found in machines',
        'bundle.yaml:11:9: error: invalid constraints "mem=lots" in machine "x": bad "mem" '
        "constraint: must be a non-negative float with optional M/G/T/P suffix",
        'bundle.yaml:11:32: error: invalid series "nope" for machine "x"',
        'bundle.yaml:11:46: error: invalid base "centos" for machine "x"',
        'bundle.yaml:30:8: error: invalid charm URL in application "cs": charm or bundle URL '
        '"cs:foo" has unrecognized schema',
        'bundle.yaml:24:3: error: SAAS "db" already exists with application "db" name',
        'bundle.yaml:25:5: error: cannot specify revision in "ch:mysql-3", please use revision',
        'bundle.yaml:26:5: error: application "db" with a revision requires a channel for '
        "future upgrades, please use channel",
        'bundle.yaml:26:5: error: the revision for application "db" must be zero or greater',
        'bundle.yaml:28:5: error: too many units specified in unit placement for application "db"',
        'bundle.yaml:28:5: error: placement "ghost/0" refers to an application not defined in '
        "this bundle",
        'bundle.yaml:28:5: error: placement "web/0" specifies a unit greater than the -1 '
        "unit(s) started by the target application",
        'bundle.yaml:28:5: error: invalid placement syntax "kvm:0/1"',
        'bundle.yaml:28:5: error: placement "7" refers to a machine not defined in this bundle',
        'bundle.yaml:28:5: error: invalid placement syntax "Bad"',
        "bundle.yaml:29:3: error: empty charm path",
        'bundle.yaml:36:5: error: too many units specified in unit placement for application "ok"',
        'bundle.yaml:36:5: error: placement "db/1" specifies a unit greater than the 1 unit(s) '
        "started by the target application",
        'bundle.yaml:15:3: error: SAAS "web" already exists with application "web" name',
        'bundle.yaml:16:5: error: charm path in application "web" does not exist: '
        f"{tmp_path / 'missing.charm'}",
        'bundle.yaml:19:5: error: application "web" declares an invalid series "bogus"',
        'bundle.yaml:20:5: error: application "web" declares an invalid base "ubuntu"',
        'bundle.yaml:18:5: error: invalid constraints "arch=amd64 arch=arm64" in application '
        '"web": bad "arch" constraint: already set',
        'bundle.yaml:21:15: error: invalid storage name "Bad_Store" in application "web"',
        'bundle.yaml:21:15: error: invalid storage "Bad_Store" in application "web": pool name '
        'is already set, new value "ebs2"',
        'bundle.yaml:21:38: error: invalid storage "db" in application "web": unrecognized '
        'storage constraint "#"',
        'bundle.yaml:22:15: error: invalid device name "Bad_Dev" in application "web"',
        'bundle.yaml:22:33: error: invalid device "gpu" in application "web": empty constraints',
        'bundle.yaml:23:17: error: missing resource name on application "web"',
        'bundle.yaml:23:24: error: resource revision "web" is not int or string',
        'bundle.yaml:17:5: error: negative number of units specified on application "web"',
        'bundle.yaml:38:6: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:38:14: error: ambiguous relation "db" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:39:6: error: ambiguous relation "db" refers to a application and a SAAS in '
        "this bundle",
        'bundle.yaml:39:13: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:39:5: error: relation ["db:db" "web:db"] is defined more than once',
        'bundle.yaml:40:5: error: relation ["web:x"] has 1 endpoint(s), not 2',
        'bundle.yaml:41:5: error: relation ["web:a" "db:b" "ok:c"] has 3 endpoint(s), not 2',
        'bundle.yaml:42:6: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:42:13: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:42:5: error: relation ["web:a" "web:b"] relates an application to itself',
        'bundle.yaml:43:6: error: invalid relation syntax "web/x"',
        'bundle.yaml:43:13: error: ambiguous relation "db" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:44:6: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:44:13: error: relation ["web:a" "ghost:b"] refers to application "ghost" '
        "not defined in this bundle",
        'bundle.yaml:45:6: error: ambiguous relation "web" refers to a application and a SAAS '
        "in this bundle",
        'bundle.yaml:45:13: error: relation ["web:c" "other:d"] refers to application "other" '
        "not defined in this bundle",
        'bundle.yaml:13:3: error: machine "10" is not referred to by a placement directive',
        'bundle.yaml:11:3: error: machine "x" is not referred to by a placement directive',
    ]


KUBERNETES = """
bundle: kubernetes
machines:
  "0": {}
applications:
  a: {charm: a, scale: 1, to: ["x=1", "y=2"]}
  b: {charm: b, scale: 1, placement: "x=1,x=2"}
  c: {charm: c, scale: 1, to: ["x="]}
  d: {charm: d, scale: 1, to: ["=1"]}
  e: {charm: e, scale: 1, to: ["x"]}
  f: {charm: f, scale: 1, to: ["x=1,y=2"]}
"""


def test_every_kubernetes_check_at_its_value(write: Write):
    assert diagnostics(write, KUBERNETES) == [
        "bundle.yaml:2:1: error: bundle machines not valid for Kubernetes bundles",
        'bundle.yaml:5:27: error: too many placement directives for application "a"',
        'bundle.yaml:6:27: error: key "x" specified more than once for application "b"',
        'bundle.yaml:7:27: error: expected "key=value", got "x=" for application "c"',
        'bundle.yaml:8:27: error: expected "key=value", got "=1" for application "d"',
        'bundle.yaml:9:27: error: expected "key=value", got "x" for application "e"',
    ]


BASE = """
applications:
  app: {charm: ubuntu, num_units: 1}
"""
OVERLAY = """
applications:
  app:
    expose: true
    exposed-endpoints:
      admin: {expose-to-cidrs: [10.0.0.0/8]}
  other:
    charm: ubuntu
    exposed-endpoints:
      admin: {expose-to-cidrs: [10.0.0.0/33, 10.1.0.0/16, nonsense]}
      "": {expose-to-cidrs: ["::/0", "fe80::/129"]}
    offers:
      Bad_Offer: {endpoints: [db, Bad_Endpoint, other_bad!]}
      good: {endpoints: [db]}
      Also_Bad: {endpoints: []}
"""


def test_overlay_only_fields_are_checked_at_their_overlay_entries(write: Write):
    assert diagnostics(write, BASE, OVERLAY) == [
        "overlay0.yaml:4:5: error: exposed-endpoints cannot be specified together with "
        '"exposed:true" in application "app" as this poses a security risk when deploying '
        "bundles to older controllers",
        'overlay0.yaml:14:7: error: invalid offer name "Also_Bad" in application "other"',
        'overlay0.yaml:12:7: error: invalid offer name "Bad_Offer" in application "other"',
        'overlay0.yaml:12:7: error: invalid endpoint name "Bad_Endpoint" for offer "Bad_Offer" '
        'in application "other"',
        'overlay0.yaml:12:7: error: invalid endpoint name "other_bad!" for offer "Bad_Offer" in '
        'application "other"',
        'overlay0.yaml:10:7: error: invalid CIDR "fe80::/129" for expose to CIDRs field for '
        'endpoint "" in application "other"',
        'overlay0.yaml:9:7: error: invalid CIDR "10.0.0.0/33" for expose to CIDRs field for '
        'endpoint "admin" in application "other"',
        'overlay0.yaml:9:7: error: invalid CIDR "nonsense" for expose to CIDRs field for '
        'endpoint "admin" in application "other"',
    ]


def test_values_juju_accepts_pass(write: Write, tmp_path: Path):
    base = """
    series: jammy
    applications:
      db:
        charm: ch:amd64/jammy/mysql
        series: jammy
        num_units: 1
        constraints: tags=a=b
        to: ["0"]
    machines:
      "0": {series: jammy, base: ubuntu@22.04, constraints: mem=2G}
    """
    overlay = """
    applications:
      db:
        exposed-endpoints:
          db: {expose-to-cidrs: [10.0.0.1/8, "::1/64"]}
    """
    write("bundle.yaml", base)
    write("overlay0.yaml", overlay)
    composition, warnings = merge_files(Path("bundle.yaml"), [Path("overlay0.yaml")])
    assert warnings == []
    assert composition.bundle["machines"]["0"]["series"] == "jammy"


def test_more_charm_url_constraint_and_placement_rules(write: Write):
    base = """
    applications:
      a: {charm: "ch:a:b", num_units: 1}
      b: {charm: "ch:x/y/Bad_Name", num_units: 1}
      c: {charm: ch:c, to: ["new"]}
    machines:
      "0": {constraints: image-id=ami-1}
    """
    assert diagnostics(write, base) == [
        'bundle.yaml:6:9: error: invalid constraints "image-id=ami-1" in machine "0": '
        "'image-id' constraint in a base bundle not supported",
        'bundle.yaml:2:7: error: invalid charm URL in application "a": cannot parse URL '
        '"ch:a:b": name "a:b" not valid',
        'bundle.yaml:3:7: error: invalid charm URL in application "b": cannot parse URL '
        '"ch:x/y/Bad_Name": name "Bad_Name" not valid',
        'bundle.yaml:4:20: error: too many units specified in unit placement for application "c"',
        'bundle.yaml:6:3: error: machine "0" is not referred to by a placement directive',
    ]


def test_kubernetes_placement_keys_split_at_the_first_equals_sign(write: Write):
    base = 'bundle: kubernetes\napplications:\n  a: {charm: a, scale: 1, to: ["a=b=c,a=d"]}\n'
    assert diagnostics(write, base) == [
        'bundle.yaml:3:27: error: key "a" specified more than once for application "a"'
    ]


def test_offers_and_exposed_endpoints_that_are_not_mappings(write: Write):
    overlay = """
    applications:
      app:
        offers: [api]
        exposed-endpoints: 3
      other:
        charm: ubuntu
        offers:
          api: {endpoints: [db], colour: red}
    """
    write("bundle.yaml", BASE)
    write("overlay0.yaml", overlay)
    with pytest.raises(InputError) as raised:
        merge_files(Path("bundle.yaml"), [Path("overlay0.yaml")])
    assert [d.format() for d in raised.value.diagnostics] == [
        "overlay0.yaml:3:13: error: applications.app.offers: expected a mapping, got a list",
        "overlay0.yaml:4:24: error: applications.app.exposed-endpoints: expected a mapping, got 3",
        'overlay0.yaml:8:30: warning: unknown field "colour" in offer "api" (Juju ignores it)',
    ]


def test_a_relative_local_charm_without_a_bundle_directory():
    bundle = {"applications": {"a": {"charm": "./gone.charm", "num_units": 0}}}
    (diagnostic,) = verify_bundle(bundle, lambda path: None)
    assert diagnostic.message == 'charm path in application "a" does not exist: gone.charm'


def test_null_revision_and_trust_leave_no_value(write: Write):
    overlay = "applications:\n  app:\n    revision: ~\n    trust: ~\n"
    write("bundle.yaml", BASE)
    write("overlay0.yaml", overlay)
    composition, _ = merge_files(Path("bundle.yaml"), [Path("overlay0.yaml")])
    assert composition.bundle["applications"]["app"] == {"charm": "ubuntu", "num_units": 1}
