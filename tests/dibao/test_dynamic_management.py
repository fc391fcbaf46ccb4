"""动态管理: an approved household is re-reviewed every twelve months, or six where a
member can work; the daily task opens the re-reviews that fall due; a re-review
continues the benefit, adjusts the amount from next month, grants a gradual exit
(渐退, at most the county's setting) or terminates it, with the way to appeal."""

import calendar
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Application, AuditLog
from backend.services import clock, daily, dibao, rereview, workdays
from backend.services.programmes import all_actions
from backend.services.workflow import APPEAL_NOTICE
from tests.dibao.conftest import RESIDENT_ID
from tests.factories import household

OTHER_RESIDENT_ID = "440524188001010014"
DAY = timedelta(days=1)
# The daily rule that runs each programme's own rules, keyed by their dotted paths.
PROGRAMME_RULES = "backend.services.programmes:run_daily_rules"


def working_days_after(start: date, count: int) -> str:
    return workdays.load_calendar(db.session).add_working_days(start, count).isoformat()


def reload(case: dict) -> Application:
    db.session.expire_all()
    return db.session.get(Application, case["id"])


@pytest.fixture
def under_rereview(case_at, step):
    """under_rereview("0", "300", "500") -> an approved case the township re-reviews."""

    def under_rereview(*incomes: str):
        case = case_at("approved", *incomes)
        response = step(case, "town01", "start_rereview")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return under_rereview


@pytest.fixture
def exiting(under_rereview, step):
    def exiting(months: int = 1):
        case = under_rereview()
        data = {"months": months}
        response = step(case, "county01", "gradual_exit", "家庭成员已就业", data, fresh=True)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return exiting


# ---- due dates -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 1, 31), 12, date(2027, 1, 31)),
        (date(2026, 11, 15), 2, date(2027, 1, 15)),
        (date(2026, 3, 31), 1, date(2026, 4, 30)),
    ],
)
def test_months_are_added_clamped_to_the_end_of_the_month(day, months, expected):
    assert rereview.add_months(day, months) == expected


def test_stable_household_is_rereviewed_twelve_months_after_approval(case_at):
    case = case_at("approved")
    assert case["rereview_due_on"] == rereview.add_months(clock.today(), 12).isoformat()


def test_household_with_a_member_able_to_work_is_rereviewed_after_six_months(case_at):
    body = household(RESIDENT_ID, "0", "300", "500")
    body["members"][1]["able_to_work"] = True
    case = case_at("approved", household_body=body)
    assert case["rereview_due_on"] == rereview.add_months(clock.today(), 6).isoformat()


def test_the_rereview_intervals_are_county_settings(app, case_at):
    app.config["REREVIEW_MONTHS_STABLE"] = 3
    case = case_at("approved")
    assert case["rereview_due_on"] == rereview.add_months(clock.today(), 3).isoformat()


# ---- opening a re-review ---------------------------------------------------------------


def test_daily_task_opens_due_rereviews_once(case_at):
    case = case_at("approved")
    due = date.fromisoformat(case["rereview_due_on"])
    rule = "backend.services.rereview:open_due_rereviews"
    assert daily.run_daily(db.session, due - DAY)[PROGRAMME_RULES][rule] == {"opened": 0}
    assert reload(case).status == "approved"
    first = daily.run_daily(db.session, due)
    db.session.commit()
    again = daily.run_daily(db.session, due)
    db.session.commit()
    assert (first[PROGRAMME_RULES][rule], again[PROGRAMME_RULES][rule]) == (
        {"opened": 1},
        {"opened": 0},
    )
    application = reload(case)
    assert application.status == "under_rereview"
    assert application.deadline.isoformat() == working_days_after(due, 10)
    opened = [e for e in application.events if e.action == "start_rereview"]
    assert [(e.actor_role, e.comment) for e in opened] == [("system", "复核到期")]


def test_township_staff_open_a_rereview_by_hand_with_ten_working_days(case_at, step):
    case = case_at("approved")
    assert case["allowed_actions"] == ["terminate"]  # the county's view
    response = step(case, "town01", "start_rereview")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "under_rereview"
    assert body["deadline"] == working_days_after(clock.today(), 10)
    assert body["days_left"] == 10


