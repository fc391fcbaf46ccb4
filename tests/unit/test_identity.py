"""居民身份证号 (GB 11643-1999) and names."""

from datetime import date

import pytest

from backend.errors import ValidationFailed
from backend.services.identity import clean_name, parse_id_number


@pytest.mark.parametrize(
    "number",
    ["11010519491231002X", "440524188001010014", "513101198201130014", "370101190102039973"],
)
def test_valid_numbers_pass(number):
    assert parse_id_number(number).value == number


def test_number_under_an_abolished_region_code_stays_valid():
    parsed = parse_id_number("440524188001010014")  # 440524 was abolished
    assert parsed.birth_date == date(1880, 1, 1)


def test_birth_date_and_sex_come_from_the_number():
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "female"  # 17th digit 2 is even
    assert parsed.age_on(date(2026, 12, 30)) == 76
    assert parsed.age_on(date(2026, 12, 31)) == 77


def test_lowercase_x_is_normalised():
    assert parse_id_number("11010519491231002x").value == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "校验位"),
        ("11010519490230002X", "出生日期"),
        ("110105299912310024", "出生日期"),
        ("110105491231002", "18位"),
        ("１１０１０５１９４９１２３１００２Ｘ", "18位"),
        ("11010519491231002X\u200b", "18位"),
        ("00010519491231002X", "地区码"),
    ],
)
def test_bad_numbers_are_refused_with_a_reason(number, message):
    with pytest.raises(ValidationFailed) as caught:
        parse_id_number(number, field="applicant.id_number")
    assert message in caught.value.message
    assert "applicant.id_number" in caught.value.details


def test_names_are_trimmed_and_normalised():
    assert clean_name("  张三 ") == "张三"
    assert clean_name("e\u0301") == "\u00e9"


@pytest.mark.parametrize("name", ["", "   ", "张\u200b三", "a\u202eb", "张" * 31, 12])
def test_bad_names_are_refused(name):
    with pytest.raises(ValidationFailed):
        clean_name(name)
