"""Small builders of request bodies and rows shared by several test packages."""

from uuid import uuid4

from backend.extensions import db
from backend.models.attachment import Attachment, AttachmentStatus, ReviewStatus
from backend.services import clock, upload_quota
from backend.services.users import find_by_username


def household(applicant_id_number: str, *incomes: str, area_type: str = "urban") -> dict:
    """A 低保 household: the applicant (relation self) earning the first income, then
    one more member per further income (valid identity numbers, distinct people)."""
    incomes = incomes or ("0",)
    members = [
        {
            "name": "王秀英",
            "id_number": applicant_id_number,
            "relation": "self",
            "monthly_income": incomes[0],
        }
    ]
    for serial, income in enumerate(incomes[1:], start=1):
        members.append(
            {
                "name": f"王家{'一二三四五六七八九十'[serial - 1]}",
                "id_number": member_id_number(serial),
                "relation": "child",
                "monthly_income": income,
            }
        )
    return {"area_type": area_type, "members": members}


def member_id_number(serial: int) -> str:
    """A valid identity number of a child born in 2010 (serial 1–999)."""
    from stdnum.cn import ric

    body = f"37010120100101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def nonagenarian_id_number(serial: int = 1) -> str:
    """A valid identity number of someone born in 1930 (serial 1–999): in the demo
    county's 90–99 高龄津贴 band until 2030."""
    from stdnum.cn import ric

    body = f"11010519300101{serial:03d}"
    return body + ric.calc_check_digit(body + "0")


def file_material(
    case_id: int,
    kind: str,
    review_status: str = ReviewStatus.ACCEPTED,
    superseded: bool = False,
    uploader: str = "agent0101",
) -> None:
    """A processed material of the case, uploaded by `uploader` and reviewed as
    `review_status` (the pipeline and the review are tested in tests/attachments); it
    takes one of the case's places as an upload does."""
    upload_quota.take(db.session, case_id)
    db.session.add(
        Attachment(
            application_id=case_id,
            kind=kind,
            uploaded_by_id=find_by_username(db.session, uploader).id,
            original_name=f"{kind}.jpg",
            storage_key=uuid4().hex,
            size=1024,
            status=AttachmentStatus.READY,
            review_status=review_status,
            superseded_at=clock.now() if superseded else None,
        )
    )
