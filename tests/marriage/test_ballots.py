"""摇号 on peak dates: entries with the booking checks, a draw with a recorded seed
that anyone can re-run, winners booked, the others told."""

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from backend.extensions import db
from backend.models import Notification
from backend.models.marriage import Appointment, Ballot, BallotEntry
from backend.services import clock
from backend.services.marriage import ballots
from tests.marriage.helpers import booking_body, couple

OFFICE = "/api/v1/registry-offices/{}"


@pytest.fixture
def ballot(client, login, office, make_slot, soon):
    """A ballot on `soon` (am 2 places, pm 1), entries closing in an hour."""
    make_slot(soon, "am", 2)
    make_slot(soon, "pm", 1)
    closes = clock.now() + timedelta(hours=1)
    response = client.post(
        OFFICE.format(office.id) + "/ballots",
        json={"date": soon.isoformat(), "entries_close_at": closes.isoformat()},
        headers=login("registrar01"),
    )
    assert response.status_code == 201, response.get_json()
    return db.session.get(Ballot, response.get_json()["id"])


def enter(client, office, ballot, man, woman, headers):
    return client.post(
        OFFICE.format(office.id) + f"/ballots/{ballot.id}/entries",
        json={"party_a": man, "party_b": woman},
        headers=headers,
    )


def test_a_ballot_date_cannot_be_booked_for_marriage_but_divorce_can(
    client, login, office, ballot, make_slot, soon
):
    slot_id = make_slot(soon, "am", 2).id
    headers = login("registrar01")
    marriage = client.post(
        "/api/v1/appointments", json=booking_body(slot_id, *couple(soon)), headers=headers
    )
    assert marriage.status_code == 409
    assert "摇号" in marriage.get_json()["error"]["message"]
    divorce = client.post(
        "/api/v1/appointments",
        json=booking_body(slot_id, *couple(soon, serial=2), service="divorce"),
        headers=headers,
    )
    assert divorce.status_code == 201
    listed = client.get(
        OFFICE.format(office.id) + f"/slots?from={soon}&to={soon}&service=marriage"
    ).get_json()
    assert listed["items"] == []


def test_entries_are_checked_like_bookings_and_taken_once(
    client, citizen, login, office, ballot, soon
):
    man, woman = couple(soon)
    _, headers = citizen(man)
    first = enter(client, office, ballot, man, woman, headers)
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "entered"
    assert first.get_json()["parties"][0]["id_number"].count("*") == 8
    again = enter(client, office, ballot, man, couple(soon, serial=3)[1], headers)
    assert again.get_json()["error"]["code"] == "duplicate_booking"
    young_man, young_woman = couple(soon, serial=4, man_age=21)
    too_young = enter(client, office, ballot, young_man, young_woman, login("registrar01"))
    assert too_young.status_code == 422
    assert "party_a.id_number" in too_young.get_json()["error"]["details"]
    mine = client.get(OFFICE.format(office.id) + f"/ballots/{ballot.id}/entries", headers=headers)
    assert [e["id"] for e in mine.get_json()["items"]] == [first.get_json()["id"]]


def test_the_draw_books_winners_tells_everyone_and_can_be_re_run(
    client, citizen, office, ballot, soon
):
    bookers = []
    for serial in range(5):
        man, woman = couple(soon, serial=serial)
        user, headers = citizen({**man, "phone": f"1390000{serial:04d}"})
        assert enter(client, office, ballot, man, woman, headers).status_code == 201
        bookers.append(user)
    with pytest.raises(ballots.ActionNotAllowed):
        ballots.draw(db.session, ballot, clock.now())
    ballots.draw(db.session, ballot, ballot.entries_close_at + timedelta(minutes=1))
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
        ballots.draw(db.session, ballot, ballot.entries_close_at + timedelta(minutes=2))
    public = client.get(OFFICE.format(office.id) + "/ballots").get_json()["items"][0]
    assert (public["status"], public["seed"]) == ("drawn", ballot.seed)


def test_the_draw_is_fair_over_many_seeds():
    firsts = Counter(ballots.draw_order(f"seed-{n}", [1, 2, 3])[0] for n in range(3000))
    assert set(firsts) == {1, 2, 3}
    assert all(900 <= count <= 1100 for count in firsts.values())


def test_only_office_staff_create_and_draw(client, login, office, ballot, make_slot, soon):
    body = {
        "date": (soon + timedelta(days=1)).isoformat(),
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
def test_bad_ballot_values_are_422(client, login, office, make_slot, soon, change, field):
    make_slot(soon)
    body = {
        "date": soon.isoformat(),
        "entries_close_at": (clock.now() + timedelta(hours=1)).isoformat(),
        **change,
    }
    response = client.post(
        OFFICE.format(office.id) + "/ballots", json=body, headers=login("registrar01")
    )
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["details"]
