"""The table on the terminal and the same rows as JSON."""

from __future__ import annotations

import json
import os
import platform
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.core import Mode, Results, Row

COLUMNS = ("figure", "db", "product", "ceiling", "ratio", "target", "result")


def machine() -> dict[str, Any]:
    import psutil

    cpu = platform.processor()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    return {
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def _number(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if value >= 100 else f"{value:,.1f}"


def _result(row: Row) -> str:
    if row.error:
        return "ERROR"
    return "—" if row.passed is None else ("pass" if row.passed else "FAIL")


def cells(row: Row) -> tuple[str, ...]:
    return (
        f"{row.figure.title} ({row.figure.unit})",
        row.backend,
        _number(row.product),
        _number(row.ceiling),
        "—" if row.ratio is None else f"{row.ratio:.2f}",
        row.figure.target(),
        _result(row),
    )


def _width(text: str) -> int:
    # Chinese characters take two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool) -> str:
    padding = " " * (width - _width(text))
    return padding + text if right else text + padding


def table(rows: list[Row]) -> str:
    lines = [COLUMNS, *(cells(row) for row in rows)]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(COLUMNS))]
    numeric = {2, 3, 4}
    rendered = [
        "  ".join(_pad(cell, widths[i], i in numeric) for i, cell in enumerate(line)).rstrip()
        for line in lines
    ]
    rendered.insert(1, "  ".join("-" * w for w in widths))
    errors = [f"  {row.figure.title} [{row.backend}]: {row.error}" for row in rows if row.error]
    return "\n".join(rendered + (["", "errors:", *errors] if errors else []))


def document(
    mode: Mode, started: datetime, settings: dict, rows: list[Row], results: Results
) -> dict[str, Any]:
    return {
        "date": started.isoformat(timespec="seconds"),
        "mode": mode.name,
        "machine": machine(),
        "settings": settings,
        "rows": [row.as_dict() for row in rows],
        "rounds": [
            {"measurement": key, "backend": backend, "values": values}
            for (key, backend), values in sorted(results.rounds.items())
        ],
    }


def write(path: Path, content: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
