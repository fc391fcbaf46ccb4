"""`make bench`: the product measured beside the ceilings of its own stack, in one run.

Absolute times on a shared machine are noise; the ratio of the product to the bare
stack doing the same physical work, measured in the same run, is the figure.
"""

from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data"  # generated, cached between runs, never committed
RESULTS_DIR = BENCH_DIR / "results"
