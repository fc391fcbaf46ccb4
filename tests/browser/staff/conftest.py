"""The staff workbench in a real browser at an office PC's size: signed-in pages, every
one checked with axe-core and for console errors, and a screenshot of each."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from backend.extensions import db
from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from tests.attachments import files
from tests.factories import household

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "portal/static/vendor/axe-core/axe.min.js"
ARTIFACTS = ROOT / "tests/browser/artifacts"
PASSWORD = "Demo@2026"
RESIDENT_ID = "11010519491231002X"
VILLAGE = "990101001000"
MATERIALS = ("id_card", "hukou", "income_proof", "authorization", "mandate")
# Chromium logs every 4xx answer to a fetch on the console; the tests provoke some on
# purpose (a wrong check-in code, the API asking for the password again) and check the
# page shows them. Anything else on the console fails the test.
API_REFUSAL = "Failed to load resource: the server responded with a status of 4"


# The policy the portal is to be served with: no inline script or style anywhere. Each
# /staff page is answered with it here, and a violation is a console error.
CSP = (
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; "
    "media-src 'self' blob:"
)
STAFF_PAGES = re.compile(r"^http://127\.0\.0\.1:[0-9]+/staff/")


def _with_csp(route) -> None:
    response = route.fetch()
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})


def office_context(browser, live_server):
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 860}, locale="zh-CN"
    )
    context.route(STAFF_PAGES, _with_csp)
    return context


@pytest.fixture
def desk(browser, live_server):
    """A 1280 px office screen under the portal's CSP; fails the test if any page logged a
    console error."""
    context = office_context(browser, live_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()
    unexpected = [e for e in errors if not e.startswith(API_REFUSAL)]
    assert unexpected == []


def sign_in(page, username: str) -> None:
    response = page.goto("/staff/login")
    assert response.headers["content-security-policy"] == CSP
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#who-name")).not_to_be_empty()


def no_longer_fresh(page) -> None:
    """A quarter of an hour on: the access token has been refreshed (as api.js does when
    it expires), so it no longer counts as a password just typed."""
    status = page.evaluate(
        """fetch('/api/v1/auth/refresh', {method: 'POST', headers: {'X-CSRF-TOKEN':
        document.cookie.match(/csrf_refresh_token=([^;]+)/)[1]}})
        .then((r) => r.text().then(() => r.status))"""
    )
    assert status == 200


def checked(page, name: str) -> None:
    """axe-core finds nothing serious or critical on the page as it stands; screenshot it."""
    page.wait_for_load_state("networkidle")
    page.evaluate(AXE.read_text())  # not a script tag: the page's own CSP stays in force
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"staff-{name}.png"), full_page=True)
    assert serious == [], serious


@pytest.fixture
def submitted_case(app, demo, client, login):
    """A 低保 case agent0101 opened for an urban household of three, with its five
    materials uploaded and checked by the pipeline (not yet reviewed), submitted."""
    body = {
        "type": "dibao",
        "region_code": VILLAGE,
        "applicant": {"name": "王秀英", "id_number": RESIDENT_ID},
        "on_behalf": True,
        "household": household(RESIDENT_ID, "0", "300", "500"),
    }
    case = client.post("/api/v1/applications", json=body, headers=login("agent0101")).get_json()
    for level, kind in enumerate(MATERIALS, start=90):
        upload = client.post(
            f"/api/v1/applications/{case['id']}/attachments",
            data={"kind": kind, "file": (io.BytesIO(files.plain_jpeg(seed_level=level)), "a.jpg")},
            headers=login("agent0101"),
            content_type="multipart/form-data",
        )
        assert upload.status_code == 202, upload.get_json()
        use_app(app)
        attachment_jobs.process(upload.get_json()["id"])
    submitted = client.post(
        f"/api/v1/applications/{case['id']}/actions",
        json={"action": "submit", "version": case["version"]},
        headers=login("agent0101"),
    )
    assert submitted.status_code == 200, submitted.get_json()
    db.session.remove()
    return submitted.get_json()


@pytest.fixture
def todays_couples(demo):
    """Two couples booked (days ago, by phone) into the demo office's morning today;
    yields their appointments with the check-in codes the couples hold."""
    from sqlalchemy import select

    from backend.models import RegistryOffice
    from backend.models.marriage import Slot
    from backend.services import clock
    from tests.marriage.helpers import book_earlier

    office = db.session.scalar(select(RegistryOffice))
    slot = db.session.scalar(
        select(Slot).where(
            Slot.office_id == office.id, Slot.day == clock.today(), Slot.period == "am"
        )
    )
    if slot is None:
        slot = Slot(office_id=office.id, day=clock.today(), period="am", capacity=20, booked=0)
        db.session.add(slot)
        db.session.commit()
    couples = [book_earlier(slot, serial=serial) for serial in (1, 2)]
    codes = [(a.id, a.checkin_code) for a in couples]
    db.session.remove()
    return codes


def camera_showing(text: str, folder: Path) -> Path:
    """A Y4M video of a QR code of `text`, for Chromium's fake camera to play."""
    import qrcode
    from PIL import Image

    side = 480
    code = qrcode.make(text, box_size=10, border=4).get_image().convert("L")
    frame = Image.new("L", (640, side), 255)
    code = code.resize((360, 360))
    frame.paste(code, ((640 - 360) // 2, (side - 360) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    half = (320, side // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    video = folder / "qr.y4m"
    header = f"YUV4MPEG2 W640 H{side} F10:1 Ip A1:1 C420jpeg\n".encode()
    video.write_bytes(header + b"".join(b"FRAME\n" + planes for _ in range(5)))
    return video


@pytest.fixture
def camera_desk(browser, live_server, tmp_path):
    """camera_desk(text) -> an office page whose camera shows a QR code of `text` (a
    Chromium of its own: the fake camera is a launch option)."""
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    launched, errors = [], []

    def open_desk(text: str):
        camera = f"--use-file-for-fake-video-capture={camera_showing(text, tmp_path)}"
        args = [
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            camera,
        ]
        chromium = browser.browser_type.launch(executable_path=CHROMIUM, headless=True, args=args)
        launched.append(chromium)
        page = office_context(chromium, live_server).new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        return page

    yield open_desk
    for chromium in launched:
        chromium.close()
    assert [e for e in errors if not e.startswith(API_REFUSAL)] == []


@pytest.fixture
def approved_case(submitted_case, app, client, login):
    """`submitted_case` taken through the API to approval: its files reviewed, accepted,
    visited, approved by the township, publicized and confirmed by the county."""
    from datetime import date, timedelta

    from backend.services import clock, publicity

    case = client.get(f"/api/v1/applications/{submitted_case['id']}", headers=login("town01"))
    for material in case.get_json()["attachments"]:
        review = client.post(
            f"/api/v1/attachments/{material['id']}/review",
            json={"verdict": "accepted"},
            headers=login("town01"),
        )
        assert review.status_code == 200, review.get_json()
    visit = {"investigators": ["王五", "赵六"], "visited_on": clock.today().isoformat()}
    case = submitted_case
    for username, action, data in (
        ("town01", "accept", None),
        ("town01", "record_investigation", {**visit, "findings": "家中无劳动力。"}),
        ("town01", "township_approve", None),
        ("county01", "county_approve", None),
    ):
        if action == "county_approve":
            ends = date.fromisoformat(case["publicity_ends_on"])
            publicity.end_publicity(db.session, ends + timedelta(days=1))
            db.session.commit()
            case["version"] += 1
        body = {"action": action, "version": case["version"], **({"data": data} if data else {})}
        answer = client.post(
            f"/api/v1/applications/{case['id']}/actions",
            json=body,
            headers=login(username, fresh=True),
        )
        assert answer.status_code == 200, answer.get_json()
        case = answer.get_json()
    db.session.remove()
    return case
