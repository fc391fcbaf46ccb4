"""按户施保: a 低保 application names the whole common household, once per person."""

import threading

import pytest

from tests.factories import household, member_id_number, nonagenarian_id_number

RESIDENT_ID = "11010519491231002X"
NEIGHBOUR_ID = "440524188001010014"


def body(id_number=RESIDENT_ID, program="dibao", **changes):
    return {
        "type": program,
        "region_code": "990101001000",
        "applicant": {"name": "王秀英", "id_number": id_number},
        "on_behalf": True,
        "household": household(id_number, "0", "300", "500"),
        **changes,
    }


def post(client, login, payload):
    return client.post("/api/v1/applications", json=payload, headers=login("agent0101"))


def field_of(response):
    assert response.status_code == 422, response.get_json()
    return set(response.get_json()["error"]["details"])


def test_the_household_is_kept_with_masked_numbers_and_its_per_capita_income(client, login):
    case = post(client, login, body()).get_json()
    assert case["household"]["area_type"] == "urban"
    assert case["household"]["per_capita_income"] == "266.67"
    members = case["household"]["members"]
    assert [(m["relation"], m["monthly_income"]) for m in members] == [
        ("self", "0.00"),
        ("child", "300.00"),
        ("child", "500.00"),
    ]
    assert members[0]["id_number"] == "110105********002X"


def test_the_elderly_allowance_has_no_household(client, login):
    payload = body(id_number=nonagenarian_id_number(), program="elderly_allowance")
    assert field_of(post(client, login, payload)) == {"household"}
    del payload["household"]
    response = post(client, login, payload)
    assert response.status_code == 201
    assert response.get_json()["household"] is None


def test_dibao_needs_the_household(client, login):
    payload = body()
    del payload["household"]
    assert field_of(post(client, login, payload)) == {"household"}


def test_a_person_is_in_one_live_dibao_household_only(client, login, act):
    first = post(client, login, body()).get_json()
    neighbour = body(NEIGHBOUR_ID, household=household(NEIGHBOUR_ID))
    neighbour["household"]["members"].append(  # already in the first household
        {"name": "王秀英", "id_number": RESIDENT_ID, "relation": "spouse", "monthly_income": "0"}
    )
    assert field_of(post(client, login, neighbour)) == {"household.members.1.id_number"}
    act(first, "agent0101", "withdraw")
    assert post(client, login, neighbour).status_code == 201


def member(**changes):
    return {
        "name": "王家一",
        "id_number": member_id_number(1),
        "relation": "child",
        "monthly_income": "0",
        **changes,
    }


def with_members(*members):
    own = {"name": "王秀英", "id_number": RESIDENT_ID, "relation": "self", "monthly_income": "0"}
    return body(household={"area_type": "urban", "members": [own, *members]})


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (with_members(member(), member()), "household.members.2.id_number"),
        (with_members(member(relation="self")), "household.members"),
        (body(household={"area_type": "urban", "members": []}), "household.members"),
        (
            with_members(*[member(id_number=member_id_number(n)) for n in range(1, 21)]),
            "household.members",
        ),
        (body(household=household(NEIGHBOUR_ID)), "household.members"),
        (
            body(household={**household(RESIDENT_ID), "area_type": "suburban"}),
            "household.area_type",
        ),
        (with_members(member(monthly_income="-1")), "household.members.1.monthly_income"),
        (with_members(member(monthly_income="1000001")), "household.members.1.monthly_income"),
        (with_members(member(monthly_income="3.141")), "household.members.1.monthly_income"),
        (with_members(member(monthly_income="３００")), "household.members.1.monthly_income"),
        (with_members(member(monthly_income=None)), "household.members.1.monthly_income"),
        (with_members(member(relation="cousin")), "household.members.1.relation"),
        (with_members(member(disabled="maybe")), "household.members.1.disabled"),
        (with_members(member(id_number="370101201001010012")), "household.members.1.id_number"),
        (with_members(member(name="王\u200b一")), "household.members.1.name"),
        (with_members(member(status="approved")), "household.members.1.status"),
        (
            with_members(
                member(
                    monthly_income="300",
                    income_sources=[
                        {"source": "工资", "amount": "200"},
                        {"source": "养殖", "amount": "50"},
                    ],
                )
            ),
            "household.members.1.income_sources",
        ),
        (
            with_members(member(income_sources=[{"source": "", "amount": "0"}])),
            "household.members.1.income_sources.0.source",
        ),
        (
            with_members(member(income_sources=[{"source": "工资", "amount": "-5"}])),
            "household.members.1.income_sources.0.amount",
        ),
        (
            with_members(member(income_sources=[{"source": "工资"}])),
            "household.members.1.income_sources.0.amount",
        ),
        (
            with_members(
                member(
                    monthly_income="0",  # eleven sources adding up: too many all the same
                    income_sources=[{"source": f"来源{n}", "amount": "0"} for n in range(11)],
                )
            ),
            "household.members.1.income_sources",
        ),
        (with_members(member(income_sources="工资")), "household.members.1.income_sources"),
        (with_members(member(able_to_work="yes please")), "household.members.1.able_to_work"),
        (with_members(member(able_to_work=None)), "household.members.1.able_to_work"),
    ],
)
def test_bad_households_are_422_naming_the_field(client, login, payload, field):
    assert field in field_of(post(client, login, payload))


def test_income_sources_that_add_up_are_kept(client, login):
    sources = [{"source": "工资", "amount": "250"}, {"source": "养殖", "amount": "50"}]
    case = post(
        client, login, with_members(member(monthly_income="300", income_sources=sources))
    ).get_json()
    assert case["household"]["members"][1]["income_sources"] == [
        {"source": "工资", "amount": "250.00"},
        {"source": "养殖", "amount": "50.00"},
    ]


def test_two_filings_of_the_same_person_at_once_keep_them_in_one_household(app, login):
    """Two agents (or an agent and the resident) file at the same instant, each naming the
    same child: one household gets the child, the other a clear refusal."""
    shared = member(id_number=member_id_number(7))
    applicants = [f"11010519600101{serial:03d}" for serial in range(8)]
    bodies = [
        body(
            applicant,
            household={
                "area_type": "urban",
                "members": [
                    {
                        "name": "王秀英",
                        "id_number": applicant,
                        "relation": "self",
                        "monthly_income": "0",
                    },
                    shared,
                ],
            },
        )
        for applicant in map(with_check_digit, applicants)
    ]
    answers = post_at_once(app, login("agent0101"), bodies)
    assert sorted(answers) == [201] + [422] * (len(bodies) - 1)


def with_check_digit(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def post_at_once(app, headers, bodies) -> list[int]:
    start = threading.Barrier(len(bodies))
    answers: list[int] = []

    def post_one(payload):
        client = app.test_client()  # each thread its own client, request and session
        start.wait()
        answers.append(
            client.post("/api/v1/applications", json=payload, headers=headers).status_code
        )

    threads = [threading.Thread(target=post_one, args=(payload,)) for payload in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers
