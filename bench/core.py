"""What a figure is: a product measurement beside a ceiling measurement, and a target.

A *measurement* runs once per round on one backend and returns named values
(`{"rate": 312.0, "p99_ms": 41.0}`); a *figure* is one row of the table: a product
value, the ceiling value it is compared with, and what counts as passing.
"""

from __future__ import annotations

import operator
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from bench.stack import Server

SQLITE, POSTGRESQL = "sqlite", "postgresql"
DATABASES = (SQLITE, POSTGRESQL)


class BenchError(RuntimeError):
    """A measurement went wrong (errors under load, a wrong result): never a number."""


@dataclass(frozen=True)
class Mode:
    """How big and how long: `full` for the figures, `quick` so that the bench never rots."""

    name: str
    rows: int  # applications in the queue table (and rows of the SELECT ceiling)
    rounds: int  # each measurement is repeated; the table shows medians
    seconds: float  # of load per HTTP measurement
    warmup: bool  # one discarded round first, so that no figure pays for cold caches
    rush_attempts: int
    rush_places: int
    images: int  # photos per image measurement
    jobs: int  # empty RQ jobs per drain
    samples: int  # one-at-a-time latencies per round (upload to ready)
    roster_rows: int  # rows of the hukou roster imported per round

    @property
    def quick(self) -> bool:
        return self.name == "quick"


FULL = Mode("full", 1_000_000, 3, 10, True, 2000, 100, 12, 1000, 3, 100_000)
QUICK = Mode("quick", 10_000, 1, 1, False, 200, 10, 2, 100, 1, 1000)


@dataclass
class Backend:
    """One database backend under test, with its servers, both started by the run."""

    name: str
    mode: Mode
    redis_url: str
    env: dict[str, str]  # the product's environment (servers and workers)
    app: Flask  # in-process product app, same settings: tokens, seeding, checking results
    product: Server
    ceiling: Server


Values = dict[str, float]


@dataclass(frozen=True)
class Measurement:
    key: str
    run: Callable[[Backend], Values]
    backends: tuple[str, ...] = DATABASES


OPERATORS: Mapping[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    ">=": operator.ge,
}


@dataclass(frozen=True)
class Check:
    """A condition on one value of the product measurement, e.g. `p99_ms < 100`.

    `every_round` checks are about correctness (exactly 100 booked): one bad round
    fails them. The others are about speed and use the median, like the table.
    """

    value: str
    op: str
    bound: float
    unit: str = ""
    every_round: bool = False

    def passes(self, observed: Sequence[float]) -> bool:
        compare = OPERATORS[self.op]
        if self.every_round:
            return all(compare(v, self.bound) for v in observed)
        return compare(statistics.median(observed), self.bound)

    def __str__(self) -> str:
        return f"{self.value} {self.op} {self.bound:g}{self.unit}"


@dataclass(frozen=True)
class Figure:
    """One row: `product` ÷ `ceiling`, each a (measurement key, value name) pair.

    A figure without a product is a reference ceiling: it is shown so that the other
    rows can be read (what the bare stack does), and has no target.
    """

    title: str
    unit: str
    product: tuple[str, str] | None
    ceiling: tuple[str, str] | None
    min_ratio: float | None = None
    checks: tuple[Check, ...] = ()
    backends: tuple[str, ...] = DATABASES
    # A correctness condition the measurement itself enforces (a breach is an error).
    guarantee: str = ""

    @property
    def measurements(self) -> set[str]:
        return {pair[0] for pair in (self.product, self.ceiling) if pair}

    def target(self) -> str:
        parts = [f"≥ {self.min_ratio:.0%} of ceiling"] if self.min_ratio is not None else []
        parts += [str(check) for check in self.checks]
        parts += [self.guarantee] if self.guarantee else []
        if parts:
            return ", ".join(parts)
        return "—" if self.product else "reference"


@dataclass
class Results:
    """Every round's values, per (measurement, backend)."""

    rounds: dict[tuple[str, str], list[Values]] = field(default_factory=dict)
    errors: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, key: str, backend: str, values: Values) -> None:
        self.rounds.setdefault((key, backend), []).append(values)

    def series(self, pair: tuple[str, str], backend: str) -> list[float]:
        key, value = pair
        found = self.rounds.get((key, backend), [])
        return [round_values[value] for round_values in found]


@dataclass(frozen=True)
class Row:
    figure: Figure
    backend: str
    product: float | None
    ceiling: float | None
    ratio: float | None
    passed: bool | None  # None: a reference row, nothing to pass
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "figure": self.figure.title,
            "backend": self.backend,
            "unit": self.figure.unit,
            "product_median": self.product,
            "ceiling_median": self.ceiling,
            "ratio": self.ratio,
            "target": self.figure.target(),
            "passed": self.passed,
            "error": self.error,
        }


def evaluate(figure: Figure, backend: str, results: Results) -> Row:
    for pair in (figure.product, figure.ceiling):
        if pair and (pair[0], backend) in results.errors:
            return Row(figure, backend, None, None, None, False, results.errors[(pair[0], backend)])
    product = results.series(figure.product, backend) if figure.product else []
    ceiling = results.series(figure.ceiling, backend) if figure.ceiling else []
    product_median = statistics.median(product) if product else None
    ceiling_median = statistics.median(ceiling) if ceiling else None
    ratio = product_median / ceiling_median if product_median and ceiling_median else None
    if figure.product is None:
        return Row(figure, backend, None, ceiling_median, None, None)
    if figure.min_ratio is None and not figure.checks:  # a product value shown as it is
        return Row(figure, backend, product_median, ceiling_median, ratio, None)
    passed = (figure.min_ratio is None or (ratio or 0) >= figure.min_ratio) and all(
        check.passes(results.series((figure.product[0], check.value), backend))
        for check in figure.checks
    )
    return Row(figure, backend, product_median, ceiling_median, ratio, passed)
