"""What kind of file an upload really is, worked out from its bytes."""

from __future__ import annotations

import io
import zipfile

import pytest

from portal.meetings import paper_files
from tests.papers_data import EXE_BYTES, PDF_BYTES, PNG_BYTES, odt_bytes, office_bytes


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF_BYTES, paper_files.PDF),
        (PNG_BYTES, paper_files.PNG),
        (b"\xff\xd8\xff\xdb" + b"\x00" * 8, paper_files.JPEG),
        (office_bytes("word/document.xml"), paper_files.DOCX),
        (office_bytes("xl/workbook.xml"), paper_files.XLSX),
        (office_bytes("ppt/presentation.xml"), paper_files.PPTX),
        (odt_bytes(), paper_files.ODT),
        ("Notes with an accent: café\r\n".encode(), paper_files.TXT),
        ("\ufeffText saved with a byte-order mark".encode(), paper_files.TXT),
    ],
)
def test_accepted_files_are_recognised_from_their_content(
    data: bytes, kind: paper_files.FileKind
) -> None:
    assert paper_files.detect_kind(data) is kind


@pytest.mark.parametrize(
    "data",
    [
        EXE_BYTES,
        b"\x7fELF\x02\x01\x01" + b"\x00" * 20,
        _zip(
            {
                "[Content_Types].xml": "<Types/>",
                "word/document.xml": "<d/>",
                "word/vbaProject.bin": "macros",
            }
        ),
        _zip({"readme.txt": "just a zip"}),
        _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}),
        b"PK\x03\x04 broken archive",
        b"text with a bell \x07 in it",
        b"\xff\xfe\x00t\x00e\x00x\x00t",
    ],
    ids=[
        "windows program",
        "linux program",
        "word with macros",
        "plain zip",
        "opendocument spreadsheet",
        "broken zip",
        "control characters",
        "utf-16",
    ],
)
def test_other_files_are_not_recognised(data: bytes) -> None:
    assert paper_files.detect_kind(data) is None


def test_the_download_name_is_the_uploaders_name_ending_as_the_content_is() -> None:
    assert paper_files.download_name("Summary.PDF", ".pdf") == "Summary.pdf"
    assert paper_files.download_name(r"C:\Users\amina\Plan: v2?.docx", ".docx") == "Plan v2.docx"
    assert paper_files.download_name("../../etc/passwd", ".txt") == "passwd.txt"
    assert paper_files.download_name('"\n".pdf', ".pdf") == "paper.pdf"


def test_stored_names_are_only_ever_our_own() -> None:
    for bad in ("../secret", "", "ABC", "a/b"):
        with pytest.raises(FileNotFoundError):
            paper_files.path_of(bad)
