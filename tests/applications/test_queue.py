"""GET /applications: the scoped queue, filtered and paged, one lean row per case."""

import io
from datetime import date

import pytest

from backend.api.pagination import encode_cursor
from backend.extensions import db
from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from backend.models import Application
from backend.services import applications
from backend.services.users import find_by_username
from tests.attachments import files


@pytest.fixture
def file_material(app, client, login, tmp_path):
    """file_material(case_id, kind, verdict=None): uploaded by the agent, through the
    pipeline, then reviewed by the township when a verdict is given."""
    app.config["STORAGE_DIR"] = str(tmp_path / "uploads")

    def file_material(case_id: int, kind: str, verdict: str | None = None) -> None:
        upload = client.post(
            f"/api/v1/applications/{case_id}/attachments",
            data={"kind": kind, "file": (io.BytesIO(files.plain_jpeg()), "材料.jpg")},
            headers=login("agent0101"),
            content_type="multipart/form-data",
        )
        assert upload.status_code == 202, upload.get_json()
        use_app(app)
        attachment_jobs.process(upload.get_json()["id"])
        if verdict:
            review = client.post(
                f"/api/v1/attachments/{upload.get_json()['id']}/review",
                json={"verdict": verdict, "comment": "请重新拍摄"},
                headers=login("town01"),
            )
            assert review.status_code == 200, review.get_json()

    return file_material


def test_queue_filters_by_status_and_type(open_case, act, client, login):
    submitted = act(open_case(), "agent0101", "submit").get_json()
    open_case(id_number="440524188001010014", program="elderly_allowance")
    headers = login("town01")
    by_status = client.get("/api/v1/applications?status=submitted", headers=headers).get_json()
    assert [c["id"] for c in by_status["items"]] == [submitted["id"]]
    by_type = client.get("/api/v1/applications?type=elderly_allowance", headers=headers)
    assert [c["type"] for c in by_type.get_json()["items"]] == ["elderly_allowance"]


def test_queue_filters_by_region_subtree(open_case, client, login):
    open_case("agent0101")
    other = open_case("agent0201", id_number="440524188001010014")
    response = client.get(
        "/api/v1/applications?region_code=990102000000", headers=login("county01")
    )
    assert [c["id"] for c in response.get_json()["items"]] == [other["id"]]


def test_overdue_lists_open_cases_past_their_deadline(open_case, client, login):
    late, on_time = open_case(), open_case(id_number="440524188001010014")
    db.session.get(Application, late["id"]).deadline = date(2026, 1, 5)
    db.session.get(Application, on_time["id"]).deadline = date(2999, 1, 5)
    db.session.commit()
    response = client.get("/api/v1/applications?overdue=true", headers=login("county01"))
    assert [c["id"] for c in response.get_json()["items"]] == [late["id"]]


PEOPLE = ("11010519491231002X", "440524188001010014", "513101198201130014", "110105194912310038")


def due(case: dict, day: date | None) -> None:
    db.session.get(Application, case["id"]).deadline = day
    db.session.commit()


def queue_ids(client, headers, limit=20) -> list[int]:
    """Every page of the county's queue, followed by cursor."""
    ids, cursor = [], ""
    while True:
        page = client.get(f"/api/v1/applications?limit={limit}{cursor}", headers=headers)
        assert page.status_code == 200, page.get_json()
        ids += [row["id"] for row in page.get_json()["items"]]
        if page.get_json()["next_cursor"] is None:
            return ids
        cursor = f"&cursor={page.get_json()['next_cursor']}"


def test_queue_lists_running_deadlines_first_the_nearest_at_the_top(open_case, client, login):
    older_draft, later, newer_draft, sooner = (open_case(id_number=n) for n in PEOPLE)
    due(later, date(2026, 12, 10))
    due(sooner, date(2026, 12, 1))
    ids = queue_ids(client, login("county01"))
    assert ids == [sooner["id"], later["id"], newer_draft["id"], older_draft["id"]]


