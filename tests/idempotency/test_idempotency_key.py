"""Idempotency-Key: a retried creating request gets the first answer, never a second record."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine

from backend.api.idempotency import idempotent
from backend.api.security import auth_required
from backend.extensions import db
from backend.models import Application, IdempotencyKey, IdempotencyState
from backend.services import idempotency
from backend.services.daily import DAILY_RULES
from backend.services.users import find_by_username
from tests.factories import household

VILLAGE = "990101001000"
KEY = "5f0c7a1e-2b8d-4c61-9a3e-7d2f0b6c8e41"
OTHER_RESIDENT = "440524188001010014"  # one person, one live 低保 household


def case_body(id_number="11010519491231002X", **changes):
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": id_number, "phone": "13912345678"},
        "on_behalf": True,
        "household": household(id_number),
    }
    return body | changes


def applications_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Application))


def post_case(client, headers, body=None, key=KEY):
    return client.post(
        "/api/v1/applications",
        json=body or case_body(),
        headers=headers | ({idempotency.HEADER: key} if key is not None else {}),
    )


def test_a_retry_after_a_lost_answer_gets_the_same_case(client, login):
    headers = login("agent0101")
    first = post_case(client, headers)
    retry = post_case(client, headers)
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert applications_count() == 1


def test_the_same_key_with_another_body_is_422(client, login):
    headers = login("agent0101")
    post_case(client, headers)
    response = post_case(client, headers, case_body(type="elderly_allowance"))
    assert response.status_code == 422
    assert idempotency.HEADER in response.get_json()["error"]["details"]
    assert applications_count() == 1


def test_the_body_is_compared_by_content_not_key_order(client, login):
    headers = login("agent0101")
    first = post_case(client, headers)
    reordered = dict(reversed(list(case_body().items())))
    assert post_case(client, headers, reordered).get_json()["id"] == first.get_json()["id"]


def test_keys_belong_to_their_user(client, login):
    agent = post_case(client, login("agent0101"))
    township = post_case(client, login("town01"), case_body(id_number=OTHER_RESIDENT))
    assert agent.status_code == township.status_code == 201
    assert agent.get_json()["id"] != township.get_json()["id"]
    assert applications_count() == 2


def test_the_claim_is_stored_with_the_answer(client, login):
    response = post_case(client, login("agent0101"))
    entry = db.session.scalars(select(IdempotencyKey)).one()
    agent = find_by_username(db.session, "agent0101")
    assert (entry.scope, entry.key) == (f"user:{agent.id}", KEY)
    assert entry.state == IdempotencyState.DONE
    assert entry.response_code == 201
    assert str(response.get_json()["id"]) in entry.response_body


def test_without_a_key_requests_are_processed_normally(client, login):
    headers = login("agent0101")
    assert post_case(client, headers, key=None).status_code == 201
    assert post_case(client, headers, case_body(OTHER_RESIDENT), key=None).status_code == 201
    assert applications_count() == 2


def test_a_failed_request_releases_its_key(client, login):
    headers = login("agent0101")
    bad = post_case(client, headers, case_body(id_number="110105194912310021"))
    assert bad.status_code == 422
    assert db.session.scalars(select(IdempotencyKey)).all() == []
    assert post_case(client, headers).status_code == 201


def test_a_refused_caller_claims_nothing(client, login):
    assert post_case(client, login("county01")).status_code == 403
    assert db.session.scalars(select(IdempotencyKey)).all() == []


@pytest.mark.parametrize(
    "key",
    ["", "   ", "k" * 256, "两个字", "with space", "tab\there"],
)
def test_bad_keys_are_422_naming_the_header(client, login, key):
    response = post_case(client, login("agent0101"), key=key)
    assert response.status_code == 422, response.get_json()
    assert idempotency.HEADER in response.get_json()["error"]["details"]
    assert applications_count() == 0


def test_the_longest_key_is_accepted(client, login):
    assert post_case(client, login("agent0101"), key="k" * 255).status_code == 201


def test_twenty_identical_requests_at_once_make_one_case_and_nineteen_replays(app, login):
    headers = login("agent0101")
    start = threading.Barrier(20)

    def send(_):
        client = app.test_client()
        start.wait()
        return post_case(client, headers)

    with ThreadPoolExecutor(max_workers=20) as pool:
        responses = list(pool.map(send, range(20)))
    assert {response.status_code for response in responses} == {201}
    assert len({response.get_json()["id"] for response in responses}) == 1
    replayed = [r for r in responses if r.headers.get("Idempotent-Replayed") == "true"]
    assert len(replayed) == 19  # each duplicate waited for the first and got its answer
    assert applications_count() == 1


@pytest.fixture
def slow_view(app):
    """A creating view that writes a case's worth of work, then waits until the test
    lets it finish."""
    entered, release = threading.Event(), threading.Event()

    @app.post("/api/v1/_slow")
    @auth_required()
    @idempotent
    def slow():
        db.session.add(IdempotencyKey(scope="work", key="done", request_hash="h"))
        db.session.commit()  # held until the answer is stored with it
        entered.set()
        release.wait(timeout=30)
        return {"id": 1}, 201

    return entered, release


@pytest.fixture
def claim_reached():
    """An event set when another thread is about to send its Idempotency-Key claim."""
    reached, owner = threading.Event(), threading.get_ident()

    def before(_connection, _cursor, statement, *_args):
        if threading.get_ident() != owner and statement.lstrip().upper().startswith("INSERT"):
            reached.set()

    event.listen(Engine, "before_cursor_execute", before)
    yield reached
    event.remove(Engine, "before_cursor_execute", before)


def test_a_retry_while_the_first_still_runs_waits_and_gets_its_answer(
    app, login, slow_view, claim_reached
):
    entered, release = slow_view
    headers = login("agent0101") | {idempotency.HEADER: KEY}
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(app.test_client().post, "/api/v1/_slow", json={}, headers=headers)
        assert entered.wait(timeout=30)
        retry = pool.submit(app.test_client().post, "/api/v1/_slow", json={}, headers=headers)
        assert claim_reached.wait(timeout=30)  # the retry's claim meets the open one
        release.set()
        first, retry = first.result(), retry.result()
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json() == {"id": 1}
    assert retry.headers["Idempotent-Replayed"] == "true"
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(IdempotencyKey)) == 2


@pytest.fixture
def crash_before_the_answer(app, monkeypatch):
    """The process dies after the view's work, before the answer is stored."""

    def crash(*_args):
        raise SystemExit("killed")

    monkeypatch.setattr(idempotency, "complete", crash)


