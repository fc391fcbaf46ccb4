"""HTTP load from wrk (Debian's package), against 127.0.0.1 only, for a bounded time."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench import BENCH_DIR

SCRIPT = BENCH_DIR / "load.lua"
CONNECTIONS, THREADS = 32, 2
RESULT_MARK = "BENCH_RESULT "


class LoadError(RuntimeError):
    """wrk is missing or did not report."""


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadResult:
    responses: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[int, int]
    socket_errors: int
    first_error: str  # status and start of the body of the first answer outside 2xx

    @property
    def rate(self) -> float:
        """Answered requests per second."""
        return self.responses / self.seconds

    def count(self, *codes: int) -> int:
        return sum(self.statuses.get(code, 0) for code in codes)

    @property
    def failures(self) -> int:
        """Answers outside 2xx, plus connections that broke or timed out."""
        unexpected = sum(n for code, n in self.statuses.items() if not 200 <= code < 300)
        return unexpected + self.socket_errors


def ensure_wrk() -> str:
    """wrk's path, installing Debian's package when it is missing and we may."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise LoadError("wrk is missing: install it (apt-get install wrk) and run again")
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=True)
        subprocess.run(install, capture_output=True, check=True)
    return shutil.which("wrk") or "wrk"


def run(
    base_url: str,
    requests: Sequence[Request],
    *,
    seconds: float,
    connections: int = CONNECTIONS,
    threads: int = THREADS,
    limit: int = 0,
) -> LoadResult:
    """Replay `requests` (cycling) for `seconds`, or until `limit` answers have come."""
    if not base_url.startswith("http://127.0.0.1:"):
        raise LoadError(f"the benchmark only loads this machine, not {base_url}")
    if limit:
        threads = 1  # one thread counts every answer and ends the run (load.lua)
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as folder:
        spec = Path(folder) / "requests.lua"
        spec.write_text(lua_spec(requests, threads, limit), encoding="utf-8")
        argv = [
            ensure_wrk(),
            f"--threads={threads}",
            f"--connections={connections}",
            f"--duration={max(1, round(seconds))}s",
            "--timeout=30s",
            f"--script={SCRIPT}",
            base_url,
            "--",
            str(spec),
        ]
        output = subprocess.run(
            argv, capture_output=True, encoding="utf-8", errors="replace", timeout=seconds + 60
        )
    for line in output.stdout.splitlines():
        if line.startswith(RESULT_MARK):
            return _parse(json.loads(line.removeprefix(RESULT_MARK)))
    raise LoadError(f"wrk did not report: {output.stderr.strip() or output.stdout.strip()}")


def _parse(raw: dict) -> LoadResult:
    return LoadResult(
        responses=raw["responses"],
        seconds=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1e3,
        p99_ms=raw["p99_us"] / 1e3,
        statuses={int(code): n for code, n in raw["statuses"].items()},
        socket_errors=raw["socket_errors"] + raw["timeouts"],
        first_error=raw["first_error"],
    )


def lua_spec(requests: Sequence[Request], threads: int, limit: int) -> str:
    rows = []
    for r in requests:
        headers = ", ".join(f"[{_lua(k)}] = {_lua(v)}" for k, v in r.headers.items())
        rows.append(
            f"{{method = {_lua(r.method)}, path = {_lua(r.path)}, "
            f"headers = {{{headers}}}, body = {_lua(r.body) if r.body else 'nil'}}}"
        )
    return (
        f"return {{threads = {threads}, limit = {limit}, requests = {{\n"
        + ",\n".join(rows)
        + "\n}}\n"
    )


def _lua(value: str) -> str:
    """A Lua string literal; every byte outside printable ASCII is escaped (\\ddd)."""
    escaped = "".join(
        chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}"
        for b in value.encode("utf-8")
    )
    return f'"{escaped}"'
