"""Helpers that product figures and ceilings share, so that both are measured alike."""

from __future__ import annotations

import json
from collections.abc import Sequence

from bench import load
from bench.core import BenchError, Mode, Values
from bench.stack import Server

MB = 2**20


def http_load(server: Server, requests: Sequence[load.Request], mode: Mode) -> Values:
    """Load `server` for the mode's duration: rate, latency and its workers' peak RSS.

    Any answer outside 2xx is an error, not a figure: a fast failure proves nothing.
    """
    with server.watching_memory():
        result = load.run(server.base_url, requests, seconds=mode.seconds)
    if result.failures or not result.responses:
        raise BenchError(f"{server.name}: errors under load {describe(result)}")
    return {
        "rate": result.rate,
        "p50_ms": result.p50_ms,
        "p99_ms": result.p99_ms,
        "rss_mb": server.peak_rss / MB,
    }


def rush(server: Server, requests: Sequence[load.Request], attempts: int) -> load.LoadResult:
    """`attempts` requests at once (64 connections), timed from the first to the last answer."""
    return load.run(server.base_url, requests, seconds=120, connections=64, limit=attempts)


def json_body(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def describe(result: load.LoadResult) -> str:
    first = f", first: {result.first_error.strip()}" if result.first_error else ""
    return f"(statuses {result.statuses}, socket errors {result.socket_errors}{first})"