def test_a_crash_between_the_work_and_its_answer_keeps_neither(
    client, login, crash_before_the_answer, monkeypatch
):
    headers = login("agent0101")
    with pytest.raises(SystemExit):
        post_case(client, headers)
    db.session.close()  # the process is gone: its connection closes uncommitted
    assert applications_count() == 0
    assert db.session.scalars(select(IdempotencyKey)).all() == []
    monkeypatch.undo()
    retry = post_case(client, headers)
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry.headers
    assert applications_count() == 1


@pytest.fixture
def public_views(app):
    """Two public creating views, as complaints will be."""
    counter = {"n": 0}

    def create():
        counter["n"] += 1
        return {"id": counter["n"]}, 201

    app.post("/api/v1/_public_a", endpoint="public_a")(idempotent(create))
    app.post("/api/v1/_public_b", endpoint="public_b")(idempotent(create))
    return counter


def test_public_views_key_by_the_anonymous_scope(app, public_views):
    client = app.test_client()
    headers = {idempotency.HEADER: KEY}
    first = client.post("/api/v1/_public_a", json={"text": "路灯坏了"}, headers=headers)
    retry = client.post("/api/v1/_public_a", json={"text": "路灯坏了"}, headers=headers)
    assert first.get_json() == retry.get_json() == {"id": 1}
    assert db.session.scalars(select(IdempotencyKey.scope)).all() == [idempotency.ANONYMOUS]


def test_the_same_key_on_another_endpoint_is_422(app, public_views):
    client = app.test_client()
    headers = {idempotency.HEADER: KEY}
    client.post("/api/v1/_public_a", json={"text": "路灯坏了"}, headers=headers)
    other = client.post("/api/v1/_public_b", json={"text": "路灯坏了"}, headers=headers)
    assert other.status_code == 422
    assert public_views["n"] == 1


def test_uploads_are_compared_by_their_content(app, public_views):
    client = app.test_client()
    headers = {idempotency.HEADER: KEY}

    def upload(content: bytes):
        data = {"kind": "photo", "file": (io.BytesIO(content), "门口.jpg")}
        return client.post("/api/v1/_public_a", data=data, headers=headers)

    assert upload(b"\xff\xd8first").status_code == 201
    assert upload(b"\xff\xd8first").get_json() == {"id": 1}
    assert upload(b"\xff\xd8other").status_code == 422


def write_key(key: str, created_at: datetime) -> None:
    db.session.add(
        IdempotencyKey(scope="anonymous", key=key, request_hash="h", created_at=created_at)
    )
    db.session.commit()


def test_keys_are_kept_a_day_then_purged_by_a_daily_rule(app):
    assert "backend.services.idempotency:purge_expired" in DAILY_RULES
    day_start = datetime(2026, 5, 2, 16, 0, tzinfo=UTC)  # 2026-05-03 00:00 in Shanghai
    write_key("old", day_start - timedelta(hours=24, seconds=1))
    write_key("a-day-old", day_start - timedelta(hours=24))
    write_key("recent", day_start - timedelta(hours=1))
    assert idempotency.purge_expired(db.session, date(2026, 5, 3)) == {"deleted": 1}
    db.session.commit()
    assert sorted(db.session.scalars(select(IdempotencyKey.key))) == ["a-day-old", "recent"]


def test_the_claim_and_the_work_commit_in_one_transaction(client, login):
    commits = []

    def count(connection):
        commits.append(connection)

    headers = login("agent0101")
    event.listen(Engine, "commit", count)
    try:
        assert post_case(client, headers).status_code == 201
    finally:
        event.remove(Engine, "commit", count)
    assert len(commits) == 1
    assert db.session.scalar(select(IdempotencyKey.state)) == IdempotencyState.DONE
