"""The mini program's own tests (`node --test`), run against a real server of this app."""

import os
import subprocess

from backend.config import PROJECT_ROOT

STUB = PROJECT_ROOT / "miniprogram_stub"


def test_miniprogram_suite_passes_against_the_live_api(live_server):
    result = subprocess.run(
        ["node", "--test", "tests/"],
        cwd=STUB,
        env={**os.environ, "API_BASE": f"{live_server}/api/v1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
