# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""The real programs the workload files are checked with: nginx and headless Chromium.

Both run unprivileged on free localhost ports, with everything (prefix, pid, logs,
temporary files, browser profile) under a test's temporary directory, with timeouts on
every wait, and are stopped (their whole process group) when the test ends. Tests that
need one call `require_nginx()` / `require_chromium()`, which skip saying what to install
where the program is missing (`.ci/run` installs both).

What Debian 12's nginx 1.22 checks here leaves out, compared with the NG-UI image's nginx
(Ubuntu's package, run by Pebble as root with the image's own nginx.conf):

- the image's main configuration: its http-level directives (mime types, gzip, logs),
  modules and `user` are replaced by the minimal one below, so a clash between our site
  and them is not seen;
- version differences: a directive or parameter that 1.22 accepts and the image's
  release does not (or the other way round) passes here; the site keeps to directives
  older than both (`sub_filter` with several strings since 1.9.4, `alias`,
  `add_header`, `proxy_next_upstream`);
- in-cluster name resolution: the NBI upstream here is a local address, or a `.invalid`
  name for the failure; whether the NBI's Kubernetes service resolves is not checked;
- workers as the image's user reading the files with the charm's permissions (here the
  workers run as whoever runs the tests).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from workload import Site

TIMEOUT = 10.0  # seconds, for any one wait on a real program
_SBIN = ("/usr/sbin", "/usr/local/sbin", "/sbin")
_CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Ports Chromium refuses to load (net/base/port_util.cc), in or near the ephemeral range.
_UNSAFE_PORTS = {6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080}

MAIN_CONFIG = """\
# A minimal main configuration around the charm's site: every path under {prefix}.
daemon off;
worker_processes 1;
# After a reload the old worker finishes what it serves, but it also keeps any connection on
# which no request has come yet until client_header_timeout (60 s): Chromium opens such a
# spare connection now and then, and the reload tests wait for the old workers to go.
worker_shutdown_timeout 2s;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log notice;
{user}
events {{
    worker_connections 64;
}}
http {{
    types {{
        text/html html;
        text/css css;
        application/javascript js;
        application/json json;
        image/svg+xml svg;
        image/png png;
    }}
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/temp/body;
    proxy_temp_path {prefix}/temp/proxy;
    fastcgi_temp_path {prefix}/temp/fastcgi;
    uwsgi_temp_path {prefix}/temp/uwsgi;
    scgi_temp_path {prefix}/temp/scgi;
    include {site};
}}
"""


def _find(names: tuple[str, ...], extra_dirs: tuple[str, ...] = ()) -> str | None:
    """The first of `names` on PATH or in `extra_dirs`."""
    search = os.pathsep.join([os.environ.get("PATH", ""), *extra_dirs])
    for name in names:
        found = shutil.which(name, path=search)
        if found:
            return found
    return None


def require_nginx() -> str:
    """The nginx binary; skips the test where there is none."""
    found = _find(("nginx",), _SBIN)
    if found is None:
        pytest.skip("nginx is not installed (apt-get install nginx; .ci/run installs it)")
    return found


def require_chromium() -> str:
    """A Chromium binary; skips the test where there is none."""
    found = _find(_CHROMIUM_NAMES)
    if found is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return found


def free_port() -> int:
    """A localhost TCP port that nothing listens on now (and Chromium will load)."""
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _UNSAFE_PORTS:
            return port


def _wait_for(condition, what: str, timeout: float = TIMEOUT) -> Any:
    """Poll `condition()` until it returns something true; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.02)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """End `process` and everything it started (its own process group)."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# --- nginx ----------------------------------------------------------------------------------


def write_site(site: Site, site_file: Path, branding_dir: Path) -> None:
    """Write `site` as the charm pushes it (nginx.push): branding directory, then site file."""
    directory = branding_dir / site.branding_version
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in site.branding_files.items():
        (directory / name).write_bytes(content)
    site_file.write_text(site.config)


def prune_branding(branding_dir: Path, keep: str) -> None:
    """Remove every branding directory but `keep`, as the charm does (nginx.prune_branding)."""
    for stale in branding_dir.iterdir():
        if stale.name != keep:
            shutil.rmtree(stale)