@pytest.mark.parametrize("username", ["county01", "agent0101"])
def test_only_the_township_opens_a_rereview_by_hand(case_at, step, username):
    response = step(case_at("approved"), username, "start_rereview")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_allowed_actions_during_a_rereview_follow_the_roles(under_rereview, client, login):
    case = under_rereview()
    url = f"/api/v1/applications/{case['id']}"
    offered = {
        username: client.get(url, headers=login(username)).get_json()["allowed_actions"]
        for username in ("town01", "county01", "agent0101")
    }
    assert offered == {
        "town01": ["continue"],
        "county01": ["continue", "adjust", "gradual_exit", "terminate"],
        "agent0101": [],
    }


def test_the_queue_lists_rereviews_and_counts_down_their_deadline(under_rereview, client, login):
    case = under_rereview()
    queue = client.get(
        "/api/v1/applications?status=under_rereview", headers=login("town01")
    ).get_json()
    assert [(row["id"], row["days_left"]) for row in queue["items"]] == [(case["id"], 10)]
    reload(case).deadline = clock.today() - DAY
    db.session.commit()
    overdue = client.get("/api/v1/applications?overdue=true", headers=login("town01")).get_json()
    assert [row["id"] for row in overdue["items"]] == [case["id"]]


# ---- outcomes --------------------------------------------------------------------------


def test_rereview_continues_the_benefit_until_the_next_due_date(under_rereview, step):
    case = under_rereview()
    response = step(case, "town01", "continue", comment="家庭情况无变化")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved"
    assert body["monthly_amount"] == "784.00"
    assert body["rereview_due_on"] == rereview.add_months(clock.today(), 12).isoformat()
    assert (body["deadline"], body["days_left"]) == (None, None)


def adjustment(case: dict, *incomes: tuple[int, str]) -> dict:
    members = case["household"]["members"]
    return {
        "members": [
            {"member_id": members[position]["id"], "monthly_income": income}
            for position, income in incomes
        ]
    }


