"""Disaster photos through the attachments pipeline: staged by their uploader, owned
by a report or a tip once named there; the position kept in the restricted columns;
visibility and duplicates follow the owner."""

from datetime import timedelta

import pytest

from backend.extensions import db
from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from backend.models import Attachment
from backend.models.attachment import Variant
from backend.services import clock, disaster_photos
from backend.services.storage import storage
from tests.attachments import files
from tests.disaster.conftest import TOWNSHIP, VILLAGE


@pytest.fixture
def process_now(app):
    def process_now(attachment_id: int):
        use_app(app)
        return attachment_jobs.process(attachment_id)

    return process_now


def reload(attachment_id: int) -> Attachment:
    db.session.rollback()
    return db.session.get(Attachment, attachment_id)


def test_a_staged_photo_is_seen_by_its_uploader_alone(client, login, upload_photo):
    photo_id = upload_photo()
    url = f"/api/v1/attachments/{photo_id}"
    assert client.get(url, headers=login("officer0101")).get_json()["status"] == "pending"
    for username in ("officer01", "town01", "county01"):
        assert client.get(url, headers=login(username)).status_code == 404, username


def test_a_report_photo_is_seen_by_the_staff_of_its_region(
    client, login, open_event, send_report, upload_photo
):
    photo_id = upload_photo()
    send_report(open_event(), {}, photo_ids=[photo_id])
    url = f"/api/v1/attachments/{photo_id}"
    for username, status in (
        ("officer0101", 200),
        ("officer01", 200),
        ("town01", 200),
        ("county01", 200),
        ("town02", 404),
        ("agent0101", 404),
    ):
        assert client.get(url, headers=login(username)).status_code == status, username


def test_the_pipeline_keeps_a_disaster_photos_position_restricted(
    client, login, upload_photo, process_now
):
    photo_id = upload_photo(data=files.phone_jpeg())
    assert process_now(photo_id) == "ready"
    photo = reload(photo_id)
    assert (float(photo.latitude), float(photo.longitude)) == (30.26, 120.15)
    shown = client.get(f"/api/v1/attachments/{photo_id}", headers=login("officer0101"))
    assert "30.26" not in shown.get_data(as_text=True)


def test_the_same_picture_for_two_regions_is_marked_a_duplicate(
    open_event, send_report, upload_photo, process_now
):
    event = open_event()
    picture = files.plain_jpeg()
    first, second, same_place = (
        upload_photo(data=picture),
        upload_photo("officer01", data=picture),
        upload_photo(data=picture),
    )
    for photo_id in (first, second, same_place):
        process_now(photo_id)
    send_report(event, {}, photo_ids=[first])
    send_report(event, {}, kind="update", occurred_hours_ago=0.2, photo_ids=[same_place])
    send_report(event, {}, username="officer01", region_code=TOWNSHIP, photo_ids=[second])
    assert reload(first).duplicate_of_id is None
    assert reload(same_place).duplicate_of_id is None  # the same village again
    assert reload(second).duplicate_of_id == first  # another region's report


def test_a_rejected_photo_cannot_be_sent_and_its_uploader_is_told(
    client, login, open_event, send_report, upload_photo, process_now
):
    photo_id = upload_photo(data=files.dark_jpeg())
    assert process_now(photo_id) == "rejected"
    inbox = client.get("/api/v1/me/inbox", headers=login("officer0101")).get_json()["items"]
    assert inbox[0]["event"] == "disaster_photo_rejected"
    refused = send_report(open_event(), {}, region_code=VILLAGE, photo_ids=[photo_id])
    assert refused.get_json()["error"]["details"] == {
        "photo_ids": ["有照片未通过检查,请重新拍摄上传"]
    }


def test_disaster_photos_are_not_reviewed_as_case_materials(
    client, login, open_event, send_report, upload_photo, process_now
):
    photo_id = upload_photo()
    process_now(photo_id)
    send_report(open_event(), {}, photo_ids=[photo_id])
    response = client.post(
        f"/api/v1/attachments/{photo_id}/review",
        json={"verdict": "accepted"},
        headers=login("town01"),
    )
    assert response.status_code == 409


def test_an_empty_or_missing_file_is_refused_with_the_field_named(client, login):
    import io

    empty = client.post(
        "/api/v1/disaster-photos",
        data={"file": (io.BytesIO(b""), "a.jpg")},
        headers=login("officer0101"),
        content_type="multipart/form-data",
    )
    assert empty.status_code == 422 and "file" in empty.get_json()["error"]["details"]
    missing = client.post(
        "/api/v1/disaster-photos",
        data={},
        headers=login("officer0101"),
        content_type="multipart/form-data",
    )
    assert missing.status_code == 422 and "file" in missing.get_json()["error"]["details"]
    staff = client.post(
        "/api/v1/disaster-photos",
        data={"file": (io.BytesIO(b"x"), "a.jpg")},
        headers=login("town01"),
        content_type="multipart/form-data",
    )
    assert staff.status_code == 403


def test_a_photo_never_sent_is_forgotten_with_its_files_after_a_week_of_days(app, upload_photo):
    kept, forgotten = upload_photo(), upload_photo()
    week_ago = clock.now() - timedelta(days=8)  # counted in whole Shanghai days
    db.session.get(Attachment, forgotten).created_at = week_ago
    db.session.commit()
    original = db.session.get(Attachment, forgotten).file_key(Variant.ORIGINAL)
    storage().open(original).close()  # stored until now

    result = disaster_photos.forget_unsent(db.session, clock.today())
    db.session.commit()

    assert result == {"deleted": 1}
    assert (reload(kept) is not None, reload(forgotten)) == (True, None)
    with pytest.raises(FileNotFoundError):
        storage().open(original)
