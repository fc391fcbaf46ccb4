"""The databases the suites run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is
set (CI sets it)."""

import os

import pytest

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])

# A race only PostgreSQL can have, SQLite admitting one writer at a time: the test takes
# the PostgreSQL backend alone (where it is not configured, it has no backend to run on).
postgresql_only = pytest.mark.parametrize(
    "database_url", [backend for backend in BACKENDS if backend == "postgresql"], indirect=True
)
