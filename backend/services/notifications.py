"""Telling people what happened: `notify(session, user, event, data)`, the in-app
inbox, and the outside channels behind one adapter interface.

A notification always lands in the user's inbox (`GET /api/v1/me/inbox`). For each
configured channel (`NOTIFICATION_CHANNELS`) that can reach the user, a delivery row
is added in the same transaction and sent by an RQ job once that transaction
commits; a sweeper re-enqueues deliveries Redis lost. Delivery is at least once.
Channels: `console` (the log), `sms` (the account's phone, through `sms.sender()`),
`wechat` (a subscribe message to the account's openid, through
`wechat.message_sender()`); another one is one more class in `CHANNELS`.

Someone with no account has no inbox: `text_to_phone` reaches them by SMS alone, and
only when the `sms` channel is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from backend.errors import NotFound
from backend.jobs.queue import enqueue
from backend.models import Notification, NotificationDelivery, User
from backend.models.notification import DeliveryStatus
from backend.services import after_commit, clock, sms, wechat
from backend.services.users import phone_of

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Title and body of one kind of notification, `str.format` templates over `data`."""

    title: str
    body: str


# One entry per event; add yours here (names in English, texts in Chinese).
EVENTS: dict[str, Event] = {
    "material_rejected": Event(
        "材料未通过检查",
        "您为申请 {application_number} 上传的「{kind_label}」未通过系统检查:{reason}",
    ),
    "material_reviewed": Event(
        "材料审核结果",
        "申请 {application_number} 的「{kind_label}」{verdict_text}{comment_text}。{outstanding}",
    ),
    # Benefit cases: one event per step of a programme's table (`case_<action>`), in the
    # programme's words (`workflow.Vocabulary`: {benefit} 低保/高龄津贴, {payment}).
    "case_submit": Event("申请已提交", "申请 {application_number} 已提交,等待乡镇(街道)受理。"),
    "case_resubmit": Event("申请已重新提交", "补正后的申请 {application_number} 已重新提交。"),
    "case_withdraw": Event("申请已撤回", "申请 {application_number} 已撤回。"),
    "case_accept": Event(
        "申请已受理", "申请 {application_number} 已受理,乡镇(街道)将在 {deadline} 前完成审核。"
    ),
    "case_return": Event("申请需要补正", "申请 {application_number} 需要补正:{comment}"),
    "case_record_investigation": Event(
        "入户调查已完成", "申请 {application_number} 的入户调查已完成,等待乡镇(街道)审核。"
    ),
    "case_record_county_investigation": Event(
        "县级入户核查已完成", "申请 {application_number} 已由县民政局入户核查,等待乡镇(街道)审核。"
    ),
    "case_township_approve": Event(
        "审核通过,开始公示",
        "申请 {application_number} 已通过乡镇(街道)审核,在本村(社区)公示至 {publicity_ends_on}。",
    ),
    "case_register_objection": Event(
        "公示期间有异议", "申请 {application_number} 公示期间收到异议,将重新核查:{comment}"
    ),
    "case_end_publicity": Event(
        "公示期满", "申请 {application_number} 公示期满,等待县民政局审批。"
    ),
    "case_extend_deadline": Event(
        "办理期限延长", "申请 {application_number} 的办理期限延长至 {deadline}:{comment}"
    ),
    "case_county_approve": Event(
        "申请已批准",
        "{benefit}申请 {application_number} 已批准,每月{payment} {monthly_amount} 元,"
        "自 {start_month} 起发放。",
    ),
    "case_county_reject": Event(
        "不予批准", "{benefit}申请 {application_number} 不予批准,理由:{comment}。{appeal}"
    ),
    "case_propose_rejection": Event(
        "审核意见:不符合条件",
        "乡镇(街道)审核认为{benefit}申请 {application_number} 不符合条件,已报县民政局决定:"
        "{comment}",
    ),
    "case_send_back": Event(
        "县民政局发回重审",
        "{benefit}申请 {application_number} 经县民政局审查发回乡镇(街道)重新审核:{comment}",
    ),
    # 动态管理: re-reviews and their outcomes.
    "case_start_rereview": Event(
        "{benefit}复核",
        "{benefit} {application_number} 进入复核,乡镇(街道)将在 {deadline} 前完成。",
    ),
    "case_continue": Event(
        "复核结果:继续保障",
        "{benefit} {application_number} 经复核继续保障,每月 {monthly_amount} 元,"
        "下次复核日期 {rereview_due_on}。",
    ),
    "case_adjust": Event(
        "复核结果:调整{payment}",
        "{benefit} {application_number} 经复核,每月{payment}调整为 {monthly_amount} 元,"
        "自 {amount_from} 起发放;下次复核日期 {rereview_due_on}。",
    ),
    "case_gradual_exit": Event(
        "复核结果:渐退",
        "{benefit} {application_number} 经复核进入渐退期,每月 {monthly_amount} 元发放至 "
        "{exit_month},之后停止保障。理由:{comment}。{appeal}",
    ),
    "case_terminate": Event(
        "{benefit}已终止",
        "{benefit} {application_number} 已终止,{payment}发放至 {exit_month}。"
        "理由:{comment}。{appeal}",
    ),
    "case_end_gradual_exit": Event(
        "渐退期满",
        "{benefit} {application_number} 渐退期已满,{payment}发放至 {exit_month},不再发放。",
    ),
    "case_record_death": Event(
        "申请已终结", "{benefit} {application_number} 因申请人去世终结,慰问家属。"
    ),
    "circumstance_reported": Event(
        "保障对象报告情况变化",
        "{benefit} {application_number} 的家庭报告了{kind_label},已转入复核,"
        "请在 {deadline} 前完成。",
    ),
    # 高龄津贴 without a case: 免申即享 enrolment, 生存认证.
    "elderly_enrolled": Event(
        "已纳入高龄津贴发放",
        "您已按户籍名册纳入高龄津贴发放(免申即享),"
        "每月 {monthly_amount} 元,自 {from_month} 起发放。",
    ),
    "elderly_roster_village": Event(
        "本村老人纳入高龄津贴",
        "{village_name}有 {count} 位老人按户籍名册纳入高龄津贴发放(免申即享),请告知本人或家属。",
    ),
    "roster_import_done": Event(
        "户籍名册导入完成",
        "名册 {file_name} 已导入:纳入 {enrolled} 人,跳过 {skipped} 人,错误 {errors} 行。",
    ),
    "liveness_stopped": Event(
        "高龄津贴暂停发放",
        "{month} 未完成生存认证,高龄津贴自 {stop_month} 起暂停发放;完成认证后恢复并补发。",
    ),
    "liveness_restored": Event(
        "高龄津贴恢复发放",
        "生存认证已完成,高龄津贴自 {from_month} 起恢复发放,"
        "补发 {back_pay_months} 个月共 {back_pay_amount} 元。",
    ),
    # 婚姻登记预约
    "ballot_won": Event(
        "摇号中签", "您参加的{office_name} {date} 结婚登记摇号已中签,已为您预约{period_label}。"
    ),
    "ballot_lost": Event(
        "摇号未中签", "很遗憾,{office_name} {date} 结婚登记摇号未中签,欢迎预约其他日期。"
    ),
    "waitlist_offer": Event(
        "候补名额", "{office_name} {date}{period_label}有名额空出,为您保留至 {until},请及时确认。"
    ),
    # 灾情报告
    "disaster_photo_rejected": Event(
        "灾情照片未通过检查", "您上传的灾情照片未通过系统检查:{reason}"
    ),
    "disaster_escalated": Event(
        "灾情升级:死亡失踪达到 {threshold} 人",
        "「{event_name}」已报死亡 {deaths} 人、失踪 {missing} 人,请立即处置并向上级报告。",
    ),
    "disaster_initial_overdue": Event(
        "初报超时", "「{event_name}」{region_name}未在 {due_at} 前报送初报,请督促。"
    ),
    "disaster_update_due": Event(
        "续报提醒", "「{event_name}」请于今天 {due_at} 前报送{region_name}的续报。"
    ),
    "tip_verified": Event(
        "随手拍已核实", "感谢您的随手拍,经核实已纳入「{event_name}」{region_name}的灾情处置。"
    ),
    "tip_dismissed": Event("随手拍未采纳", "您的随手拍未被采纳:{reason}。感谢您的关注。"),
    "appointment_reminder": Event(
        "预约提醒",
        "您预约了明天({date}){period_label}在{office_name}办理{service_label},"
        "请双方携带身份证按时到场。",
    ),
}


