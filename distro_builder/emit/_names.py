"""The names of a distribution's directory and files (its bundle is Juju's ``bundle.yaml``)."""

DIST_DIR = "dist"
LOCK_FILE = "distro.lock"
README_FILE = "README.md"
TOPOLOGY_FILE = "topology.svg"
