"""Small builders of request bodies shared by several test packages."""


def household(applicant_id_number: str, *incomes: str, area_type: str = "urban") -> dict:
    """A 低保 household: the applicant (relation self) earning the first income, then
    one more member per further income (valid identity numbers, distinct people)."""
    incomes = incomes or ("0",)
    members = [
        {
            "name": "王秀英",
            "id_number": applicant_id_number,
            "relation": "self",
            "monthly_income": incomes[0],
        }
    ]
    for serial, income in enumerate(incomes[1:], start=1):
        members.append(
            {
                "name": f"王家{'一二三四五六七八九十'[serial - 1]}",
                "id_number": member_id_number(serial),
                "relation": "child",
                "monthly_income": income,
            }
        )
    return {"area_type": area_type, "members": members}


def member_id_number(serial: int) -> str:
    """A valid identity number of a child born in 2010 (serial 1–999)."""
    from stdnum.cn import ric

    body = f"37010120100101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")
