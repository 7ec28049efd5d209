"""distro-builder: compose branded Charmed OSM distributions from layered overlays."""

__version__ = "0.1.0"
