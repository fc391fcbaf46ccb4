"""Scanned documents as PDF: accept pages, refuse anything that acts.

A PDF that runs script, launches programs, opens URLs on opening or carries files
inside is refused outright; an accepted one is rewritten page by page, so what
staff open holds the pages and nothing of the original document's catalogue, and
without annotations: a scan needs none, and a link (`/URI`, `/GoToR`, `/Launch`)
one click away from staff is how a phishing page or a program would reach them.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from backend.services.images import Rejected

MAGIC = b"%PDF-"
# Names that make a PDF do something rather than show something.
ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",
        "/JS",
        "/OpenAction",
        "/AA",
        "/Launch",
        "/EmbeddedFiles",
        "/EmbeddedFile",
        "/RichMedia",
        "/XFA",
        "/SubmitForm",
        "/ImportData",
    }
)

CORRUPT = "PDF 文件已损坏,请重新导出后上传"
ENCRYPTED = "PDF 文件设置了密码,请去掉密码后上传"
ACTIVE = "PDF 文件含有脚本或附件,不能接收;请直接拍照上传或重新导出为普通 PDF"
TOO_COMPLEX = "PDF 文件结构过于复杂,请直接拍照上传"


@dataclass(frozen=True)
class PdfLimits:
    max_pages: int = 30
    max_objects: int = 200_000  # bounds the walk, whatever the file's references do


@dataclass(frozen=True)
class CleanPdf:
    pages: int
    review: bytes  # the rewritten document


def process_pdf(path: str | Path, limits: PdfLimits) -> CleanPdf:
    """Check the PDF at `path` and rewrite its pages; `Rejected` says why not."""
    with open(path, "rb") as file:
        if file.read(len(MAGIC)) != MAGIC:
            raise Rejected(CORRUPT)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise Rejected(ENCRYPTED)
        if _has_active_content(reader, limits.max_objects):
            raise Rejected(ACTIVE)
        pages = len(reader.pages)
        if pages == 0:
            raise Rejected(CORRUPT)
        if pages > limits.max_pages:
            raise Rejected(f"PDF 页数过多(最多 {limits.max_pages} 页),请分开上传")
        return CleanPdf(pages=pages, review=_rewrite(reader))
    except Rejected:
        raise
    except Exception:
        # pypdf's failures on hostile files are as varied as the files themselves.
        raise Rejected(CORRUPT) from None


def _has_active_content(reader: PdfReader, max_objects: int) -> bool:
    """Walk every object reachable from the trailer, once each, looking for actions."""
    stack: list = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            reference = (node.idnum, node.generation)
            if reference in seen:
                continue
            seen.add(reference)
            node = node.get_object()
        visited += 1
        if visited > max_objects:
            raise Rejected(TOO_COMPLEX)
        if isinstance(node, NameObject) and node in ACTIVE_NAMES:
            return True
        if isinstance(node, DictionaryObject):
            # dict.items: the raw values, so references are followed here, once.
            for key, value in dict.items(node):
                if key in ACTIVE_NAMES:
                    return True
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(list.__iter__(node))
    return False


def _rewrite(reader: PdfReader) -> bytes:
    writer = PdfWriter()
    for page in reader.pages:
        if "/Annots" in page:
            del page[NameObject("/Annots")]  # before copying: nothing of them is written
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
