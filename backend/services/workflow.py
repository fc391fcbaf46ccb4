"""Application state machines as data: each transition names the states it leaves,
the state it reaches and the roles that may take it. `allowed_actions` and
`perform` read the same table, so what a client is offered is what it may do.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from backend.errors import ActionNotAllowed, StaleVersion, ValidationFailed
from backend.models import Application, ApplicationEvent, Role, User
from backend.services import audit
from backend.services.crypto import current_cipher, mask_id_number

# A case in one of these is over: nothing more happens to it.
FINAL_STATUSES = frozenset({"withdrawn", "rejected", "terminated"})
APPLICANT_SIDE = frozenset({Role.CITIZEN, Role.AGENT})
TOWNSHIP = frozenset({Role.TOWNSHIP_STAFF})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    roles: frozenset[Role]
    needs_comment: bool = False  # 补正 and refusals must say why


def _t(action, sources, target, roles, **rules) -> Transition:
    return Transition(action, frozenset(sources), target, roles, **rules)


# The front of every benefit case; the programmes add their own steps after `accepted`.
TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", {"draft"}, "submitted", APPLICANT_SIDE),
    _t("resubmit", {"returned"}, "submitted", APPLICANT_SIDE),
    _t("withdraw", {"draft", "submitted", "returned"}, "withdrawn", APPLICANT_SIDE),
    _t("accept", {"submitted"}, "accepted", TOWNSHIP),  # 受理
    _t("return", {"submitted", "accepted"}, "returned", TOWNSHIP, needs_comment=True),
)


def allowed_actions(application: Application, user: User) -> list[str]:
    return [
        t.action for t in TRANSITIONS if application.status in t.sources and user.role in t.roles
    ]


def _transition(application: Application, action: str, user: User) -> Transition:
    for t in TRANSITIONS:
        if t.action == action and application.status in t.sources and user.role in t.roles:
            return t
    raise ActionNotAllowed(f"当前状态下不能执行该操作:{action}")


def perform(
    session: Session,
    application: Application,
    user: User,
    action: str,
    version: int,
    comment: str = "",
    ip: str | None = None,
) -> Application:
    """Take `action` on the case as `user`; 409 when stale or not allowed now."""
    if version != application.version:
        raise StaleVersion("该申请已被他人更新,请刷新后重试")
    transition = _transition(application, action, user)
    if transition.needs_comment and not comment.strip():
        raise ValidationFailed.field("comment", "请填写原因或需要补正的内容")
    before = application.status
    session.add(
        ApplicationEvent(
            application=application,
            action=action,
            from_status=application.status,
            to_status=transition.target,
            actor_id=user.id,
            actor_role=user.role,
            comment=comment.strip(),
        )
    )
    application.status = transition.target
    application.bump_version()
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        raise StaleVersion("该申请已被他人更新,请刷新后重试") from None
    record_step(session, application, user, action, before, ip)
    return application


def record_step(
    session: Session,
    application: Application,
    actor: User,
    action: str,
    before: str | None,
    ip: str | None,
) -> None:
    """Put a step of the case on the audit log; a step taken for a resident names them."""
    note = ""
    if application.on_behalf:
        applicant = mask_id_number(current_cipher().decrypt(application.applicant_id_cipher))
        note = f"代办,申请人 {applicant}"
    audit.record(
        session,
        actor,
        f"application.{action}",
        application,
        ip=ip,
        before=before,
        after=application.status,
        subject_user_id=application.owner_id,
        note=note,
    )
