"""``python -m distro_builder``: the same as the ``distro-builder`` command."""

from distro_builder.cli import main

main()
