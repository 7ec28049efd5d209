"""The "how to deploy" section written into a distribution's README."""

from __future__ import annotations

from distro_builder.emit import deploy_guide


def lock(missing: tuple[str, ...] = ()) -> dict:
    return {
        "name": "acme-osm",
        "charms": {
            app: {
                "charm": f"./charms/osm-{app}_amd64.charm",
                "source": "local",
                "missing": app in missing,
            }
            for app in ("nbi", "ng-ui", "lcm")
        },
    }


def test_the_guide_says_how_to_deploy_and_what_you_then_have():
    text = deploy_guide(lock())
    assert text.startswith("## Deploy\n")
    assert "uv run --extra deploy distro-builder deploy dist/acme-osm --model acme-osm" in text
    assert "juju deploy ./bundle.yaml --trust" in text
    assert "juju grant-secret acme-osm-commonkey nbi,lcm,ro,mon" in text
    assert "http://<address>:9999/osm/" in text and "`admin`/`admin`" in text
    assert "kubectl -n acme-osm port-forward svc/ng-ui 8080:80" in text
    assert "Juju user secret `acme-osm-commonkey` (content key `commonkey`)" in text
    assert "does not deploy yet" not in text


def test_missing_charms_are_named_with_how_to_get_them():
    text = deploy_guide(lock(missing=("nbi", "lcm")))
    assert (
        "lacks packed charms, so it does not deploy yet: `./charms/osm-lcm_amd64.charm`, "
        "`./charms/osm-nbi_amd64.charm`"
    ) in text
    assert "`distro-builder pack`" in text and "--charms-dir DIR" in text
