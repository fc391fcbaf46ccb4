"""Phone photos on disk, for the file inputs (made with Pillow: sharp, evenly lit)."""

from pathlib import Path

from tests.attachments.files import encode, textured


def photo_files(folder: Path, *kinds: str) -> dict[str, Path]:
    files = {}
    for index, kind in enumerate(kinds):
        path = folder / f"{kind}.jpg"
        path.write_bytes(encode(textured(1200, 900, level=110 + 10 * index), "JPEG", quality=90))
        files[kind] = path
    return files
