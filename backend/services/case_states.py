"""Where a benefit case stands: every status a programme's table may use, and the
groups of them the rules read (over, paid, the applicant side's to correct)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # 收件
    RETURNED = "returned"  # 退回补正
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"  # 受理
    INVESTIGATED = "investigated"  # 入户调查
    PUBLICIZING = "publicizing"  # 公示
    PENDING_CONFIRMATION = "pending_confirmation"  # with the county for its decision
    REJECTION_PROPOSED = "rejection_proposed"  # the township finds the applicant ineligible
    APPROVED = "approved"
    REJECTED = "rejected"  # 不予批准
    UNDER_REREVIEW = "under_rereview"  # 复核
    EXITING = "exiting"  # 渐退
    TERMINATED = "terminated"


# A case in one of these is over: nothing more happens to it.
FINAL = frozenset({Status.WITHDRAWN, Status.REJECTED, Status.TERMINATED})
# 保障中: paid, whether or not a re-review or a gradual exit is under way.
PAID = frozenset({Status.APPROVED, Status.UNDER_REREVIEW, Status.EXITING})
# 补正: the applicant side corrects its case before submitting it, or once it is returned.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Decisions against the applicant: each states the way to appeal.
APPEALABLE = frozenset({Status.REJECTED, Status.EXITING, Status.TERMINATED})
# The township has done its part; the county's decision deadline runs.
AWAITING_DECISION = frozenset(
    {Status.PUBLICIZING, Status.PENDING_CONFIRMATION, Status.REJECTION_PROPOSED}
)
# Not yet decided, not withdrawn: the office still has the case before it.
OPEN = frozenset(Status) - FINAL - PAID
