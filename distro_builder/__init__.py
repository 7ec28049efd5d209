"""distro-builder: compose branded Charmed OSM distributions from layered overlays.

The library entry point is :mod:`distro_builder.api`; the command line, :mod:`distro_builder.cli`.
The stages, bottom up (each imports only those below it): ``core``, ``juju``, ``load``,
``compose``, ``check``, ``emit``, ``inspect``; see ``README.md`` beside this file.
"""

__version__ = "0.1.0"
