"""`python -m bench [--quick]`: start the stack, seed, measure every figure, report.

Each backend in turn (SQLite, then PostgreSQL) gets its database, a product server
(`gunicorn backend.wsgi:app`, production settings, the bench's own secrets) and a
ceiling server (`gunicorn bench.ceiling_app:app`) with the same gunicorn settings.
Rounds interleave product and ceiling measurements, so that whatever else the
machine does falls on both alike; the table shows each value's median over rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from types import ModuleType

from backend import create_app
from backend.config import from_environment
from backend.extensions import db
from bench import DATA_DIR, RESULTS_DIR, ceilings, data, load, report
from bench.core import (
    FULL,
    POSTGRESQL,
    QUICK,
    SQLITE,
    Backend,
    BenchError,
    Figure,
    Measurement,
    Mode,
    Results,
    Row,
    evaluate,
)
from bench.figures import FIGURE_MODULES
from bench.stack import (
    gunicorn,
    postgres_available,
    postgres_database,
    postgres_server,
    redis_server,
)

# Only these pass from the caller's environment to the servers: every product setting
# is the bench's (production defaults), whatever the shell that runs it has set.
PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "VIRTUAL_ENV")
SECRET_NAMES = ("SECRET_KEY", "JWT_SECRET_KEY", "FIELD_ENCRYPTION_KEY")


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def bench_secrets(mode: Mode) -> dict[str, str]:
    """Production-strength secrets; kept with the cached data, which they encrypt."""
    path = DATA_DIR / "secrets.json"
    if not mode.quick and path.exists():
        return json.loads(path.read_text())
    values = {name: secrets.token_urlsafe(48) for name in SECRET_NAMES}
    if not mode.quick:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
        path.chmod(0o600)
    return values


def product_environment(
    database_url: str, redis_url: str, keys: dict[str, str], instance: Path
) -> dict[str, str]:
    env = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    env.update(
        keys,
        APP_ENV="production",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        INSTANCE_DIR=str(instance),
        STORAGE_DIR=str(instance / "uploads"),
        FLASK_APP="backend:create_app",
    )
    return env


@contextmanager
def database_url(name: str, mode: Mode, scratch: Path) -> Iterator[str]:
    if name == SQLITE:
        folder = scratch if mode.quick else DATA_DIR
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / f'minzheng-{mode.rows}.sqlite3'}"
        return
    with postgres_server(scratch / "postgres" if mode.quick else DATA_DIR / "postgres") as server:
        database = f"minzheng_bench_{os.getpid()}" if mode.quick else "minzheng_bench"
        with postgres_database(server, database, keep=not mode.quick) as url:
            yield url


@contextmanager
def open_backend(
    name: str, mode: Mode, redis_url: str, scratch: Path, seeds: Sequence
) -> Iterator[Backend]:
    keys = bench_secrets(mode)
    workers = int(os.environ.get("WEB_WORKERS", "2"))
    with database_url(name, mode, scratch) as url:
        env = product_environment(url, redis_url, keys, scratch / f"instance-{name}")
        # The seeding app reads the servers' own environment, so it has their settings.
        app = create_app(from_environment(env))
        with app.app_context():
            started = time.monotonic()
            built = data.prepare(mode.rows, keys["FIELD_ENCRYPTION_KEY"], seeds)
            took = time.monotonic() - started
            log(
                f"{name}: {'seeded' if built else 'cached'} data ({mode.rows:,} rows, {took:.0f} s)"
            )
            db.session.remove()
            db.engine.dispose()  # the servers must not inherit the seeding connections
            ceiling_env = {**env, "DATABASE_URL": url}
            with (
                gunicorn(
                    f"product-{name}",
                    "backend.wsgi:app",
                    env,
                    workers=workers,
                    ready_path="/api/v1/health",
                ) as product,
                gunicorn(
                    f"ceiling-{name}",
                    "bench.ceiling_app:app",
                    ceiling_env,
                    workers=workers,
                    ready_path="/json",
                ) as ceiling,
            ):
                yield Backend(name, mode, redis_url, env, app, product, ceiling)
            db.session.remove()
            db.engine.dispose()


def run_rounds(backend: Backend, measurements: Sequence[Measurement], results: Results) -> None:
    """Every measurement once per round, interleaved; a failing one is dropped, noted."""
    mode = backend.mode
    rounds = mode.rounds + (1 if mode.warmup else 0)
    failed: set[str] = set()
    for number in range(rounds):
        warming = mode.warmup and number == 0
        label = "warm-up" if warming else f"round {number + (0 if mode.warmup else 1)}"
        for measurement in measurements:
            if measurement.key in failed:
                continue
            try:
                values = measurement.run(backend)
            except (BenchError, load.LoadError) as error:
                failed.add(measurement.key)
                results.errors[(measurement.key, backend.name)] = str(error)
                log(f"{backend.name} {measurement.key}: {error}")
                continue
            if not warming:
                results.add(measurement.key, backend.name, values)
            shown = ", ".join(f"{k} {v:,.1f}" for k, v in values.items())
            log(f"{backend.name} {label} {measurement.key}: {shown}")


def reference_figures(figures: Sequence[Figure]) -> list[Figure]:
    """A row for each ceiling no product figure compares with yet, so it is still seen."""
    compared = {(f.ceiling[0], b) for f in figures if f.ceiling and f.product for b in f.backends}
    rows = []
    for measurement in ceilings.MEASUREMENTS:
        backends = tuple(b for b in measurement.backends if (measurement.key, b) not in compared)
        if backends:
            title, unit = ceilings.TITLES[measurement.key]
            rows.append(Figure(title, unit, None, (measurement.key, "rate"), backends=backends))
    return rows


def backends(mode: Mode) -> list[str]:
    if postgres_available():
        return [SQLITE, POSTGRESQL]
    if mode.quick:
        log("PostgreSQL: not installed and BENCH_DATABASE_URL unset; SQLite only")
        return [SQLITE]
    raise BenchError("PostgreSQL is needed: install it or set BENCH_DATABASE_URL")


def exit_code(rows: Sequence[Row], mode: Mode) -> int:
    """Quick mode checks the bench works and results are right; full mode the targets."""
    if any(row.error for row in rows):
        return 1
    if mode.quick:
        return 0
    return 0 if all(row.passed is not False for row in rows) else 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small data, one round (smoke)")
    parser.add_argument("--only", metavar="WORD", help="only figures whose title has WORD")
    args = parser.parse_args(argv)
    mode = QUICK if args.quick else FULL
    load.ensure_wrk()
    modules: list[ModuleType] = [import_module(name) for name in FIGURE_MODULES]
    measurements = [*ceilings.MEASUREMENTS, *(m for mod in modules for m in mod.MEASUREMENTS)]
    figures = [f for mod in modules for f in mod.FIGURES]
    figures += reference_figures(figures)
    if args.only:
        figures = [f for f in figures if args.only in f.title]
        wanted = set().union(*(f.measurements for f in figures))
        measurements = [m for m in measurements if m.key in wanted]
    seeds = [ceilings.seed, *(s for mod in modules for s in mod.SEEDS)]
    started, results, ran = datetime.now(UTC), Results(), []
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-")))
        scratch.chmod(0o755)  # a private PostgreSQL runs as the postgres user in here
        redis_url = stack.enter_context(redis_server(scratch / "redis"))
        for name in backends(mode):
            with open_backend(name, mode, redis_url, scratch, seeds) as backend:
                run_rounds(backend, [m for m in measurements if name in m.backends], results)
            ran.append(name)
    rows = [evaluate(f, b, results) for f in figures for b in f.backends if b in ran]
    print(report.table(rows))
    settings = {
        "rows": mode.rows,
        "rounds": mode.rounds,
        "seconds_per_load": mode.seconds,
        "wrk_connections": load.CONNECTIONS,
        "wrk_threads": load.THREADS,
        "gunicorn_workers": int(os.environ.get("WEB_WORKERS", "2")),
        "postgresql": "BENCH_DATABASE_URL" if os.environ.get("BENCH_DATABASE_URL") else "private",
    }
    content = report.document(mode, started, settings, rows, results)
    target = (
        DATA_DIR / "quick.json"
        if mode.quick
        else RESULTS_DIR / f"{started:%Y-%m-%dT%H%M}-{mode.name}.json"
    )
    report.write(target, content)
    log(f"results written to {target}")
    return exit_code(rows, mode)
