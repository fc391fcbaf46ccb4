"""/me/inbox: the signed-in user's notifications, newest first, and marking them read."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from backend.api.pagination import PageArgsSchema, page_schema, paginate
from backend.api.security import auth_required, current_user
from backend.extensions import db
from backend.models import Notification
from backend.services import notifications

blp = Blueprint("inbox", __name__, url_prefix="/api/v1/me/inbox", description="站内消息")


class NotificationSchema(Schema):
    id = fields.Integer()
    event = fields.String()
    title = fields.String()
    body = fields.String()
    data = fields.Dict()
    read = fields.Boolean(attribute="is_read")
    created_at = fields.DateTime()


class InboxArgsSchema(PageArgsSchema):
    unread = fields.Boolean(load_default=False)


class UnreadSchema(Schema):
    unread = fields.Integer()


class MarkedSchema(Schema):
    marked = fields.Integer()


@blp.get("")
@auth_required()
@blp.arguments(InboxArgsSchema, location="query")
@blp.response(200, page_schema(NotificationSchema))
def list_inbox(args):
    query = notifications.inbox(current_user(), unread_only=args["unread"])
    return paginate(db.session, query, [Notification.id], args, descending=True)


@blp.get("/unread-count")
@auth_required()
@blp.response(200, UnreadSchema)
def unread_count():
    return {"unread": notifications.unread_count(db.session, current_user())}


@blp.post("/<id:notification_id>/read")
@auth_required()
@blp.response(200, NotificationSchema)
def mark_read(notification_id: int):
    notification = notifications.mark_read(db.session, current_user(), notification_id)
    db.session.commit()
    return notification


@blp.post("/read-all")
@auth_required()
@blp.response(200, MarkedSchema)
def mark_all_read():
    marked = notifications.mark_all_read(db.session, current_user())
    db.session.commit()
    return {"marked": marked}
