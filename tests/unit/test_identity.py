"""居民身份证号 (GB 11643-1999) and names."""

from datetime import date

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from stdnum.cn import ric

from backend.errors import ValidationFailed
from backend.services.identity import PROVINCE_CODES, clean_name, parse_id_number


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


# Properties (hypothesis): numbers built from any province, any real birth date and
# any sequence, with their check digit; then broken in every single-character way.

ID_CHARACTERS = "0123456789X"


@st.composite
def valid_numbers(draw) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    place = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2024, 12, 31)))
    sequence = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    body = f"{province}{place}{born:%Y%m%d}{sequence}"
    return body + ric.calc_check_digit(body + "?")  # it reads the first 17 characters


@given(valid_numbers())
def test_every_generated_number_is_valid_and_keeps_its_birth_date(number):
    parsed = parse_id_number(number)
    assert parsed.value == number
    assert parsed.birth_date == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert parsed.sex == ("male" if int(number[16]) % 2 else "female")


@given(valid_numbers(), st.integers(0, 17), st.sampled_from(ID_CHARACTERS))
def test_any_single_character_change_is_caught(number, position, replacement):
    assume(number[position] != replacement)
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationFailed):
        parse_id_number(changed)


@given(valid_numbers(), st.integers(0, 16))
def test_two_neighbouring_digits_swapped_are_caught(number, position):
    assume(number[position] != number[position + 1] and number[position + 1] != "X")
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    with pytest.raises(ValidationFailed):
        parse_id_number(swapped)


@st.composite
def numbers_ending_in_x(draw) -> str:
    """A valid number whose check digit is X: the sequence is searched from a drawn start."""
    prefix = draw(valid_numbers())[:14]
    start = draw(st.integers(0, 999))
    for step in range(1000):
        body = f"{prefix}{(start + step) % 1000:03d}"
        if ric.calc_check_digit(body + "?") == "X":
            return body + "X"
    raise AssertionError("every prefix has sequences ending in X")


@given(numbers_ending_in_x(), st.sampled_from(["", " ", "\t"]), st.sampled_from(["", " "]))
def test_lowercase_x_and_surrounding_spaces_are_normalised(number, before, after):
    assert parse_id_number(f"{before}{number.lower()}{after}").value == number