def test_cases_due_the_same_day_are_listed_in_the_order_they_were_filed(open_case, client, login):
    cases = [open_case(id_number=n) for n in PEOPLE[:3]]
    for case in cases:
        due(case, date(2026, 12, 1))
    assert queue_ids(client, login("county01")) == [case["id"] for case in cases]


@pytest.mark.parametrize("limit", [1, 2, 3])
def test_queue_pages_run_from_the_deadlines_into_the_rest_without_gaps(
    open_case, client, login, limit
):
    cases = [open_case(id_number=n) for n in PEOPLE]
    due(cases[2], date(2026, 12, 3))
    due(cases[0], date(2026, 12, 2))
    expected = [cases[0]["id"], cases[2]["id"], cases[3]["id"], cases[1]["id"]]
    assert queue_ids(client, login("county01"), limit) == expected


def test_bad_queue_filters_are_422(client, login):
    for query, field in [
        ("type=pension", "type"),
        ("overdue=perhaps", "overdue"),
        ("region_code=12", "region_code"),
        ("limit=-1", "limit"),
        ("status=" + "x" * 31, "status"),
        ("status=approvedd", "status"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=" + encode_cursor([2, 1]), "cursor"),  # no third part
        ("cursor=" + encode_cursor(["0", "2026-12-01", 1]), "cursor"),
        ("cursor=" + encode_cursor([0, "tomorrow", 1]), "cursor"),
        ("cursor=" + encode_cursor([1, 1, 1]), "cursor"),  # the second part is by id alone
        ("cursor=" + encode_cursor([]), "cursor"),
        ("cursor=" + encode_cursor([1, 2**70]), "cursor"),  # beyond any database integer
    ]:
        response = client.get(f"/api/v1/applications?{query}", headers=login("county01"))
        assert response.status_code == 422, query
        assert field in response.get_json()["error"]["details"]


def test_a_queue_row_is_what_a_reviewer_decides_from_without_the_case_file(
    open_case, act, client, login
):
    case = act(open_case(), "agent0101", "submit").get_json()
    [row] = client.get("/api/v1/applications", headers=login("town01")).get_json()["items"]
    assert {k: v for k, v in row.items() if k != "created_at"} == {
        "id": case["id"],
        "number": case["number"],
        "type": "dibao",
        "status": "submitted",
        "version": 2,
        "allowed_actions": ["accept", "return"],
        "region_code": "990101001000",
        "region_name": "东街社区",
        "applicant": {"name": "王*英", "id_number": "110105********002X", "phone": None},
        "on_behalf": True,
        "deadline": case["deadline"],  # received today: the township's 10 working days
        "days_left": 10,
        "materials": {"required": 5, "accepted": 0, "missing": 5},
        "flags": [],
    }
    assert row["created_at"] == case["created_at"]


def test_queue_rows_count_only_accepted_current_materials(open_case, client, login, file_material):
    dibao = open_case()
    elderly = open_case(id_number="440524188001010014", program="elderly_allowance")
    file_material(dibao["id"], "id_card", "accepted")
    file_material(dibao["id"], "hukou", "needs_reupload")
    file_material(dibao["id"], "income_proof")
    items = client.get("/api/v1/applications", headers=login("county01")).get_json()["items"]
    assert {row["id"]: row["materials"] for row in items} == {
        dibao["id"]: {"required": 5, "accepted": 1, "missing": 4},
        elderly["id"]: {"required": 3, "accepted": 0, "missing": 3},
    }


def test_days_left_counts_working_days_and_turns_negative_once_overdue(open_case):
    due(open_case(), date(2026, 10, 12))
    staff = find_by_username(db.session, "town01")
    page = db.session.execute(applications.queue(db.session, staff, applications.QueueFilter()))
    [row] = page.all()
    on_the_eve_of_national_day, two_days_late = (
        applications.queue_items(db.session, staff, [row], today=today)[0].days_left
        for today in (date(2026, 9, 30), date(2026, 10, 14))
    )
    # 8, 9, 10 (the Saturday made a working day) and 12 October; the holiday week is not counted.
    assert (on_the_eve_of_national_day, two_days_late) == (4, -2)