def test_adjust_recomputes_the_amount_from_next_month(under_rereview, step):
    case = under_rereview("0", "300", "500")
    data = adjustment(case, (2, "700"))
    data["members"][0]["income_sources"] = [
        {"source": "工资", "amount": "600"},
        {"source": "补贴", "amount": "100"},
    ]
    response = step(case, "county01", "adjust", data=data, fresh=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "approved"
    assert body["monthly_amount"] == "584.00"  # 528 × 3 − 1000
    assert body["amount_from"] == dibao.month_after(clock.today())
    assert body["start_month"] == case["start_month"]
    member = body["household"]["members"][2]
    assert member["monthly_income"] == "700.00"
    assert member["income_sources"] == [
        {"source": "工资", "amount": "600.00"},
        {"source": "补贴", "amount": "100.00"},
    ]
    assert body["rereview_due_on"] == rereview.add_months(clock.today(), 12).isoformat()
    row = db.session.scalar(select(AuditLog).where(AuditLog.action == "application.adjust"))
    assert (row.before_status, row.after_status) == ("under_rereview", "approved")


def test_adjust_clears_income_sources_not_given_again(case_at, step):
    body = household(RESIDENT_ID, "0", "300")
    body["members"][1]["income_sources"] = [{"source": "零工", "amount": "300"}]
    case = step(case_at("approved", household_body=body), "town01", "start_rereview").get_json()
    response = step(case, "county01", "adjust", data=adjustment(case, (1, "200")), fresh=True)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["household"]["members"][1]["income_sources"] == []


def test_adjust_of_a_household_no_longer_eligible_is_refused(under_rereview, step):
    case = under_rereview("0", "300", "500")
    response = step(case, "county01", "adjust", data=adjustment(case, (0, "900")), fresh=True)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "action_not_allowed"
    assert "请选择渐退或终止保障" in error["message"]
    application = reload(case)
    assert (application.status, str(application.members[0].monthly_income)) == (
        "under_rereview",
        "0.00",
    )


def test_adjust_names_only_members_of_this_household(under_rereview, open_household, step):
    case = under_rereview()
    stranger = open_household("0", id_number=OTHER_RESIDENT_ID)["household"]["members"][0]
    data = {"members": [{"member_id": stranger["id"], "monthly_income": "100"}]}
    response = step(case, "county01", "adjust", data=data, fresh=True)
    assert response.status_code == 422
    assert "data.members.0.member_id" in response.get_json()["error"]["details"]


def _member(case: dict, **fields) -> dict:
    return {"member_id": case["household"]["members"][0]["id"], "monthly_income": "100", **fields}


BAD_ADJUSTMENTS = [
    (lambda case: {}, "data.members"),
    (lambda case: {"members": []}, "data.members"),
    (lambda case: {"members": "all"}, "data.members"),
    (lambda case: {"members": [_member(case, member_id="one")]}, "data.members.0.member_id"),
    (lambda case: {"members": [_member(case, member_id=0)]}, "data.members.0.member_id"),
    (lambda case: {"members": [_member(case, member_id=True)]}, "data.members.0.member_id"),
    (lambda case: {"members": [{"monthly_income": "100"}]}, "data.members.0.member_id"),
    (
        lambda case: {"members": [_member(case, monthly_income="-1")]},
        "data.members.0.monthly_income",
    ),
    (
        lambda case: {"members": [_member(case, monthly_income="1.234")]},
        "data.members.0.monthly_income",
    ),
    (
        lambda case: {"members": [_member(case, monthly_income=1.5)]},
        "data.members.0.monthly_income",
    ),
    (
        lambda case: {"members": [_member(case, monthly_income="2000000")]},
        "data.members.0.monthly_income",
    ),
    (
        lambda case: {
            "members": [_member(case, income_sources=[{"source": "工资", "amount": "99"}])]
        },
        "data.members.0.income_sources",
    ),
    (
        lambda case: {"members": [_member(case, income_sources=[{"source": "", "amount": "100"}])]},
        "data.members.0.income_sources.0.source",
    ),
    (
        lambda case: {
            "members": [_member(case, income_sources=[{"source": "工资", "amount": "x"}])]
        },
        "data.members.0.income_sources.0.amount",
    ),
    (lambda case: {"members": [_member(case), _member(case)]}, "data.members.1.member_id"),
    (lambda case: {"members": [_member(case, relation="self")]}, "data.members.0.relation"),
    (lambda case: {"months": 2}, "data.months"),
]


@pytest.mark.parametrize(("build", "field"), BAD_ADJUSTMENTS)
def test_a_bad_adjustment_is_refused_naming_the_field(under_rereview, step, build, field):
    case = under_rereview()
    response = step(case, "county01", "adjust", data=build(case), fresh=True)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
    assert reload(case).status == "under_rereview"


def test_gradual_exit_pays_the_amount_for_the_months_granted(under_rereview, step):
    case = under_rereview()
    data = {"months": 3}
    response = step(case, "county01", "gradual_exit", "家庭成员已就业", data, fresh=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "exiting"
    assert body["monthly_amount"] == "784.00"
    assert body["exit_month"] == rereview.month_of(
        rereview.add_months(clock.today().replace(day=1), 3)
    )
    assert (body["rereview_due_on"], body["deadline"]) == (None, None)
    assert body["decision_reason"] == "家庭成员已就业"
    assert body["appeal"] == APPEAL_NOTICE


def test_gradual_exit_longer_than_the_setting_is_refused(app, under_rereview, step):
    case = under_rereview()
    refused = step(case, "county01", "gradual_exit", "已就业", {"months": 7}, fresh=True)
    assert refused.status_code == 422
    assert refused.get_json()["error"]["details"] == {"data.months": ["渐退期应为1到6个月"]}
    app.config["GRADUAL_EXIT_MAX_MONTHS"] = 7
    granted = step(case, "county01", "gradual_exit", "已就业", {"months": 7}, fresh=True)
    assert granted.status_code == 200, granted.get_json()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "data.months"),
        ({"months": 0}, "data.months"),
        ({"months": -1}, "data.months"),
        ({"months": 1.5}, "data.months"),
        ({"months": "三"}, "data.months"),
        ({"months": None}, "data.months"),
        ({"months": 2**40}, "data.months"),
        ({"months": 2, "amount": "100"}, "data.amount"),
    ],
)
def test_a_bad_gradual_exit_is_refused_naming_the_field(under_rereview, step, data, field):
    case = under_rereview()
    response = step(case, "county01", "gradual_exit", "已就业", data, fresh=True)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]


def test_gradual_exit_needs_a_reason(under_rereview, step):
    response = step(under_rereview(), "county01", "gradual_exit", " ", {"months": 2}, fresh=True)
    assert response.status_code == 422
    assert "comment" in response.get_json()["error"]["details"]


def test_gradual_exit_ends_in_termination_after_its_last_month(exiting):
    case = exiting(months=1)
    next_month = rereview.add_months(clock.today().replace(day=1), 1)
    assert case["exit_month"] == rereview.month_of(next_month)
    last_day = next_month.replace(day=calendar.monthrange(next_month.year, next_month.month)[1])
    rule = "backend.services.rereview:end_gradual_exits"
    assert daily.run_daily(db.session, last_day)[PROGRAMME_RULES][rule] == {"ended": 0}
    assert reload(case).status == "exiting"
    first = daily.run_daily(db.session, last_day + DAY)
    db.session.commit()
    again = daily.run_daily(db.session, last_day + DAY)
    db.session.commit()
    assert (first[PROGRAMME_RULES][rule], again[PROGRAMME_RULES][rule]) == (
        {"ended": 1},
        {"ended": 0},
    )
    application = reload(case)
    assert application.status == "terminated"
    assert application.exit_month == case["exit_month"]
    assert application.events[-1].action == "end_gradual_exit"
    assert application.events[-1].actor_role == "system"


