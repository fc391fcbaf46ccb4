"""How an original file is announced when staff download it."""

from __future__ import annotations

from backend.models.attachment import Attachment, AttachmentStatus

UNKNOWN = "application/octet-stream"


def original_type(attachment: Attachment) -> str:
    """The type the content showed, for a file that passed its checks; anything else
    (rejected, or never checked) is served as bytes, never as what it claims to be."""
    if attachment.status != AttachmentStatus.READY or not attachment.content_type:
        return UNKNOWN
    return attachment.content_type
