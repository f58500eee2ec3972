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


# --- No file left open (issue 17) ---------------------------------------------------------


@pytest.fixture
def opened(monkeypatch):
    """Every file the framework opens, to check each is closed when it should be."""
    from pep_portal.imports import framework

    files = []

    def recording_open(*args, **kwargs):
        fh = open(*args, **kwargs)  # noqa: SIM115
        files.append(fh)
        return fh

    monkeypatch.setattr(framework, "open", recording_open, raising=False)
    return files


def test_a_refused_header_leaves_no_file_open(tmp_path, opened):
    # An importer refuses the header straight after reading it, never iterating the rows:
    # the file stayed open until the rows were garbage collected.
    from pep_portal.imports.framework import check_header

    header, rows = read_csv_rows(write(tmp_path, b"Name,Town\nSt Mary's,Portsmouth\n"))
    with pytest.raises(ImportRejected, match="'URN'"):
        check_header(header, ["URN"], layout="a register extract")
    assert opened and all(fh.closed for fh in opened)


def test_the_rows_open_the_file_while_read_and_close_it_at_the_end(tmp_path, opened):
    header, rows = read_csv_rows(write(tmp_path, b"URN,Name\n1,A\n\n2,B\n"))
    assert all(fh.closed for fh in opened)
    assert next(rows) == (2, ["1", "A"])
    assert [fh.closed for fh in opened][-1] is False
    assert list(rows) == [(4, ["2", "B"])]
    assert all(fh.closed for fh in opened)
    _, rows = read_csv_rows(write(tmp_path, b"URN,Name\n1,A\n2,B\n"))
    next(rows)
    rows.close()  # an importer that stops part way
    assert all(fh.closed for fh in opened)


def test_an_importer_refusing_a_header_leaves_no_file_open(tmp_path, opened, db):
    from pep_portal.imports.services import import_file

    path = write(tmp_path, b"school,year\n100000,2017\n")
    with pytest.raises(ImportRejected, match="urn"):
        import_file(kind="soft_intelligence", path=str(path))
    assert opened and all(fh.closed for fh in opened)


def test_a_header_below_title_lines_reads_the_rows_after_it(tmp_path, opened):
    from pep_portal.imports.framework import read_csv_table

    path = write(tmp_path, b"Inspections,,\nSource: Ofsted,,\nURN,Date,Grade\n1,2017-01-01,2\n")
    line, header, rows = read_csv_table(path, is_header=lambda cells: "URN" in cells)
    assert (line, header) == (3, ["URN", "Date", "Grade"])
    assert list(rows) == [(4, ["1", "2017-01-01", "2"])]
    # No header found: line 1 is the header and the lines read looking for one are rows.
    line, header, rows = read_csv_table(path, is_header=lambda cells: "Phase" in cells)
    assert (line, header) == (1, ["Inspections", "", ""])
    assert [n for n, _ in rows] == [2, 3, 4]
    assert all(fh.closed for fh in opened)
