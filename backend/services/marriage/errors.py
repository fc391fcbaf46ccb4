"""The finer 409 codes booking answers with, so that a client can tell them apart."""

from backend.errors import Conflict


class SlotFull(Conflict):
    code = "slot_full"

    def __init__(self, message: str = "该时段已约满,请选择其他时段"):
        super().__init__(message)


class DuplicateBooking(Conflict):
    code = "duplicate_booking"

    def __init__(self, message: str = "已有一个未办理的同类预约,请先取消或办理后再约"):
        super().__init__(message)
