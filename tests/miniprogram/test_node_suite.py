"""The mini program's own tests (`node --test`), run against a real server of this app."""

import os
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from backend.config import PROJECT_ROOT

STUB = PROJECT_ROOT / "miniprogram_stub"


@pytest.fixture
def live_server(demo):
    server = make_server("127.0.0.1", 0, demo, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/api/v1"
    server.shutdown()


def test_miniprogram_suite_passes_against_the_live_api(live_server):
    result = subprocess.run(
        ["node", "--test", "tests/"],
        cwd=STUB,
        env={**os.environ, "API_BASE": live_server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
