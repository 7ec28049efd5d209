# Copyright 2026 The Charmed OSM distribution authors.
# Licensed under the Apache License, Version 2.0.
"""What the charm makes of nginx's complaints."""

from __future__ import annotations

import pytest
from nginx import nginx_error


@pytest.mark.parametrize(
    ("stderr", "error"),
    [
        (
            'nginx: [emerg] host not found in upstream "nbi" in /etc/nginx/sites-enabled/'
            "default:11\nnginx: configuration file /etc/nginx/nginx.conf test failed\n",
            'host not found in upstream "nbi" in /etc/nginx/sites-enabled/default:11',
        ),
        (
            "2026/11/25 10:00:00 [notice] 9#9: signal process started\n"
            "2026/11/25 10:00:00 [alert] 9#9: kill(41, 1) failed (3: No such process)\n",
            "kill(41, 1) failed (3: No such process)",
        ),
        (
            'nginx: [error] invalid PID number "" in "/run/nginx.pid"\n',
            'invalid PID number "" in "/run/nginx.pid"',
        ),
        ("nginx: something unexpected\n\n", "something unexpected"),
        ("", ""),
    ],
)
def test_nginx_error_is_the_first_complaint_without_its_prefix(stderr, error):
    assert nginx_error(stderr) == error
