"""摇号 on peak dates: entries with the booking checks, a draw with a recorded seed
that anyone can re-run, winners booked, the others told."""

import threading
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from backend.errors import ActionNotAllowed
from backend.extensions import db
from backend.models import Notification
from backend.models.marriage import Appointment, Ballot, BallotEntry, Slot
from backend.services import audit, clock
from backend.services.marriage import ballots
from tests.backends import postgresql_only
from tests.marriage.helpers import book_earlier, booking_body, couple

SYSTEM = audit.Acting(None)  # set up by the system: not the subject of these tests

OFFICE = "/api/v1/registry-offices/{}"


@pytest.fixture
def peak(office) -> date:
    """A peak date whose booking has not opened yet: two weeks past the window."""
    return clock.today() + timedelta(days=office.max_days_ahead + 14)


def create_ballot(client, login, office, day: date):
    closes = clock.now() + timedelta(hours=1)
    return client.post(
        OFFICE.format(office.id) + "/ballots",
        json={"date": day.isoformat(), "entries_close_at": closes.isoformat()},
        headers=login("registrar01"),
    )


@pytest.fixture
def ballot(client, login, office, make_slot, peak):
    """A ballot on `peak` (am 2 places, pm 1), entries closing in an hour."""
    make_slot(peak, "am", 2)
    make_slot(peak, "pm", 1)
    response = create_ballot(client, login, office, peak)
    assert response.status_code == 201, response.get_json()
    return db.session.get(Ballot, response.get_json()["id"])


def enter(client, office, ballot, man, woman, headers):
    return client.post(
        OFFICE.format(office.id) + f"/ballots/{ballot.id}/entries",
        json={"party_a": man, "party_b": woman},
        headers=headers,
    )


def test_a_ballot_date_cannot_be_booked_for_marriage_but_divorce_can(
    client, login, office, ballot, make_slot, peak
):
    slot_id = make_slot(peak, "am", 2).id
    office.max_days_ahead = (peak - clock.today()).days + 1  # booking for the date opens
    db.session.commit()
    headers = login("registrar01")
    marriage = client.post(
        "/api/v1/appointments", json=booking_body(slot_id, *couple(peak)), headers=headers
    )
    assert marriage.status_code == 409
    assert "摇号" in marriage.get_json()["error"]["message"]
    divorce = client.post(
        "/api/v1/appointments",
        json=booking_body(slot_id, *couple(peak, serial=2), service="divorce"),
        headers=headers,
    )
    assert divorce.status_code == 201
    listed = client.get(
        OFFICE.format(office.id) + f"/slots?from={peak}&to={peak}&service=marriage"
    ).get_json()
    assert listed["items"] == []


