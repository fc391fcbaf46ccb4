"""`python -m bench [--quick]` (what `make bench` runs)."""

import sys

from bench.core import BenchError
from bench.load import LoadError
from bench.run import log, main
from bench.stack import StackError

try:
    sys.exit(main())
except (BenchError, LoadError, StackError) as error:
    log(f"cannot run: {error}")
    sys.exit(2)
