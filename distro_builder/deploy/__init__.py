"""From a built distribution to a running OSM: pack charms, deploy, watch, report.

The library behind `distro-builder pack`, `deploy` and `status`. It prints nothing and never
exits: :mod:`distro_builder.deploy.api` takes a distribution and options and returns typed
results, reporting progress through a callback; :mod:`distro_builder.cli_deploy` renders.

- `api`: `deploy`, `dry_run`, `status` (the entry point).
- `dist`: read `dist/<name>/` (bundle, lock) and check its packed charms against the lock.
- `status`: typed snapshots of a model, parsed from python-libjuju's `FullStatus`.
- `plan`: what deploying would change in a model (the dry run, and `status`'s differences).
- `secrets`: the distribution's Juju user secrets (the OSM common key), provisioned.
- `bundle`: the distribution's bundle as handed to python-libjuju.
- `wait`: the loop that watches a model until it is ready, failed or out of time.
- `controllers`: which controller, checked in the Juju client's files.
- `adapter`: the thin layer over python-libjuju (imported lazily: ~0.4 s).
- `pack`: `charmcraft pack` for the in-repository charms a distribution uses.
- `guide`: the "how to deploy" text for a distribution's README.
- `_builder`: everything taken from the builder, in one place.
"""
