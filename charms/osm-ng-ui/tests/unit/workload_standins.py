# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""Stand-ins for the ng-ui workload, in one place: the unit tests and the simulator use them.

- For the simulator (`distro-builder simulate`, which loads `Workload` from this file, the
  charm's one documented place): nginx's answers and the written directories per unit,
  which last from one hook to the next.
- For ops.testing: the `ng-ui` container with the directories the charm writes as mounts
  (what one event pushes is still there for the next, as in a real container) and the
  answers of `nginx -s reload` in it. The rejected answer is what Debian's nginx prints
  for a site whose NBI host does not resolve (test_real_nginx.py checks it against the
  real program).
- For the real-program tests (test_real_nginx.py, test_browser.py): a stand-in NG-UI
  page and a stand-in NBI. The page is shaped as the image's Angular build is: an
  index.html in nginx's root with a `</head>` (where the charm's site has nginx inject
  the branding stylesheet and script), a favicon link, an `<app-root>` that a script
  fills after load (so the logo `<img>` appears after the branding script ran) with the
  OSM logo under `assets/images/`, a Bootstrap `.btn-primary`, and the NBI's version
  fetched through `/osm`. The NBI answers `GET /osm/version` as the real one does
  (without authentication).
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath

from literals import BRANDING_DIR, CONTAINER, LOADED_RECORD, SITE_CONFIG_PATH
from ops import testing
from workload import RELOAD_COMMAND

# The container directories the charm writes to: nginx's site, the branding, its record of
# what nginx has loaded.
WRITTEN_DIRECTORIES = {
    "site": str(PurePosixPath(SITE_CONFIG_PATH).parent),
    "branding": BRANDING_DIR,
    "record": str(PurePosixPath(LOADED_RECORD).parent),
}

# `nginx -s reload` sent the signal (the notice goes to the site's error_log, stderr).
RELOAD_ACCEPTED = testing.Exec(
    RELOAD_COMMAND,
    return_code=0,
    stderr="2026/11/25 10:00:00 [notice] 42#42: signal process started\n",
)
# nginx parses the site before it signals the master, and refuses one it cannot load: here
# one whose NBI host does not resolve (the site's error_log is stderr, hence the format).
RELOAD_REJECTED_STDERR = (
    "2026/11/25 10:00:00 [emerg] 41#41: host not found in upstream"
    ' "nbi-2" in /etc/nginx/sites-enabled/default:11\n'
)
RELOAD_REJECTED = testing.Exec(RELOAD_COMMAND, return_code=1, stderr=RELOAD_REJECTED_STDERR)


def written_mounts(root: Path) -> dict[str, testing.Mount]:
    """Mounts for the directories the charm writes, kept under `root` on the local disk."""
    mounts = {}
    for name, location in WRITTEN_DIRECTORIES.items():
        source = root / name
        source.mkdir(parents=True, exist_ok=True)
        mounts[name] = testing.Mount(location=location, source=source)
    return mounts


def ng_ui_container(
    root: Path, reload: testing.Exec = RELOAD_ACCEPTED, *, can_connect: bool = True
) -> testing.Container:
    """The ng-ui container whose written directories live under `root` on the test's disk."""
    return testing.Container(
        CONTAINER, can_connect=can_connect, mounts=written_mounts(root), execs={reload}
    )


