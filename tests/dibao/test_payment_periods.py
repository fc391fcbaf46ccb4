"""What the county decides on a 低保 case is what is paid: approval starts the
household's entitlement, an adjustment changes it from the next month, a gradual exit
or a termination ends it."""

from sqlalchemy import select

from backend.extensions import db
from backend.models import Entitlement
from backend.services import clock, months


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


def rereview_of_an_exit(case_at, step, months_granted: int = 2) -> dict:
    case = step(case_at("approved"), "town01", "start_rereview").get_json()
    exiting = step(
        case, "county01", "gradual_exit", "已就业", {"months": months_granted}, fresh=True
    )
    return step(exiting.get_json(), "town01", "start_rereview").get_json()


def test_continuing_a_household_in_gradual_exit_withdraws_the_stop_not_yet_reached(case_at, step):
    case = rereview_of_an_exit(case_at, step)
    continued = step(case, "town01", "continue", comment="仍符合条件")
    assert continued.status_code == 200, continued.get_json()
    assert continued.get_json()["exit_month"] is None
    assert periods() == [("784.00", case["start_month"], None, "approval", None)]


def test_continuing_after_the_exit_month_passed_pays_again_from_the_month_after_it(case_at, step):
    case = rereview_of_an_exit(case_at, step)
    stopped = db.session.scalar(select(Entitlement))
    passed = months.add(months.of(clock.today()), -2)
    stopped.to_month = passed  # the re-review outlasted the exit
    db.session.commit()
    assert step(case, "town01", "continue", comment="仍符合条件").status_code == 200
    assert periods() == [
        ("784.00", case["start_month"], passed, "approval", "gradual_exit"),
        ("784.00", months.add(passed, 1), None, "rereview_continued", None),
    ]


def test_an_adjustment_during_a_gradual_exit_pays_the_new_amount_without_a_stop(case_at, step):
    case = rereview_of_an_exit(case_at, step)
    member = case["household"]["members"][0]["id"]
    data = {"members": [{"member_id": member, "monthly_income": "200.00"}]}
    adjusted = step(case, "county01", "adjust", data=data, fresh=True)
    assert adjusted.status_code == 200, adjusted.get_json()
    amount_from = adjusted.get_json()["amount_from"]
    assert [p[2:] for p in periods()] == [
        (months.add(amount_from, -1), "approval", "adjustment"),
        (None, "adjustment", None),
    ]
