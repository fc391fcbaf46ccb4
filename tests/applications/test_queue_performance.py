"""The staff queue answers a page in a fixed number of SQL statements, however many
rows it holds: no row loads its village, materials or anything else on its own."""

from datetime import date, timedelta

from stdnum.cn import ric

from backend.extensions import db
from backend.models import Application
from backend.models.attachment import ReviewStatus
from backend.services import clock
from tests.factories import file_material
from tests.statements import counting_statements

# The token with its caller and their region; the page with its villages, materials and
# relatives flags; the calendar. (A page that runs from the cases with a deadline into
# the rest reads the rest too: one more, once.)
MAX_STATEMENTS = 3


def resident_id(serial: int) -> str:
    """Born from 1930 on: old enough for either programme."""
    body = f"110105{date(1930, 1, 1) + timedelta(days=serial):%Y%m%d}{2 * serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def list_page(client, login, limit: int) -> tuple[list[dict], list[str]]:
    headers = login("county01")
    with counting_statements() as statements:
        response = client.get(f"/api/v1/applications?limit={limit}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"], statements


def test_a_page_of_twenty_takes_as_few_statements_as_a_page_of_one(open_case, client, login):
    for serial in range(21):
        agent = "agent0101" if serial % 2 else "agent0201"
        program = "dibao" if serial % 3 else "elderly_allowance"
        case = open_case(agent, id_number=resident_id(serial), program=program)
        db.session.get(Application, case["id"]).deadline = clock.today() + timedelta(days=serial)
        file_material(case["id"], "id_card", ReviewStatus.ACCEPTED)
        file_material(case["id"], "hukou", ReviewStatus.UNREVIEWED)
        file_material(case["id"], "hukou", ReviewStatus.ACCEPTED, superseded=True)
    db.session.commit()
    db.session.expire_all()
    [_], one_row = list_page(client, login, 1)
    db.session.expire_all()
    items, twenty_rows = list_page(client, login, 20)

    assert len(items) == 20
    assert {item["region_name"] for item in items} == {"东街社区", "河口村"}
    assert {item["materials"]["accepted"] for item in items} == {1}
    assert len(twenty_rows) == len(one_row) <= MAX_STATEMENTS, twenty_rows