def notify(session: Session, user: User, event: str, data: dict[str, Any]) -> Notification:
    """Tell `user` about `event` (a key of `EVENTS`), within the caller's transaction.

    `data` holds the fields the event's templates name (see `EVENTS`) and the ids a
    client needs to open the subject (`application_id`, …); it is stored with the
    notification, so it must carry no personal data (identity or phone numbers).
    Nothing is sent before the caller commits; a rollback sends nothing.
    """
    title, body = render(event, data)
    notification = Notification(user_id=user.id, event=event, title=title, body=body, data=data)
    session.add(notification)
    deliveries = [
        NotificationDelivery(notification=notification, channel=channel.name)
        for channel in configured_channels()
        if channel.reaches(user)
    ]
    session.add_all(deliveries)
    session.flush()
    for delivery in deliveries:
        after_commit.call(session, request_delivery, delivery.id)
    return notification


def render(event: str, data: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of `event` (a key of `EVENTS`) over `data`."""
    template = EVENTS[event]
    return template.title.format_map(data), template.body.format_map(data)


def text_to_phone(session: Session, phone: str, event: str, data: dict[str, Any]) -> bool:
    """Tell someone with no account about `event` by a text to `phone`, when the `sms`
    channel is configured; return whether a text was sent.

    It is sent within the caller's transaction (the outbox row commits with it), so
    the caller's own guard decides that it goes out once; there is no delivery row,
    since there is no notification to hang it on.
    """
    if SmsChannel.name not in current_app.config["NOTIFICATION_CHANNELS"]:
        return False
    sms.sender().send(session, phone, sms.notice_text(*render(event, data)), purpose=SMS_PURPOSE)
    return True


# ---- channels ------------------------------------------------------------------------


class Channel(Protocol):
    name: str

    def reaches(self, user: User) -> bool:
        """Whether this channel has a way to this user (an openid, a phone, …)."""

    def send(self, session: Session, user: User, notification: Notification) -> None:
        """Send it now, within `session`'s transaction; raise to have the job retry."""


class ConsoleChannel:
    """Development: the message appears in the worker's log."""

    name = "console"

    def reaches(self, user: User) -> bool:
        return True

    def send(self, session: Session, user: User, notification: Notification) -> None:
        log.info("notification %s to user %s: %s", notification.id, user.id, notification.title)


SMS_PURPOSE = "notification"  # of the text, in `sms_outbox`


class SmsChannel:
    """A text to the account's phone, through the configured `SMS_BACKEND`."""

    name = "sms"

    def reaches(self, user: User) -> bool:
        return user.phone_cipher is not None

    def send(self, session: Session, user: User, notification: Notification) -> None:
        text = sms.notice_text(notification.title, notification.body)
        sms.sender().send(session, phone_of(user), text, purpose=SMS_PURPOSE)


class WeChatChannel:
    """A subscribe message to the account's openid (it signed in through the mini
    program), through the configured `WECHAT_MESSAGE_BACKEND`."""

    name = "wechat"

    def reaches(self, user: User) -> bool:
        return bool(user.wechat_openid)

    def send(self, session: Session, user: User, notification: Notification) -> None:
        wechat.message_sender().send(user.wechat_openid, notification.title, notification.body)


CHANNELS: dict[str, Channel] = {
    channel.name: channel for channel in (ConsoleChannel(), SmsChannel(), WeChatChannel())
}


def configured_channels() -> list[Channel]:
    # `check_settings` refused unknown names at start-up; this catches settings changed
    # on a running app.
    names = current_app.config["NOTIFICATION_CHANNELS"]
    unknown = set(names) - set(CHANNELS)
    if unknown:
        raise RuntimeError(f"NOTIFICATION_CHANNELS names unknown channels: {sorted(unknown)}")
    return [CHANNELS[name] for name in names]


# ---- sending after commit -----------------------------------------------------------


def request_delivery(delivery_id: int) -> bool:
    """Queue the sending job; with Redis down the row waits for the sweeper."""
    try:
        enqueue("notifications.deliver", delivery_id)
    except RedisError:
        log.warning("delivery %s not queued (Redis unavailable); the sweeper will", delivery_id)
        return False
    return True


def deliver(session: Session, delivery_id: int) -> NotificationDelivery | None:
    """Send one delivery through its channel; a sent one is not sent again."""
    delivery = session.get(NotificationDelivery, delivery_id)
    if delivery is None or delivery.status != DeliveryStatus.PENDING:
        return None
    delivery.attempts += 1
    notification = delivery.notification
    user = session.get(User, notification.user_id)
    CHANNELS[delivery.channel].send(session, user, notification)
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = clock.now()
    return delivery


def give_up(session: Session, delivery_id: int, error: BaseException) -> None:
    """The job's last try failed: record it (the inbox still holds the message)."""
    delivery = session.get(NotificationDelivery, delivery_id)
    if delivery is not None and delivery.status == DeliveryStatus.PENDING:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = type(error).__name__[:200]


def sweep(session: Session, now: datetime | None = None) -> list[int]:
    """Re-enqueue deliveries still pending after SWEEP_AFTER_MINUTES."""
    stale_before = (now or clock.now()) - timedelta(
        minutes=current_app.config["SWEEP_AFTER_MINUTES"]
    )
    stuck = session.scalars(
        select(NotificationDelivery.id)
        .where(
            NotificationDelivery.status == DeliveryStatus.PENDING,
            NotificationDelivery.created_at < stale_before,
        )
        .order_by(NotificationDelivery.id)
        .limit(1000)
    )
    return [delivery_id for delivery_id in stuck if request_delivery(delivery_id)]


# ---- the inbox ----------------------------------------------------------------------


def inbox(user: User, unread_only: bool = False) -> Select:
    """The user's notifications (paged by the caller, newest first)."""
    query = select(Notification).where(Notification.user_id == user.id)
    return query.where(Notification.read_at.is_(None)) if unread_only else query


def mark_read(session: Session, user: User, notification_id: int) -> Notification:
    notification = session.scalar(
        select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id
        )
    )
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = clock.now()
    return notification


def mark_all_read(session: Session, user: User) -> int:
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def unread_count(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count()).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    )
