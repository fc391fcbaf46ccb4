"""Uploading through the API and running the pipeline job on what was uploaded."""

import io
from functools import partial

import pytest

from backend.jobs import attachments as attachment_jobs
from backend.jobs.context import use_app
from tests.storage import StoredFiles


@pytest.fixture
def storage_kind() -> str:
    """Which store the test runs on; files that test the pipeline's use of storage
    parametrize it over `STORAGE_KINDS`."""
    return "local"


STORAGE_KINDS = ["local", "s3"]


@pytest.fixture(autouse=True)
def own_storage(request, app, tmp_path, storage_kind) -> StoredFiles:
    """Each test its own upload folder, or its own prefix in moto's S3 bucket (workers
    started by the test get it too)."""
    app.config["STORAGE_DIR"] = str(tmp_path / "uploads")
    if storage_kind == "s3":
        app.config.update(request.getfixturevalue("s3_settings"))
    return StoredFiles(app)


@pytest.fixture
def open_case(open_case):
    """A draft case with no material filed yet: these tests count the files themselves."""
    return partial(open_case, mandate=False)


@pytest.fixture
def upload(client, login):
    """upload(case_id, data, kind=..., filename=..., username=...) -> the response."""

    def upload(
        case_id,
        data,
        *,
        kind="id_card",
        filename="身份证.jpg",
        username="agent0101",
        headers=None,
        **form,
    ):
        body = {"kind": kind, "file": (io.BytesIO(data), filename), **form}
        return client.post(
            f"/api/v1/applications/{case_id}/attachments",
            data=body,
            headers=headers or login(username),
            content_type="multipart/form-data",
        )

    return upload


@pytest.fixture
def process_now(app):
    """Run the pipeline job in this process; tests/attachments/test_jobs.py runs it on
    real workers."""

    def process_now(attachment_id: int):
        use_app(app)
        return attachment_jobs.process(attachment_id)

    return process_now
