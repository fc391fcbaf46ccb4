"""Materials: upload to an application, read, download a variant, review."""

from __future__ import annotations

import logging

from flask import send_file
from flask_smorest import Blueprint
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from backend.api.fields import StrictInteger, Text, multipart_body, one_of
from backend.api.idempotency import idempotent
from backend.api.security import auth_required, current_user
from backend.errors import NotFound
from backend.extensions import db
from backend.models import Role
from backend.models.attachment import KIND_LABELS, AttachmentKind, ReviewStatus, Variant
from backend.services import after_commit, attachment_pipeline, attachments
from backend.services.storage import storage

log = logging.getLogger(__name__)

blp = Blueprint("attachments", __name__, url_prefix="/api/v1", description="申请材料")

KINDS = one_of(AttachmentKind)
# Downloads are files to save, never pages to render, and never kept by a shared cache.
DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


class AttachmentSchema(Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    kind = fields.String()
    kind_label = fields.Function(lambda a: KIND_LABELS[AttachmentKind(a.kind)])
    filename = fields.String(attribute="original_name")
    status = fields.String()
    reason = fields.String(allow_none=True)
    review_status = fields.String()
    review_comment = fields.String()
    reviewed_at = fields.DateTime(allow_none=True)
    content_type = fields.String(allow_none=True)
    size = fields.Integer()
    sha256 = fields.String(allow_none=True)
    width = fields.Integer(allow_none=True)
    height = fields.Integer(allow_none=True)
    replaces_id = fields.Integer(allow_none=True)
    current = fields.Boolean(attribute="is_current")
    variants = fields.Function(
        lambda a: [str(v) for v in attachments.variants_for(a, current_user())]
    )
    # Staff only: the number of another household's case holding the same file.
    duplicate_of_application = fields.Function(
        lambda a: (
            a.duplicate_of.application.number
            if a.duplicate_of and current_user().role in attachments.STAFF_VIEWERS
            else None
        )
    )
    created_at = fields.DateTime()


class UploadFormSchema(Schema):
    kind = fields.String(required=True, validate=KINDS)
    replaces = StrictInteger(load_default=None, validate=validate.Range(1, 2**53))


class UploadFileSchema(Schema):
    file = Upload(required=True)


class UploadSchema(UploadFormSchema, UploadFileSchema):
    """The whole multipart body, for the OpenAPI document (parsed in two parts above)."""


class ContentArgsSchema(Schema):
    variant = fields.String(load_default=Variant.REVIEW.value, validate=one_of(Variant))


class ReviewSchema(Schema):
    verdict = fields.String(
        required=True,
        validate=validate.OneOf([ReviewStatus.ACCEPTED.value, ReviewStatus.NEEDS_REUPLOAD.value]),
    )
    comment = Text(load_default="", validate=validate.Length(max=500))


@blp.post("/applications/<id:application_id>/attachments")
@auth_required(Role.CITIZEN, Role.AGENT, Role.TOWNSHIP_STAFF)
@idempotent
@blp.arguments(UploadFormSchema, location="form")
@blp.arguments(UploadFileSchema, location="files")
@blp.response(202, AttachmentSchema)
@blp.doc(**multipart_body(UploadSchema))
def upload_attachment(form, files, application_id: int):
    """Upload a material (multipart `file` and `kind`); it is checked in the background."""
    incoming = attachments.Upload(
        kind=AttachmentKind(form["kind"]),
        stream=files["file"].stream,
        filename=files["file"].filename,
        replaces_id=form["replaces"],
    )
    attachment = attachments.upload(db.session, current_user(), application_id, incoming, storage())
    # Queued once the row is committed (with the Idempotency-Key's answer, if any).
    after_commit.call(db.session(), attachment_pipeline.request_processing, attachment.id)
    db.session.commit()
    return attachment


@blp.get("/attachments/<id:attachment_id>")
@auth_required()
@blp.response(200, AttachmentSchema)
def get_attachment(attachment_id: int):
    return attachments.get(db.session, current_user(), attachment_id)


@blp.get("/attachments/<id:attachment_id>/content")
@auth_required()
@blp.arguments(ContentArgsSchema, location="query")
@blp.response(200, description="文件内容(作为附件下载)")
def get_attachment_content(args, attachment_id: int):
    download = attachments.download(
        db.session, current_user(), attachment_id, Variant(args["variant"])
    )
    try:
        stream = storage().open(download.key)
    except FileNotFoundError:
        log.error("attachment %s: stored file %s is missing", attachment_id, download.key)
        raise NotFound("文件已无法读取,请联系民政部门或重新上传") from None
    response = send_file(
        stream,
        mimetype=download.content_type,
        as_attachment=True,
        download_name=download.filename,
        etag=False,
        conditional=False,
    )
    response.headers.update(DOWNLOAD_HEADERS)
    return response


@blp.post("/attachments/<id:attachment_id>/review")
@auth_required(*attachments.REVIEWERS)
@blp.arguments(ReviewSchema)
@blp.response(200, AttachmentSchema)
def review_attachment(body, attachment_id: int):
    attachment = attachments.review(
        db.session,
        current_user(),
        attachment_id,
        ReviewStatus(body["verdict"]),
        body["comment"],
    )
    db.session.commit()
    return attachment