def test_entries_are_checked_like_bookings_and_taken_once(
    client, citizen, login, office, ballot, peak
):
    man, woman = couple(peak)
    _, headers = citizen(man)
    first = enter(client, office, ballot, man, woman, headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "entered"
    assert first.get_json()["parties"][0]["id_number"].count("*") == 8
    again = enter(client, office, ballot, man, couple(peak, serial=3)[1], headers)
    assert again.get_json()["error"]["code"] == "duplicate_booking"
    young_man, young_woman = couple(peak, serial=4, man_age=21)
    too_young = enter(client, office, ballot, young_man, young_woman, login("registrar01"))
    assert too_young.status_code == 422
    assert "party_a.id_number" in too_young.get_json()["error"]["details"]
    mine = client.get(OFFICE.format(office.id) + f"/ballots/{ballot.id}/entries", headers=headers)
    assert [e["id"] for e in mine.get_json()["items"]] == [first.get_json()["id"]]


def test_the_draw_books_winners_tells_everyone_and_can_be_re_run(
    client, citizen, office, ballot, peak
):
    bookers = []
    for serial in range(5):
        man, woman = couple(peak, serial=serial)
        user, headers = citizen({**man, "phone": f"1390000{serial:04d}"})
        assert enter(client, office, ballot, man, woman, headers).status_code == 201
        bookers.append(user)
    with pytest.raises(ballots.ActionNotAllowed):
        ballots.draw(db.session, ballot, clock.now(), SYSTEM)
    ballots.draw(db.session, ballot, ballot.entries_close_at + timedelta(minutes=1), SYSTEM)
    db.session.commit()

    entries = db.session.scalars(select(BallotEntry).order_by(BallotEntry.id)).all()
    assert Counter(e.status for e in entries) == {"won": 3, "lost": 2}
    order = ballots.draw_order(ballot.seed, [e.id for e in entries])
    assert {e.id for e in entries if e.status == "won"} == set(order[:3])
    booked = db.session.scalars(select(Appointment).where(Appointment.service == "marriage"))
    assert sorted(a.slot.period for a in booked) == ["am", "am", "pm"]
    events = Counter(db.session.scalars(select(Notification.event)))
    assert events == {"ballot_won": 3, "ballot_lost": 2}
    with pytest.raises(ballots.ActionNotAllowed):
        ballots.draw(db.session, ballot, ballot.entries_close_at + timedelta(minutes=2), SYSTEM)
    public = client.get(OFFICE.format(office.id) + "/ballots").get_json()["items"][0]
    assert (public["status"], public["seed"]) == ("drawn", ballot.seed)


def test_a_ballot_date_cannot_be_set_once_booking_has_opened(
    client, login, office, make_slot, peak, soon
):
    make_slot(soon)
    refused = create_ballot(client, login, office, soon)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "action_not_allowed"
    assert "开放预约,不能再改为摇号" in error["message"]
    assert db.session.scalar(select(Ballot.id)) is None
    make_slot(peak)
    opens_at = datetime.combine(
        peak - timedelta(days=office.max_days_ahead), office.release_time, clock.SHANGHAI
    )
    closes = opens_at + timedelta(days=1)
    with pytest.raises(ActionNotAllowed):
        ballots.create(db.session, office, peak, closes, now=opens_at)
    ballot = ballots.create(db.session, office, peak, closes, now=opens_at - timedelta(minutes=1))
    assert ballot.day == peak


def test_a_ballot_date_cannot_be_set_while_it_has_marriage_bookings(
    client, login, office, make_slot, peak
):
    appointment = book_earlier(make_slot(peak))  # booked when the window reached further
    refused = create_ballot(client, login, office, peak)
    assert refused.status_code == 409
    assert "已有 1 个结婚登记预约" in refused.get_json()["error"]["message"]
    cancelled = client.post(
        f"/api/v1/appointments/{appointment.id}/cancel", headers=login("registrar01")
    )
    assert cancelled.status_code == 200
    assert create_ballot(client, login, office, peak).status_code == 201


def enter_couples(client, login, office, ballot, count) -> list[tuple[int, dict]]:
    """`count` couples entered by the registrar: [(entry id, the man)]."""
    entered = []
    for serial in range(count):
        man, woman = couple(ballot.day, serial=serial)
        response = enter(client, office, ballot, man, woman, login("registrar01"))
        assert response.status_code == 201, response.get_json()
        entered.append((response.get_json()["id"], man))
    return entered


def book_elsewhere(client, headers, slot: Slot, man: dict):
    """The man books another date with someone else, as a couple may meanwhile."""
    body = booking_body(slot.id, man, couple(slot.day, serial=90)[1])
    return lambda: client.post("/api/v1/appointments", json=body, headers=headers)


def draw_outcome(ballot) -> tuple[dict[int, str], list[str], Counter]:
    """After the draw: each entry's status, the winners' periods, the notices sent."""
    db.session.expire_all()
    statuses = {e.id: e.status for e in db.session.scalars(select(BallotEntry))}
    periods = db.session.scalars(
        select(Slot.period)
        .join(Appointment, Appointment.slot_id == Slot.id)
        .where(Slot.day == ballot.day, Appointment.service == "marriage")
    )
    return statuses, sorted(periods), Counter(db.session.scalars(select(Notification.event)))


def test_a_winner_who_booked_another_date_loses_and_the_place_goes_on(
    client, login, office, ballot, make_slot, soon
):
    entered = enter_couples(client, login, office, ballot, 4)
    order = ballots.draw_order("seed", [entry_id for entry_id, _ in entered])
    first_man = dict(entered)[order[0]]
    booking = book_elsewhere(client, login("registrar01"), make_slot(soon), first_man)
    assert booking().status_code == 201
    ballots.draw(db.session, ballot, ballot.entries_close_at + timedelta(minutes=1), SYSTEM, "seed")
    db.session.commit()
    statuses, periods, events = draw_outcome(ballot)
    assert statuses == {order[0]: "lost", **{entry_id: "won" for entry_id in order[1:]}}
    assert periods == ["am", "am", "pm"]
    assert events == {"ballot_won": 3, "ballot_lost": 1}


@postgresql_only  # SQLite admits one writer: nothing commits while the draw writes
def test_a_booking_committed_while_the_draw_writes_passes_that_winner_over(
    app, client, login, office, ballot, make_slot, soon
):
    """The race behind the check: the first winner's man books elsewhere after the
    draw checked him and before it inserts his appointment. The unique index refuses
    that insert; the draw passes him over and completes."""
    entered = enter_couples(client, login, office, ballot, 4)
    order = ballots.draw_order("seed", [entry_id for entry_id, _ in entered])
    first_man = dict(entered)[order[0]]
    elsewhere = make_slot(soon)
    booking = book_elsewhere(app.test_client(), login("registrar01"), elsewhere, first_man)
    answers = []

    def book_elsewhere_first(session, _context, _instances):
        if answers or not any(isinstance(row, Appointment) for row in session.new):
            return
        # Another request, with its own thread, session and transaction, commits.
        racer = threading.Thread(target=lambda: answers.append(booking()))
        racer.start()
        racer.join()

    event.listen(db.session(), "before_flush", book_elsewhere_first)
    try:
        ballots.draw(
            db.session, ballot, ballot.entries_close_at + timedelta(minutes=1), SYSTEM, "seed"
        )
        db.session.commit()
    finally:
        event.remove(db.session(), "before_flush", book_elsewhere_first)
    assert [answer.status_code for answer in answers] == [201]
    statuses, periods, events = draw_outcome(ballot)
    assert statuses == {order[0]: "lost", **{entry_id: "won" for entry_id in order[1:]}}
    assert periods == ["am", "am", "pm"]
    assert events == {"ballot_won": 3, "ballot_lost": 1}
    assert db.session.scalar(select(Slot.booked).where(Slot.id == elsewhere.id)) == 1


def test_the_draw_is_fair_over_many_seeds():
    firsts = Counter(ballots.draw_order(f"seed-{n}", [1, 2, 3])[0] for n in range(3000))
    assert set(firsts) == {1, 2, 3}
    assert all(900 <= count <= 1100 for count in firsts.values())


def test_only_office_staff_create_and_draw(client, login, office, ballot, make_slot, peak):
    body = {
        "date": (peak + timedelta(days=1)).isoformat(),
        "entries_close_at": (clock.now() + timedelta(hours=1)).isoformat(),
    }
    assert (
        client.post(OFFICE.format(office.id) + "/ballots", json=body, headers=login("town01"))
    ).status_code == 403
    draw = OFFICE.format(office.id) + f"/ballots/{ballot.id}/draw"
    early = client.post(draw, headers=login("registrar01"))
    assert early.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date": "2026-02-30"}, "date"),
        ({"entries_close_at": "soon"}, "entries_close_at"),
        ({"entries_close_at": "2020-01-01T00:00:00+08:00"}, "entries_close_at"),
        ({"date": "2031-01-06"}, "date"),  # no slots that day
        ({"seed": "42"}, "seed"),
    ],
)
def test_bad_ballot_values_are_422(client, login, office, make_slot, peak, change, field):
    make_slot(peak)
    body = {
        "date": peak.isoformat(),
        "entries_close_at": (clock.now() + timedelta(hours=1)).isoformat(),
        **change,
    }
    response = client.post(
        OFFICE.format(office.id) + "/ballots", json=body, headers=login("registrar01")
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
