"""The shared import machinery: encodings, bad files, line numbers."""

import pytest

from pep_portal.imports.framework import ImportRejected, detect_encoding, read_csv_rows


def write(tmp_path, data: bytes, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (b"\xef\xbb\xbfURN,Name\r\n1,St Mary\xe2\x80\x99s\r\n", "utf-8-sig"),
        (b"URN,Name\n1,Caf\xc3\xa9\n", "utf-8"),
        (b"URN,Name\r\n1,St Thomas\x92 School\r\n", "cp1252"),
    ],
)
def test_detects_the_encodings_published_files_come_in(tmp_path, data, encoding):
    assert detect_encoding(write(tmp_path, data)) == encoding


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"   \r\n\r\n", "empty"),
        (b"PK\x03\x04rest-of-zip", "Excel"),
        (b"%PDF-1.7\n...", "PDF"),
        (b"\xff\xfeU\x00R\x00N\x00", "binary"),
    ],
)
def test_rejects_files_that_are_not_csv_text(tmp_path, data, words):
    with pytest.raises(ImportRejected) as exc:
        detect_encoding(write(tmp_path, data))
    assert words in str(exc.value)


def test_undecodable_bytes_are_reported_with_their_line(tmp_path):
    path = write(tmp_path, b"URN,Name\n1,Ok\n2,Bad \x81 byte\n")
    with pytest.raises(ImportRejected) as exc:
        detect_encoding(path)
    assert exc.value.errors[0].row == 3
    assert "0x81" in exc.value.errors[0].message


def test_a_bom_file_with_non_utf8_bytes_is_rejected(tmp_path):
    with pytest.raises(ImportRejected) as exc:
        detect_encoding(write(tmp_path, b"\xef\xbb\xbfURN\n1\n\x92\n"))
    assert "byte-order mark" in str(exc.value)


def test_rows_carry_spreadsheet_line_numbers_and_skip_blank_lines(tmp_path):
    path = write(tmp_path, b'\xef\xbb\xbf"URN","Name"\r\n1,A\r\n\r\n2,"B, with comma"\r\n')
    header, rows = read_csv_rows(path)
    assert header == ["URN", "Name"]
    assert list(rows) == [(2, ["1", "A"]), (4, ["2", "B, with comma"])]
