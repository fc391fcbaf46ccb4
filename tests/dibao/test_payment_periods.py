"""What the county decides on a 低保 case is what is paid: approval starts the
household's entitlement, an adjustment changes it from the next month, a gradual exit
or a termination ends it."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import Entitlement
from backend.services import months


def periods() -> list[tuple]:
    rows = db.session.scalars(select(Entitlement).order_by(Entitlement.id))
    return [
        (f"{r.monthly_amount:.2f}", r.from_month, r.to_month, r.start_reason, r.end_reason)
        for r in rows
    ]


def test_approval_starts_paying_the_amount_from_the_start_month(case_at):
    case = case_at("approved", "0", "300", "500")
    assert periods() == [("784.00", case["start_month"], None, "approval", None)]


def test_an_adjustment_pays_the_new_amount_from_the_next_month(case_at, step):
    case = step(case_at("approved", "0", "300", "500"), "town01", "start_rereview").get_json()
    member = case["household"]["members"][0]["id"]
    data = {"members": [{"member_id": member, "monthly_income": "200.00"}]}
    adjusted = step(case, "county01", "adjust", data=data, fresh=True).get_json()
    first, second = periods()
    assert first[2:] == (months.add(adjusted["amount_from"], -1), "approval", "adjustment")
    assert second == ("584.00", adjusted["amount_from"], None, "adjustment", None)


def test_a_gradual_exit_ends_the_payment_at_its_last_month(case_at, step):
    case = step(case_at("approved"), "town01", "start_rereview").get_json()
    exiting = step(
        case, "county01", "gradual_exit", "家庭成员已就业", {"months": 2}, fresh=True
    ).get_json()
    [(_, _, last, _, why)] = periods()
    assert (last, why) == (exiting["exit_month"], "gradual_exit")


def test_a_termination_ends_the_payment_this_month(case_at, step):
    terminated = step(case_at("approved"), "county01", "terminate", "骗取低保", fresh=True)
    [(_, _, last, _, why)] = periods()
    assert (last, why) == (terminated.get_json()["exit_month"], "termination")
