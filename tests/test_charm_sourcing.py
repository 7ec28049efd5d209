"""Where a distribution's charms come from: packed into it (`source: local`) or Charmhub.

The contract (issue 9): every application that runs one of this repository's charms
references `./charms/<name>_<platform>.charm` inside the distribution (`source: local`, the
default) or the vendor's own Charmhub name (`source: charmhub` with a prefix); never a bare
Charmhub name. `build --charms-dir DIR` copies the packed charms the distribution deploys
into `dist/<name>/charms/`, validated against their own metadata; without them the
distribution is written all the same, one line names what is missing, and the lock says so.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, pack_standin, pack_standins
from typer.testing import CliRunner, Result

from distro_builder.cli import create_app

OSM_CHARMS = {
    "mongodb": "osm-mongodb",
    "kafka": "osm-kafka",
    "nbi": "osm-nbi",
    "ro": "osm-ro",
    "lcm": "osm-lcm",
    "mon": "osm-mon",
    "pol": "osm-pol",
    "ng-ui": "osm-ng-ui",
    "prometheus": "osm-prometheus",
}
LOCK_KEYS = ["charm", "source", "channel", "revision", "sha256", "missing"]


def invoke(project: Path, *args: str) -> Result:
    return CliRunner().invoke(create_app(), [*args, "--root", str(project)])


def lock_of(directory: Path) -> dict:
    return yaml.safe_load((directory / "distro.lock").read_text())


def bundle_of(directory: Path) -> dict:
    return yaml.safe_load((directory / "bundle.yaml").read_text())


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_overlay(project: Path, name: str, text: str) -> str:
    path = project / "overlays" / name / "overlay.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return name


def test_without_packed_charms_the_distribution_is_written_and_says_what_is_missing(
    project: Path,
):
    result = invoke(project, "build")

    assert result.exit_code == 0, result.output
    target = project / "dist/osm"
    applications = bundle_of(target)["applications"]
    for app, charm in OSM_CHARMS.items():
        assert applications[app]["charm"] == f"./charms/{charm}_amd64.charm"
        assert "channel" not in applications[app] and "revision" not in applications[app]
    assert not (target / "charms").exists()
    notes = [line for line in result.stderr.splitlines() if "osm-nbi_amd64.charm" in line]
    assert len(notes) == 1
    (note,) = notes
    assert note.startswith("note: ")
    assert all(f"{charm}_amd64.charm" in note for charm in OSM_CHARMS.values())
    assert "distro-builder pack" in note and "--charms-dir" in note
    charms = lock_of(target)["charms"]
    assert list(charms["nbi"]) == LOCK_KEYS
    assert charms["nbi"] == {
        "charm": "./charms/osm-nbi_amd64.charm",
        "source": "local",
        "channel": None,
        "revision": None,
        "sha256": None,
        "missing": True,
    }


def test_charms_dir_copies_the_packed_charms_into_the_distribution(project: Path, tmp_path: Path):
    packed = pack_standins(project, tmp_path / "packed")

    result = invoke(
        project, "build", "--overlay", "acme-telco", "--charms-dir", str(tmp_path / "packed")
    )

    assert result.exit_code == 0, result.output
    assert "missing" not in result.stderr
    target = project / "dist/acme-osm"
    copied = sorted(path.name for path in (target / "charms").iterdir())
    assert copied == sorted(f"{charm}_amd64.charm" for charm in OSM_CHARMS.values())
    lock = lock_of(target)
    for app, charm in OSM_CHARMS.items():
        file = f"charms/{charm}_amd64.charm"
        assert (target / file).read_bytes() == packed[charm].read_bytes()
        assert lock["charms"][app] == {
            "charm": f"./{file}",
            "source": "local",
            "channel": None,
            "revision": None,
            "sha256": sha(packed[charm]),
            "missing": False,
        }
        assert lock["files"][file] == sha(packed[charm])
    assert lock["charms"]["mysql"] == {
        "charm": "mysql-k8s",
        "source": "charmhub",
        "channel": "8.0/stable",
        "revision": None,
        "sha256": None,
        "missing": False,
    }
    for name in ("bundle.yaml", "distro.lock", "README.md"):
        assert str(tmp_path) not in (target / name).read_text()


def test_only_the_charms_the_distribution_deploys_are_copied(project: Path, tmp_path: Path):
    pack_standins(project, tmp_path / "packed")
    (tmp_path / "packed/notes.txt").write_text("not a charm\n")
    headless = write_overlay(
        project, "headless", "distro: {name: headless}\napplications:\n  ng-ui:\n"
    )

    result = invoke(
        project, "build", "--overlay", headless, "--charms-dir", str(tmp_path / "packed")
    )

    assert result.exit_code == 0, result.output
    copied = {path.name for path in (project / "dist/headless/charms").iterdir()}
    assert "osm-ng-ui_amd64.charm" not in copied and "notes.txt" not in copied
    assert "osm-nbi_amd64.charm" in copied and len(copied) == 8


def test_some_charms_missing_are_named_and_recorded(project: Path, tmp_path: Path):
    packed = pack_standins(project, tmp_path / "packed")
    packed["osm-ro"].unlink()

    result = invoke(project, "build", "--charms-dir", str(tmp_path / "packed"))

    assert result.exit_code == 0, result.output
    (note,) = [line for line in result.stderr.splitlines() if "_amd64.charm" in line]
    assert "osm-ro_amd64.charm" in note and "osm-nbi_amd64.charm" not in note
    charms = lock_of(project / "dist/osm")["charms"]
    assert (charms["ro"]["missing"], charms["ro"]["sha256"]) == (True, None)
    assert charms["nbi"]["missing"] is False


def test_the_packed_charms_own_metadata_is_what_is_validated(project: Path, tmp_path: Path):
    # A packed osm-nbi without the log-level option: globex sets it, so the build fails.
    pack_standins(project, tmp_path / "packed")
    charmcraft = yaml.safe_load((project / "charms/osm-nbi/charmcraft.yaml").read_text())
    options = dict(charmcraft["config"]["options"])
    del options["log-level"]
    nbi = project / "charms/osm-nbi"
    packed = pack_standin(nbi, tmp_path / "packed")
    with zipfile.ZipFile(packed, "w") as archive:
        metadata = {key: value for key, value in charmcraft.items() if key != "config"}
        archive.writestr("metadata.yaml", yaml.safe_dump(metadata))
        archive.writestr("config.yaml", yaml.safe_dump({"options": options}))

    result = invoke(
        project, "build", "--overlay", "globex", "--charms-dir", str(tmp_path / "packed")
    )

    assert result.exit_code == 2
    assert 'configuration option "log-level" not found in charm "osm-nbi"' in result.stderr
    assert not (project / "dist/globex-lab").exists()
    assert invoke(project, "build", "--overlay", "globex").exit_code == 0


def test_a_packed_file_holding_another_charm_is_refused(project: Path, tmp_path: Path):
    pack_standins(project, tmp_path / "packed")
    impostor = pack_standin(project / "charms/osm-ro", tmp_path / "other")
    impostor.rename(tmp_path / "packed/osm-nbi_amd64.charm")

    result = invoke(project, "build", "--charms-dir", str(tmp_path / "packed"))

    assert result.exit_code == 2
    assert "osm-nbi_amd64.charm" in result.stderr and '"osm-ro"' in result.stderr
    assert not (project / "dist/osm").exists()


def test_a_charms_dir_that_is_not_a_directory_is_an_input_error(project: Path, tmp_path: Path):
    result = invoke(project, "build", "--charms-dir", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{tmp_path / 'nowhere'}: error: ")


def test_the_file_name_is_the_one_charmcraft_gives_from_platforms(project: Path, tmp_path: Path):
    charmcraft = project / "charms/osm-nbi/charmcraft.yaml"
    charmcraft.write_text(
        charmcraft.read_text().replace("platforms:\n  amd64:", "platforms:\n  arm64:")
    )
    pack_standins(project, tmp_path / "packed")
    assert (tmp_path / "packed/osm-nbi_arm64.charm").is_file()

    result = invoke(project, "build", "--charms-dir", str(tmp_path / "packed"))

    assert result.exit_code == 0, result.output
    applications = bundle_of(project / "dist/osm")["applications"]
    assert applications["nbi"]["charm"] == "./charms/osm-nbi_arm64.charm"
    assert (project / "dist/osm/charms/osm-nbi_arm64.charm").is_file()


def test_charmhub_source_uses_the_vendors_names_and_checks_against_ours(project: Path):
    name = write_overlay(
        project,
        "published",
        "distro:\n"
        "  name: published\n"
        "  extends: [globex]\n"
        "  charms: {source: charmhub, prefix: acme-, channel: 2/stable, revision: 7}\n"
        "applications:\n"
        "  ro: {revision: 9}\n",
    )

    result = invoke(project, "build", "--overlay", name)

    assert result.exit_code == 0, result.output
    assert "_amd64.charm" not in result.stderr
    target = project / "dist/published"
    applications = bundle_of(target)["applications"]
    assert applications["nbi"]["charm"] == "acme-osm-nbi"
    assert (applications["nbi"]["channel"], applications["nbi"]["revision"]) == ("2/stable", 7)
    assert applications["ro"]["revision"] == 9
    assert not (target / "charms").exists()
    assert lock_of(target)["charms"]["nbi"] == {
        "charm": "acme-osm-nbi",
        "source": "charmhub",
        "channel": "2/stable",
        "revision": 7,
        "sha256": None,
        "missing": False,
    }
    # Still checked against this repository's osm-nbi: an option it lacks is an error.
    overlay = project / "overlays/published/overlay.yaml"
    overlay.write_text(overlay.read_text() + "  nbi: {options: {log_level: INFO}}\n")
    failed = invoke(project, "build", "--overlay", name)
    assert failed.exit_code == 2
    assert 'configuration option "log_level" not found in charm "osm-nbi"' in failed.stderr


def test_the_last_layer_that_sets_distro_charms_wins(project: Path):
    write_overlay(
        project,
        "published",
        "distro:\n  name: published\n  charms: {source: charmhub, prefix: acme-, channel: edge}\n",
    )
    name = write_overlay(
        project,
        "packed",
        "distro:\n  name: packed\n  extends: [published]\n  charms: {source: local}\n",
    )

    assert invoke(project, "build", "--overlay", name).exit_code == 0

    applications = bundle_of(project / "dist/packed")["applications"]
    assert applications["nbi"]["charm"] == "./charms/osm-nbi_amd64.charm"
    assert "channel" not in applications["nbi"]


@pytest.mark.parametrize(
    ("charms", "message"),
    [
        ("{source: github}", 'distro.charms.source: expected "local" or "charmhub", got "github"'),
        ("{source: charmhub, channel: edge}", "distro.charms: source charmhub needs a prefix"),
        ("{prefix: acme-}", "distro.charms.prefix: only with source: charmhub"),
        ("{source: charmhub, prefix: ACME}", "distro.charms.prefix"),
        ("{source: charmhub, prefix: a-, revision: 3}", "a revision needs a channel"),
        ("{source: charmhub, prefix: a-, channel: edge, revision: -1}", "distro.charms.revision"),
        ("{source: charmhub, prefix: a-, channel: 2/stabel}", "distro.charms.channel"),
        ("{sauce: local}", 'unknown distro.charms field "sauce"'),
    ],
)
def test_a_wrong_distro_charms_section_is_an_error_at_its_line(
    project: Path, charms: str, message: str
):
    name = write_overlay(project, "bad", f"distro:\n  name: bad\n  charms: {charms}\n")

    result = invoke(project, "validate", "--overlay", name)

    assert result.exit_code == 2
    assert message in result.stderr
    assert all(
        line.startswith(f"{project}/overlays/bad/overlay.yaml:3:")
        or line.startswith("overlays/bad/overlay.yaml:3:")
        for line in result.stderr.splitlines()
    ), result.stderr


def test_a_channel_on_a_packed_charm_of_ours_is_an_error(project: Path):
    name = write_overlay(
        project,
        "upstream",
        "distro: {name: upstream}\napplications:\n  nbi: {channel: 14.0/stable}\n",
    )
    result = invoke(project, "validate", "--overlay", name)
    assert result.exit_code == 2
    assert "overlays/upstream/overlay.yaml:3:" in result.stderr
    assert "osm-nbi" in result.stderr and "distro.charms" in result.stderr


@pytest.mark.parametrize("overlays", [(), ("ha",), ("acme-telco",), ("globex",)])
def test_no_shipped_distribution_names_one_of_our_charms_by_a_bare_charmhub_name(
    project: Path, overlays: tuple[str, ...]
):
    args = [arg for overlay in overlays for arg in ("--overlay", overlay)]
    output = project / "out"
    assert invoke(project, "build", *args, "--output", str(output)).exit_code == 0
    ours = set(OSM_CHARMS.values())
    for app in bundle_of(output)["applications"].values():
        charm = app["charm"].removeprefix("ch:")
        assert charm not in ours, app
        if Path(charm).name.split("_")[0] in ours:
            assert charm.startswith("./charms/") and "channel" not in app


def test_the_output_guard_knows_the_charms_it_wrote(project: Path, tmp_path: Path):
    pack_standins(project, tmp_path / "packed")
    charms_dir = str(tmp_path / "packed")
    assert invoke(project, "build", "--charms-dir", charms_dir).exit_code == 0
    target = project / "dist/osm"
    assert invoke(project, "build", "--charms-dir", charms_dir).exit_code == 0  # its own

    (target / "charms/mine.charm").write_bytes(b"my own charm")
    refused = invoke(project, "build", "--charms-dir", charms_dir)
    assert refused.exit_code == 2
    assert "charms/mine.charm" in refused.stderr
    assert (target / "charms/mine.charm").read_bytes() == b"my own charm"

    (target / "charms/mine.charm").unlink()
    (target / "charms/osm-nbi_amd64.charm").write_bytes(b"patched by hand")
    changed = invoke(project, "build", "--charms-dir", charms_dir)
    assert changed.exit_code == 2
    assert "charms/osm-nbi_amd64.charm was changed" in changed.stderr


def test_a_user_file_in_the_charms_directory_of_a_charmless_build_is_refused(project: Path):
    assert invoke(project, "build").exit_code == 0
    target = project / "dist/osm"
    (target / "charms").mkdir()
    (target / "charms/osm-nbi_amd64.charm").write_bytes(b"dropped in by hand")
    refused = invoke(project, "build")
    assert refused.exit_code == 2
    assert "charms/osm-nbi_amd64.charm" in refused.stderr
    assert (target / "charms/osm-nbi_amd64.charm").read_bytes() == b"dropped in by hand"


def test_the_generated_readme_says_how_to_deploy_it(project: Path, tmp_path: Path):
    assert invoke(project, "build").exit_code == 0
    readme = (project / "dist/osm/README.md").read_text()
    assert "distro-builder deploy dist/osm" in readme
    assert "juju deploy ./bundle.yaml --trust" in readme
    assert "osm-nbi_amd64.charm" in readme and "--charms-dir" in readme  # missing: how to get
    assert "`admin`/`admin`" in readme  # first login to NBI
    assert "database-commonkey" in readme and "Juju user secret" in readme  # the common key

    pack_standins(project, tmp_path / "packed")
    assert invoke(project, "build", "--charms-dir", str(tmp_path / "packed")).exit_code == 0
    included = (project / "dist/osm/README.md").read_text()
    assert "--charms-dir" not in included
    assert "| nbi | `./charms/osm-nbi_amd64.charm` |" in included
    assert "in `charms/`, each with its sha256" in included


def test_two_checkouts_and_two_charms_dirs_give_byte_identical_distributions(tmp_path: Path):
    def tree(directory: Path) -> dict[str, bytes]:
        return {
            path.relative_to(directory).as_posix(): path.read_bytes()
            for path in sorted(directory.rglob("*"))
            if path.is_file()
        }

    built = []
    for place in ("one", "elsewhere/deeper/two"):
        project = copy_project(tmp_path / place / "checkout")
        pack_standins(project, tmp_path / place / "packed-charms")
        charms_dir = str(tmp_path / place / "packed-charms")
        assert (
            invoke(
                project, "build", "--overlay", "acme-telco", "--charms-dir", charms_dir
            ).exit_code
            == 0
        )
        built.append(tree(project / "dist/acme-osm"))
    assert built[0] == built[1]
    assert "charms/osm-nbi_amd64.charm" in built[0]
    assert os.sep + "packed-charms" not in built[0]["distro.lock"].decode()
