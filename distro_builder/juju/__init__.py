"""Juju's own bundle semantics: the bundle schema, overlay merge rules and verification.

Nothing of distro-builder's extensions lives here: `distro-builder merge` uses only this package
to compose exactly what `juju deploy BUNDLE --overlay FILE...` would.
"""
