"""The one upload check (pep_portal.platform.uploads) that evidence, attachments and papers all pass.

Tested here once, by content; each app's own tests check only that it calls it and stores
nothing on a refusal.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from pep_portal.platform import uploads
from tests.hostile.ole import compound_file

MB = 1024 * 1024
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A real (if tiny) OLE compound file: 97-2003 files are opened to look for macros, so the
# 8-byte signature alone is no longer accepted.
OLE = compound_file([("Root Entry", 5, None, b""), ("Document", 2, 0, b"\x09\x08")])


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _ooxml(part: str, content_type: str = "document.main+xml") -> bytes:
    return _zip(
        {
            "[Content_Types].xml": f"<Types><Override ContentType='{content_type}'/></Types>",
            f"{part}document.xml": "<x/>",
        }
    )


def _odf(mimetype: str) -> bytes:
    return _zip({"mimetype": mimetype, "content.xml": "<office:document-content/>"})


def check(name: str, data: bytes, **kwargs) -> uploads.CheckedUpload:
    kwargs.setdefault("max_bytes", 10 * MB)
    return uploads.check_upload(SimpleUploadedFile(name, data), **kwargs)


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("Strategy.pdf", PDF, "application/pdf"),
        ("minutes.docx", _ooxml("word/"), "wordprocessingml.document"),
        ("data.xlsx", _ooxml("xl/"), "spreadsheetml.sheet"),
        ("slides.pptx", _ooxml("ppt/"), "presentationml.presentation"),
        ("old.doc", OLE, "application/msword"),
        ("old.xls", OLE, "application/vnd.ms-excel"),
        ("old.ppt", OLE, "application/vnd.ms-powerpoint"),
        ("report.odt", _odf("application/vnd.oasis.opendocument.text"), "opendocument.text"),
        ("sheet.ods", _odf("application/vnd.oasis.opendocument.spreadsheet"), "spreadsheet"),
        ("talk.odp", _odf("application/vnd.oasis.opendocument.presentation"), "presentation"),
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png"),
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg"),
        ("chart.gif", b"GIF89a" + b"\x00" * 20, "image/gif"),
        ("notes.txt", "Agreed – see minutes.\n".encode(), "text/plain"),
        ("schools.csv", "urn,name\n100001,Café School\n".encode("cp1252"), "text/csv"),
    ],
)
def test_accepted_files_are_typed_by_their_content(name, data, content_type):
    checked = check(name, data)
    assert content_type in checked.content_type
    assert checked.data == data and checked.size == len(data)
    assert checked.name == name


def test_the_browser_claimed_type_and_folder_are_ignored():
    upload = SimpleUploadedFile("C:\\Users\\head\\Desktop\\paper.pdf", PDF, "text/html")
    checked = uploads.check_upload(upload, max_bytes=MB)
    assert checked.name == "paper.pdf"
    assert checked.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "“empty.pdf” is empty."),
        ("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 40, "not a type of file the portal accepts"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "web page or markup"),
        ("page.txt", b"\xef\xbb\xbf \n<!DOCTYPE html><p>x</p>", "web page or markup"),
        ("logo.svg", b'<?xml version="1.0"?><svg></svg>', "web page or markup"),
        ("archive.docx", b"PK\x03\x04not really a zip", "not an Office or OpenDocument file"),
        ("photos.docx", _zip({"a.jpg": b"x"}), "not an Office or OpenDocument file"),
        ("macro.docx", _ooxml("word/", "macroEnabled.12"), "contains macros"),
        (
            "macro.xlsx",
            _zip({"[Content_Types].xml": "<Types/>", "xl/vbaProject.bin": b"x"}),
            "macros",
        ),
        (
            "notes.docx",
            PDF,
            "contains a PDF document but its name ends in “.docx”: rename it to end in .pdf",
        ),
        ("report", PDF, "files whose names end in “(nothing)” are not accepted"),
        ("run.exe", b"MZ", "files whose names end in “.exe” are not accepted"),
        ("control.txt", b"abc\x1b[31mred", "not a type of file"),
        ("latin.txt", b"caf\x81 \x8d", "not a type of file"),
    ],
)
def test_refusals_name_the_file_and_say_what_is_wrong(name, data, message):
    with pytest.raises(ValidationError) as caught:
        check(name, data)
    assert message in caught.value.messages[0]


def test_a_kind_the_caller_does_not_accept_is_refused_with_what_it_does():
    with pytest.raises(ValidationError) as caught:
        check("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, accept=uploads.DOCUMENTS)
    message = caught.value.messages[0]
    assert "“photo.png” is a PNG image, which is not accepted here." in message
    assert "PDF, Word, Excel, PowerPoint" in message and "PNG" not in message.split("Upload")[1]


def test_size_limit_is_checked_on_the_claimed_size_before_reading():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):  # pragma: no cover - the point is that it is never called
            raise AssertionError("an oversized upload was read")

    upload = Unreadable("big.pdf", PDF)
    upload.size = 30 * MB
    with pytest.raises(ValidationError, match="“big.pdf” is 30.0 MB; the limit is 20.0 MB."):
        uploads.check_upload(upload, max_bytes=20 * MB)


def test_size_limit_is_checked_on_the_bytes_when_the_claimed_size_lies():
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 5000)
    upload.size = 10  # what a misbehaving client might claim
    with pytest.raises(ValidationError, match="over the limit of 4 KB"):
        uploads.check_upload(upload, max_bytes=4096)


def test_a_utf8_character_cut_at_the_sample_end_is_still_text():
    data = ("a" * 65535 + "é").encode()  # the é straddles the 64 KB sample
    assert check("long.txt", data).kind is uploads.TEXT


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["a.pdf", "a.docx", "a.txt", "a.csv", "a", "a.exe"]), data=st.binary())
def test_any_bytes_are_either_accepted_as_a_known_kind_or_refused_with_a_message(name, data):
    try:
        checked = check(name, data, max_bytes=4096)
    except ValidationError as exc:
        refusal = exc.messages
        assert refusal[0].startswith("“a")  # noqa: PT017 (either outcome is allowed)
    else:
        assert checked.kind in uploads.ALL_KINDS
        assert "." + name.rsplit(".", 1)[-1] in checked.kind.extensions


def test_describe_reads_as_a_list():
    assert uploads.describe(uploads.DOCUMENTS) == (
        "PDF, Word, Excel, PowerPoint, Office 97-2003, OpenDocument or plain text (including CSV)"
    )
