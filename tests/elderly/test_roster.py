"""免申即享: the hukou roster enrols the eligible, skips the rest, names bad rows, and
importing it again changes nothing."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from backend.extensions import db
from backend.models import DeathRecord, Entitlement, Notification, RosterImportError
from backend.services import elderly_roster
from backend.services.users import find_by_username
from tests.elderly.conftest import born, roster_csv, roster_xlsx

VILLAGE = "990101001000"
NINETY_ONE = born(date(1935, 3, 3), 1)
CENTENARIAN = born(date(1925, 1, 1), 2)
EIGHTY_FIVE = born(date(1941, 1, 1), 3)


def good_rows():
    return [
        ["张老汉", NINETY_ONE, VILLAGE, "农村", "是"],
        ["李奶奶", CENTENARIAN, "990102001000", "urban", "true"],
        ["王大爷", EIGHTY_FIVE, VILLAGE, "rural", "1"],
    ]


def entitlements():
    return db.session.execute(
        select(
            Entitlement.person_name, Entitlement.monthly_amount, Entitlement.from_month
        ).order_by(Entitlement.person_name)
    ).all()


def test_eligible_people_are_enrolled_from_the_import_month_at_their_band(run_roster):
    roster = run_roster(roster_csv(*good_rows()))
    assert (roster.status, roster.rows_total, roster.rows_done) == ("done", 3, 3)
    assert (roster.enrolled, roster.skipped, roster.error_count) == (2, 1, 0)
    assert entitlements() == [
        ("张老汉", Decimal("100.00"), "2026-06"),
        ("李奶奶", Decimal("300.00"), "2026-06"),
    ]


def test_importing_the_same_file_again_changes_nothing(run_roster):
    data = roster_csv(*good_rows(), ["赵某", "123", VILLAGE, "农村", "是"])
    run_roster(data)
    before = entitlements()
    again = run_roster(data)
    assert (again.enrolled, again.skipped, again.error_count) == (0, 3, 1)
    assert entitlements() == before


def test_an_xlsx_roster_imports_like_a_csv(run_roster):
    roster = run_roster(roster_xlsx(*good_rows()), name="roster.xlsx")
    assert (roster.enrolled, roster.skipped) == (2, 1)


def test_a_gbk_csv_from_excel_is_read(run_roster):
    header = ["姓名", "身份证号", "村(社区)代码", "户口类型", "是否健在"]
    roster = run_roster(roster_csv(*good_rows(), header=header, encoding="gb18030"))
    assert roster.enrolled == 2
    assert entitlements()[0][0] == "张老汉"


def test_bad_rows_are_listed_with_their_numbers_and_never_stop_the_import(run_roster):
    roster = run_roster(
        roster_csv(
            ["", NINETY_ONE, VILLAGE, "农村", "是"],
            ["张三", "11010519491231002Y", VILLAGE, "农村", "是"],
            ["张三", born(date(1930, 1, 1), 9), "110101001000", "农村", "是"],
            ["张三", born(date(1930, 1, 1), 8), VILLAGE, "外星", "是"],
            ["张三", born(date(1930, 1, 1), 7), VILLAGE, "农村", "也许"],
            ["张老汉", NINETY_ONE, VILLAGE, "农村", "是"],
            ["张老汉", NINETY_ONE, VILLAGE, "农村", "是"],
        )
    )
    reasons = dict(
        db.session.execute(select(RosterImportError.row, RosterImportError.reason)).all()
    )
    assert sorted(reasons) == [2, 3, 4, 5, 6, 8]
    assert "姓名" in reasons[2]
    assert "身份证号" in reasons[3]
    assert "不是本县" in reasons[4]
    assert "户口类型" in reasons[5]
    assert "是否健在" in reasons[6]
    assert "第7行" in reasons[8]
    assert (roster.enrolled, roster.error_count) == (1, 6)


def test_the_error_report_is_a_csv_of_row_numbers_and_reasons(run_roster):
    roster = run_roster(roster_csv(["张三", "123", VILLAGE, "农村", "是"]))
    report = elderly_roster.error_report(db.session, roster)
    assert report.splitlines()[0] == "\ufeff行号,原因"
    assert report.splitlines()[1].startswith("2,")


def test_a_row_marked_dead_stops_the_payment_after_the_import_month(run_roster):
    run_roster(roster_csv(*good_rows()), today=date(2026, 6, 10))
    roster = run_roster(
        roster_csv(["张老汉", NINETY_ONE, VILLAGE, "农村", "否"]), today=date(2026, 8, 3)
    )
    assert roster.deaths == 1
    stopped = db.session.scalar(select(Entitlement).where(Entitlement.person_name == "张老汉"))
    assert (stopped.to_month, stopped.end_reason) == ("2026-08", "death")
    assert db.session.scalar(select(DeathRecord.source)) == "roster"


def test_a_dead_person_is_never_enrolled_by_a_later_roster(run_roster):
    run_roster(roster_csv(["张老汉", NINETY_ONE, VILLAGE, "农村", "否"]))
    roster = run_roster(roster_csv(["张老汉", NINETY_ONE, VILLAGE, "农村", "是"]))
    assert (roster.enrolled, roster.error_count) == (0, 1)
    assert db.session.scalar(select(func.count(Entitlement.id))) == 0


def test_a_run_stopped_half_way_resumes_after_the_rows_done(run_roster, county, monkeypatch):
    from backend.services.storage import storage

    monkeypatch.setattr(elderly_roster, "CHUNK_ROWS", 2)
    roster = elderly_roster.create(
        db.session,
        county=county,
        data=roster_csv(*good_rows()),
        file_name="r.csv",
        store=storage(),
        today=date(2026, 6, 10),
    )
    db.session.commit()
    context, rows = elderly_roster.begin(db.session, roster.id, storage())
    elderly_roster.import_chunk(db.session, context, next(elderly_roster.chunks(rows)))
    db.session.commit()  # then the worker dies
    finished = elderly_roster.run(db.session, roster.id, storage(), db.session.commit)
    assert (finished.rows_done, finished.enrolled, finished.skipped) == (3, 2, 1)
    assert len(entitlements()) == 2


def test_enrolled_people_their_village_agent_and_the_importer_are_told(run_roster, make_citizen):
    citizen, _ = make_citizen(NINETY_ONE, name="张老汉")
    run_roster(roster_csv(*good_rows()))
    told = {(n.user_id, n.event) for n in db.session.scalars(select(Notification))}
    agent = find_by_username(db.session, "agent0101")
    assert (citizen.id, "elderly_enrolled") in told
    assert (agent.id, "elderly_roster_village") in told
