"""The mini program's own tests (`node --test`), run against a real server of this app,
with WeChat's login stand-in and a real RQ worker behind it."""

import os
import subprocess

from backend.config import PROJECT_ROOT

STUB = PROJECT_ROOT / "miniprogram_stub"


def test_miniprogram_suite_passes_against_the_live_api(
    live_server, wechat, sign_in_limits, rq_worker, phone_photo
):
    result = subprocess.run(
        ["node", "--test", "--test-concurrency=1", "tests/"],
        cwd=STUB,
        env={**os.environ, "API_BASE": f"{live_server}/api/v1", "PHOTO": str(phone_photo)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
    assert "# skipped 0" in result.stdout and "# todo 0" in result.stdout
