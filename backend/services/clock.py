"""Time: stored in UTC, business dates are Shanghai dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's business date (Asia/Shanghai)."""
    return now().astimezone(SHANGHAI).date()


def shanghai_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()
