"""`distro-builder catalog import FILE`: descriptors without writing YAML by hand."""

from __future__ import annotations

import zipfile
from pathlib import Path

import yaml
from typer.testing import CliRunner

from distro_builder.check import CharmIndex
from distro_builder.cli import create_app

ROOT = Path(__file__).resolve().parent.parent


def packed(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "metadata.yaml",
            yaml.safe_dump(
                {
                    "name": "grafana-k8s",
                    "provides": {"grafana-source": {"interface": "grafana_datasource"}},
                }
            ),
        )
        archive.writestr(
            "config.yaml", yaml.safe_dump({"options": {"web_external_url": {"type": "string"}}})
        )
    return path


def invoke(*args: str):
    return CliRunner().invoke(create_app(), ["catalog", "import", *args])


def test_import_writes_a_descriptor_the_index_reads(tmp_path):
    catalog = tmp_path / "charms" / "external"

    result = invoke(
        str(packed(tmp_path / "grafana-k8s_ubuntu@22.04-amd64.charm")),
        "--catalog",
        str(catalog),
        "--channel",
        "1/stable",
        "--revision",
        "117",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote ")
    meta = CharmIndex(tmp_path).find("grafana-k8s")
    assert meta is not None
    assert (meta.external, meta.channel, meta.revision) == (True, "1/stable", 117)
    assert meta.endpoints["grafana-source"].interface == "grafana_datasource"


def test_import_defaults_to_the_projects_catalog(tmp_path, monkeypatch):
    project = tmp_path / "project"
    (project / "bundles" / "osm").mkdir(parents=True)
    (project / "bundles" / "osm" / "bundle.yaml.j2").write_text("bundle: kubernetes\n")
    monkeypatch.chdir(project)

    result = invoke(str(packed(tmp_path / "grafana.charm")))

    assert result.exit_code == 0, result.output
    assert (project / "charms" / "external" / "grafana-k8s.yaml").is_file()


def test_malformed_input_is_an_input_error(tmp_path):
    broken = tmp_path / "metadata.yaml"
    broken.write_text("name: x\nrequires: [db]\n")

    result = invoke(str(broken), "--catalog", str(tmp_path / "catalog"))

    assert result.exit_code == 2
    assert result.stderr == f"{broken}: error: requires must be a mapping\n"
    assert not (tmp_path / "catalog").exists()