def test_terminate_needs_a_reason_and_states_the_appeal_route(case_at, step, make_citizen, client):
    _, resident = make_citizen(RESIDENT_ID)
    case = case_at("approved")
    assert step(case, "county01", "terminate", comment=" ", fresh=True).status_code == 422
    response = step(case, "county01", "terminate", comment="已迁出本县", fresh=True)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "terminated"
    assert body["decision_reason"] == "已迁出本县"
    assert body["appeal"] == APPEAL_NOTICE
    assert body["exit_month"] == rereview.month_of(clock.today())
    assert (body["rereview_due_on"], body["allowed_actions"]) == (None, [])
    inbox = client.get("/api/v1/me/inbox?limit=100", headers=resident).get_json()["items"]
    notice = next(m for m in inbox if m["event"] == "case_terminate")
    assert notice["body"].endswith(f"理由:已迁出本县。{APPEAL_NOTICE}")


@pytest.mark.parametrize("status", ["approved", "under_rereview", "exiting"])
def test_the_county_may_terminate_a_paid_case_at_any_point(case_at, exiting, step, status):
    case = {
        "approved": lambda: case_at("approved"),
        "under_rereview": lambda: step(case_at("approved"), "town01", "start_rereview").get_json(),
        "exiting": exiting,
    }[status]()
    response = step(case, "county01", "terminate", comment="死亡", fresh=True)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "terminated"


@pytest.mark.parametrize(
    ("action", "comment", "data"),
    [
        ("adjust", "", {"members": [{"member_id": 1, "monthly_income": "0"}]}),
        ("gradual_exit", "已就业", {"months": 2}),
        ("terminate", "已迁出", None),
    ],
)
def test_rereview_decisions_need_a_fresh_token(under_rereview, step, action, comment, data):
    response = step(under_rereview(), "county01", action, comment, data, fresh=False)
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("action", "comment", "data"),
    [
        ("adjust", "", {"members": [{"member_id": 1, "monthly_income": "0"}]}),
        ("gradual_exit", "已就业", {"months": 2}),
        ("terminate", "已迁出", None),
    ],
)
def test_the_township_cannot_decide_a_change_to_the_benefit(
    under_rereview, step, action, comment, data
):
    response = step(under_rereview(), "town01", action, comment, data, fresh=True)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "action_not_allowed"


def test_a_stale_version_is_refused(under_rereview, step):
    case = under_rereview()
    stale = {**case, "version": case["version"] - 1}
    response = step(stale, "town01", "continue")
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "stale_version"


def test_the_system_alone_ends_a_gradual_exit(exiting, step):
    assert "end_gradual_exit" not in all_actions()
    response = step(exiting(), "county01", "end_gradual_exit", fresh=True)
    assert response.status_code == 422
    assert "action" in response.get_json()["error"]["details"]


def test_every_rereview_step_is_told_to_the_household(under_rereview, step, make_citizen, client):
    _, resident = make_citizen(RESIDENT_ID)
    case = under_rereview("0", "300", "500")
    step(case, "county01", "adjust", data=adjustment(case, (2, "700")), fresh=True)
    inbox = client.get("/api/v1/me/inbox?limit=100", headers=resident).get_json()["items"]
    events = {m["event"]: m for m in inbox}
    assert "case_start_rereview" in events
    adjusted = events["case_adjust"]["body"]
    assert "584.00 元" in adjusted
    assert f"自 {dibao.month_after(clock.today())} 起发放" in adjusted


def test_the_openapi_document_describes_the_data_of_each_rereview_decision(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    data = schemas["Action"]["properties"]["data"]
    assert {"$ref": "#/components/schemas/AdjustmentData"} in data["oneOf"]
    assert {"$ref": "#/components/schemas/GradualExitData"} in data["oneOf"]
    assert "adjust: AdjustmentData" in data["description"]
    assert schemas["GradualExitData"]["required"] == ["months"]
    member = schemas["MemberIncome"]["properties"]
    assert set(member) == {"member_id", "monthly_income", "income_sources"}