@dataclass
class Nginx:
    """nginx with a main configuration around one site file, all under `prefix`."""

    binary: str
    prefix: Path
    site_file: Path

    @property
    def config(self) -> Path:
        return self.prefix / "nginx.conf"

    def __post_init__(self) -> None:
        (self.prefix / "temp").mkdir(parents=True, exist_ok=True)
        # Root's workers would otherwise run as nobody, who cannot read pytest's tmp dir.
        user = "user root root;" if os.geteuid() == 0 else ""
        self.config.write_text(
            MAIN_CONFIG.format(prefix=self.prefix, user=user, site=self.site_file)
        )

    def _command(self, *args: str) -> list[str]:
        return [self.binary, "-p", f"{self.prefix}/", "-c", str(self.config), *args]

    def test(self) -> subprocess.CompletedProcess[str]:
        """`nginx -t` on the main configuration and the site."""
        return subprocess.run(
            self._command("-t"), capture_output=True, text=True, timeout=TIMEOUT, check=False
        )

    def reload(self) -> subprocess.CompletedProcess[str]:
        """`nginx -s reload`, as the charm runs it in the container."""
        return subprocess.run(
            self._command("-s", "reload"),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    def reload_and_wait(self) -> subprocess.CompletedProcess[str]:
        """`nginx -s reload`, then wait until the old workers have gone (when it succeeded).

        The reload is asynchronous: the master starts new workers and tells the old ones
        to finish what they serve, so for a moment either may answer a new connection.
        """
        master = self.master_pid()
        old = _children(master)
        result = self.reload()
        if result.returncode == 0:
            _wait_for(
                lambda: (workers := _children(master)) and not workers & old,
                "nginx's old workers to exit",
            )
        return result

    @contextlib.contextmanager
    def running(self, port: int) -> Iterator[int]:
        """Run nginx in the foreground until the block ends; yields the master's pid."""
        log = (self.prefix / "stderr.log").open("wb")
        process = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for(
                lambda: process.poll() is not None or _accepts(port),
                f"nginx to listen on port {port}",
            )
            if process.poll() is not None:
                raise AssertionError(
                    f"nginx exited: {(self.prefix / 'stderr.log').read_text(errors='replace')}"
                )
            yield process.pid
        finally:
            _stop(process)
            log.close()

    def master_pid(self) -> int:
        """The pid nginx wrote to its pid file."""
        return int((self.prefix / "nginx.pid").read_text())


def _children(pid: int) -> set[int]:
    """The pids of the processes whose parent is `pid` (Linux /proc)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            children.add(int(stat.parent.name))
    return children


def _accepts(port: int) -> bool:
    """Whether something accepts TCP connections on localhost `port`."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def get(url: str) -> tuple[int, bytes]:
    """GET `url`: the status and the body (also of an error status)."""
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def headers(url: str) -> dict[str, str]:
    """The response headers of GET `url`."""
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return dict(response.headers.items())


def wait_until_served(url: str, expected: bytes) -> None:
    """Wait until `url` answers with a body holding `expected` (nginx reloads asynchronously)."""
    _wait_for(lambda: expected in get(url)[1], f"{url} to serve {expected!r}")


# --- Chromium -------------------------------------------------------------------------------


class Chromium:
    """Headless Chromium driven through the DevTools protocol (one page)."""

    FLAGS = (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=800,480",
        "--remote-debugging-port=0",
    )

    def __init__(self, binary: str, profile: Path):
        import websocket  # websocket-client, which ops depends on

        profile.mkdir(parents=True, exist_ok=True)
        self._log = (profile.parent / "chromium.log").open("wb")
        # HOME too: Chromium's crash handler keeps its reports under ~/.config otherwise.
        home = {"HOME": str(profile.parent), "XDG_CONFIG_HOME": str(profile.parent / "config")}
        self._process = subprocess.Popen(
            [binary, *self.FLAGS, f"--user-data-dir={profile}", "about:blank"],
            env={**os.environ, **home},
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self._next_id = 0
        try:
            active = profile / "DevToolsActivePort"
            port = _wait_for(
                lambda: (
                    self._process.poll() is None
                    and active.exists()
                    and active.read_text().split("\n", 1)[0].strip()
                ),
                "Chromium's DevTools port",
            )
            pages = _wait_for(lambda: _pages(int(port)), "Chromium's first page")
            self._socket = websocket.create_connection(
                pages[0], timeout=TIMEOUT, suppress_origin=True
            )
        except BaseException:
            self.close()
            raise

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send one DevTools command and return its result (events are skipped)."""
        self._next_id += 1
        self._socket.send(json.dumps({"id": self._next_id, "method": method, "params": params}))
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            message = json.loads(self._socket.recv())
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                return message["result"]
        raise AssertionError(f"timed out waiting for Chromium to answer {method}")

    def evaluate(self, expression: str) -> Any:
        """The value of JavaScript `expression` in the page (promises awaited)."""
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str) -> None:
        """Navigate to `url` and wait for the page to load."""
        self.call("Page.navigate", url=url)
        self.wait_for(
            f"document.readyState === 'complete' && location.href === {json.dumps(url)}",
            f"{url} to load",
        )

    def wait_for(self, expression: str, what: str) -> Any:
        """Wait until JavaScript `expression` is true in the page."""
        return _wait_for(lambda: self.evaluate(expression), what)

    def screenshot(self, path: Path) -> Path:
        """Write a PNG of the page to `path`."""
        data = self.call("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        """Close the connection and end Chromium (and its helpers)."""
        with contextlib.suppress(AttributeError, OSError):
            self._socket.close()
        _stop(self._process)
        self._log.close()


def _pages(port: int) -> list[str] | None:
    """The DevTools web socket URLs of Chromium's pages, None until it answers."""
    try:
        status, body = get(f"http://127.0.0.1:{port}/json/list")
    except (urllib.error.URLError, ConnectionError):
        return None  # not listening yet
    if status != 200:
        return None
    return [t["webSocketDebuggerUrl"] for t in json.loads(body) if t.get("type") == "page"]
