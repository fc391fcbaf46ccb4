"""Fixtures of the hostile-review tests, shared with tests/marriage and tests/attachments."""

from tests.attachments.conftest import process_now, upload  # noqa: F401 (fixtures)
from tests.marriage.conftest import make_slot, office, soon  # noqa: F401 (fixtures)
