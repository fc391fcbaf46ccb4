"""居民身份证号 (GB 11643-1999) and personal names.

Built on python-stdnum's check digit and birth date, not its `validate()`: that
also requires the first six digits in its table of current places and so refuses
numbers issued under since-abolished codes, which stay valid for life.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from backend.errors import ValidationFailed

ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")  # [0-9], never \d: \d matches fullwidth digits

# First two digits: provinces, autonomous regions, municipalities (GB/T 2260), plus
# 99, the code range the demo county uses.
PROVINCE_CODES = frozenset(
    [
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
        "83",
        "91",
        "99",
    ]
)
EARLIEST_BIRTH = date(1880, 1, 1)

NAME_MAX = 30
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str  # "male" | "female"

    def age_on(self, day: date) -> int:
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def parse_id_number(raw: object, field: str = "id_number", today: date | None = None) -> IdNumber:
    """Validate and normalise (lowercase x → X); raise ValidationFailed naming `field`."""
    if not isinstance(raw, str):
        raise ValidationFailed.field(field, "身份证号应为文字")
    value = raw.strip().upper()
    if not ID_PATTERN.fullmatch(value):
        raise ValidationFailed.field(field, "身份证号应为18位,由数字和末位X组成")
    if value[:2] not in PROVINCE_CODES:
        raise ValidationFailed.field(field, "身份证号的地区码无效")
    try:
        birth_date = ric.get_birth_date(value)
    except StdnumError:
        raise ValidationFailed.field(field, "身份证号中的出生日期无效") from None
    today = today or date.today()
    if birth_date > today or birth_date < EARLIEST_BIRTH:
        raise ValidationFailed.field(field, "身份证号中的出生日期无效")
    if ric.calc_check_digit(value) != value[-1]:
        raise ValidationFailed.field(field, "身份证号校验位错误")
    sex = "male" if int(value[16]) % 2 else "female"
    return IdNumber(value=value, birth_date=birth_date, sex=sex)


def clean_name(raw: object, field: str = "name") -> str:
    """Trim, NFC-normalise, refuse control and zero-width characters; 1–30 characters."""
    if not isinstance(raw, str):
        raise ValidationFailed.field(field, "姓名应为文字")
    name = unicodedata.normalize("NFC", raw.strip())
    if any(unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in name):
        raise ValidationFailed.field(field, "姓名不能包含控制字符或不可见字符")
    if not 1 <= len(name) <= NAME_MAX:
        raise ValidationFailed.field(field, f"姓名应为1到{NAME_MAX}个字")
    return name
