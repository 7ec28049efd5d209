# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Names, ports, paths and status messages of the osm-ng-ui charm."""

CONTAINER = "ng-ui"
SERVICE = "ng-ui"
LAYER = "ng-ui"
NBI_RELATION = "nbi"

HTTP_PORT = 80

# The image's nginx includes sites-enabled/default, a link to this file.
SITE_CONFIG_PATH = "/etc/nginx/sites-available/default"
HTML_ROOT = "/usr/share/nginx/html"
# Branding assets live outside the image's HTML root and are served under BRANDING_URL.
BRANDING_DIR = "/srv/branding"
BRANDING_URL = "/_branding"
# The site and branding files: nginx's workers read them.
FILE_PERMISSIONS = 0o644
# Which site nginx has loaded (see nginx.py): lives and dies with the container's nginx.
LOADED_RECORD = "/run/osm-ng-ui/loaded.json"

READY_CHECK = "ng-ui-ready"
ALIVE_CHECK = "ng-ui-alive"

INVALID_NBI = "invalid host or port in the nbi relation data"
# nginx refused the new site and serves the previous one; every reconcile retries.
SITE_REJECTED = "nginx kept the previous site, retrying: {error}"
SITE_NOT_LOADED = "nginx has not loaded the new site yet"