class Workload:
    """The ng-ui workload as the simulator drives it: one instance per application.

    Each unit's container gets the written directories as mounts under a directory of its
    own (so the site, the branding and the record outlast a hook, as in a real container)
    and `reload` as nginx's answer to `nginx -s reload`; `reloads` counts, per unit, the
    reloads the charm ran.
    """

    def __init__(self, reload: testing.Exec = RELOAD_ACCEPTED, root: Path | None = None):
        self._directory = tempfile.TemporaryDirectory(prefix="ng-ui-") if root is None else None
        self.root = Path(self._directory.name) if self._directory else Path(str(root))
        self.reload = reload
        self.reloads: dict[int, int] = {}

    def prepare(
        self, unit: int, container: testing.Container, root: Path | None = None
    ) -> testing.Container:
        """`container` as the unit's hook sees it: its written directories, nginx's answers."""
        del root  # the written directories are mounts: they outlast the hook
        if container.name != CONTAINER:
            return container
        mounts = {**container.mounts, **written_mounts(self.root / f"unit-{unit}")}
        others = {e for e in container.execs if tuple(e.command_prefix) != RELOAD_COMMAND}
        return dataclasses.replace(container, mounts=mounts, execs={*others, self.reload})

    def observe(
        self,
        unit: int,
        container: testing.Container,
        commands: list[list[str]],
        root: Path | None = None,
    ) -> None:
        """Count the reloads the charm ran in `container` during the unit's hook."""
        del root
        ran = sum(tuple(command) == RELOAD_COMMAND for command in commands)
        if container.name == CONTAINER and ran:
            self.reloads[unit] = self.reloads.get(unit, 0) + ran


def answering_reload(state: testing.State, reload: testing.Exec) -> testing.State:
    """`state` with nginx answering `nginx -s reload` with `reload` from now on."""
    container = dataclasses.replace(state.get_container(CONTAINER), execs={reload})
    return dataclasses.replace(state, containers={container})


# --- a stand-in NG-UI page and NBI, for the real nginx and Chromium -------------------------

OSM_TITLE = "OSM"
OSM_PRIMARY = "rgb(0, 161, 224)"  # the stand-in's own primary colour, before branding
OSM_LOGO_PATH = "assets/images/osm_logo.png"

INDEX_HTML = f"""\
<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{OSM_TITLE}</title>
  <base href="/">
  <link rel="icon" type="image/x-icon" href="assets/images/favicon.ico">
  <link rel="stylesheet" href="styles.css">
</head>
<body>
  <app-root></app-root>
  <script src="main.js"></script>
</body>
</html>
"""

STYLES_CSS = f"""\
body {{ font-family: sans-serif; margin: 0; }}
header {{ display: flex; align-items: center; gap: 12px; padding: 12px; background: #f4f4f4; }}
header img {{ height: 48px; }}
main {{ padding: 24px; }}
.btn {{ border: 1px solid transparent; padding: 8px 16px; font-size: 16px; color: #fff; }}
.btn-primary {{ background-color: {OSM_PRIMARY}; border-color: {OSM_PRIMARY}; }}
"""

# Renders the header once the page has loaded, as Angular does after bootstrapping.
MAIN_JS = f"""\
window.addEventListener("load", function () {{
  setTimeout(function () {{
    var root = document.querySelector("app-root");
    root.innerHTML =
      '<header><img class="osm-logo" alt="logo" src="{OSM_LOGO_PATH}">' +
      '<span>Dashboard</span></header>' +
      '<main><button class="btn btn-primary">New NS instance</button>' +
      '<p>NBI <span id="nbi-version">unknown</span></p></main>';
    fetch("/osm/version").then(function (response) {{ return response.json(); }})
      .then(function (body) {{
        document.getElementById("nbi-version").textContent = body.version;
      }});
  }}, 50);
}});
"""


def write_ng_ui_page(html_root: Path, osm_logo: bytes) -> None:
    """Write the stand-in NG-UI page into `html_root` (nginx's root)."""
    files = {
        "index.html": INDEX_HTML.encode(),
        "styles.css": STYLES_CSS.encode(),
        "main.js": MAIN_JS.encode(),
        OSM_LOGO_PATH: osm_logo,
    }
    for name, content in files.items():
        path = html_root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


@contextmanager
def standin_nbi(version: str) -> Iterator[int]:
    """An NBI answering `GET /osm/version` with `version` on a free localhost port (yielded)."""
    body = json.dumps({"version": version, "date": "2026-11-25"}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == "/osm/version"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
