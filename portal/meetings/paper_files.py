"""Meeting paper files: what kind of file an upload really is, and where it is kept.

The kind is worked out from the bytes, never from the name or the browser's say-so: a program
renamed ``agenda.pdf`` is still a program. Office files are zip archives, so we look inside for
the parts each format must have. Files are stored under a random name in the papers folder;
their real names are kept only in the database.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask import current_app


@dataclass(frozen=True)
class FileKind:
    name: str  # what people call it: "PDF", "Word document"
    extensions: tuple[str, ...]  # the first is the one used when the file is downloaded
    content_type: str


PDF = FileKind("PDF", (".pdf",), "application/pdf")
DOCX = FileKind(
    "Word document",
    (".docx",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "Excel spreadsheet",
    (".xlsx",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
PPTX = FileKind(
    "PowerPoint presentation",
    (".pptx",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)
ODT = FileKind("OpenDocument text", (".odt",), "application/vnd.oasis.opendocument.text")
TXT = FileKind("text file", (".txt",), "text/plain; charset=utf-8")
PNG = FileKind("PNG picture", (".png",), "image/png")
JPEG = FileKind("JPEG picture", (".jpg", ".jpeg"), "image/jpeg")

ACCEPTED: tuple[FileKind, ...] = (PDF, DOCX, XLSX, PPTX, ODT, TXT, PNG, JPEG)
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(ext for kind in ACCEPTED for ext in kind.extensions)

# The part each Office Open XML format cannot do without.
_OOXML_MAIN_PARTS = {
    "word/document.xml": DOCX,
    "xl/workbook.xml": XLSX,
    "ppt/presentation.xml": PPTX,
}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def _zip_kind(data: bytes) -> FileKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                info = archive.getinfo("mimetype")
                if info.file_size <= 100 and archive.read("mimetype").strip() == _ODT_MIMETYPE:
                    return ODT
                return None
            if "[Content_Types].xml" not in names:
                return None
            # Files with macros (word/vbaProject.bin …) are a different, riskier format.
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                return None
            for part, kind in _OOXML_MAIN_PARTS.items():
                if part in names:
                    return kind
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError):
        return None
    return None


def _is_plain_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return controls == 0


def detect_kind(data: bytes) -> FileKind | None:
    """The accepted kind of file these bytes are, or None when they are none of them."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if _is_plain_text(data):
        return TXT
    return None


def extension_of(filename: str) -> str:
    return os.path.splitext(filename)[1].lower()


def download_name(original_name: str, kind_extension: str) -> str:
    """The name a downloaded file gets: the uploader's name, ending as its content really is."""
    stem = os.path.splitext(os.path.basename(original_name.replace("\\", "/")))[0].strip()
    cleaned = "".join(char for char in stem if char.isprintable() and char not in '"/\\:*?<>|')
    return (cleaned or "paper")[:150] + kind_extension


def papers_folder() -> Path:
    configured = current_app.config.get("PAPERS_FOLDER") or ""
    return Path(configured or os.path.join(current_app.instance_path, "papers"))


def store(data: bytes) -> str:
    """Write the bytes under a new random name in the papers folder; returns that name.

    Written to a temporary name first and then renamed, so a half-written file is never
    found under a name the database knows.
    """
    folder = papers_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    partial = folder / f".{name}.part"
    partial.write_bytes(data)
    os.replace(partial, folder / name)
    return name


def path_of(stored_name: str) -> Path:
    # Stored names are ours (hex), never user input; still, refuse anything that is not.
    if not stored_name or any(char not in "0123456789abcdef" for char in stored_name):
        raise FileNotFoundError(stored_name)
    return papers_folder() / stored_name


def discard(stored_name: str) -> None:
    """Remove a stored file whose database row was never committed."""
    try:
        path_of(stored_name).unlink()
    except FileNotFoundError:
        pass
