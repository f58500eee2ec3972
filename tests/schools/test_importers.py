"""The GIAS importer on small files in both real layouts, and every kind of bad file."""

import datetime as dt
from decimal import Decimal

import pytest

from pep_portal.imports.framework import ImportRejected
from pep_portal.imports.services import import_file
from schools.importers import register
from schools.models import LocalAuthority, OfstedInspection, School, Trust

from .conftest import FULL, NAMES_ONLY, NEWER, register_counts

pytestmark = pytest.mark.django_db


def gias(path, **options):
    return import_file(kind="gias", path=str(path), **options)


def rejected(path, **options) -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        gias(path, **options)
    return [str(e) for e in exc.value.errors]


# --- the full edubasealldata layout (UTF-8 with BOM, CRLF, every field quoted) ----------


def test_full_layout_imports_every_school_with_its_register_facts():
    summary = gias(FULL)

    assert summary["layout"] == "full (code and name columns)"
    assert summary["rows"] == 7
    assert summary["created"] == 7
    infant = School.objects.get(urn=116001)
    assert infant.name == "Harbour Infant School"
    assert infant.la.code == 851 and infant.la.name == "Portsmouth"
    assert infant.laestab == "8512001"
    assert infant.phase == "primary"
    assert infant.category == "la_maintained"
    assert infant.establishment_type == "Community school"
    assert infant.age_range == "4-7"
    assert infant.pupils_on_roll == 270
    assert infant.percent_fsm == Decimal("21.40")
    assert infant.percent_sen == Decimal("16.67")  # (5 EHCP + 40 SEN support) / 270
    assert infant.ukprn == 10071234
    assert infant.trust is None
    assert infant.status == School.Status.OPEN


def test_full_layout_reads_trusts_by_gias_uid_and_their_type():
    gias(FULL)

    solent = Trust.objects.get(uid=16001)
    assert solent.name == "Solent Tide Academy Trust"
    assert solent.trust_type == Trust.TrustType.MAT
    assert set(solent.schools.values_list("urn", flat=True)) == {140001, 140002}
    assert Trust.objects.get(uid=16002).trust_type == Trust.TrustType.SAT
    academy = School.objects.get(urn=140001)
    assert academy.category == "academy_converter"
    assert academy.open_date == dt.date(2013, 9, 1)
    assert academy.postcode == "PO3 5BZ"  # normalised from "po3 5bz"
    assert School.objects.get(urn=140002).pupils_on_roll == 1104  # "1,104"


def test_full_layout_keeps_religious_character_and_diocese_and_blanks_not_applicable():
    gias(FULL)

    church = School.objects.get(urn=116002)
    assert church.name == "St Jude’s Church of England Primary School"
    assert church.religious_character == "Church of England"
    assert church.diocese == "Diocese of Portsmouth"
    assert School.objects.get(urn=116001).diocese == ""
    assert School.objects.get(urn=116001).religious_character == ""


def test_closed_schools_are_imported_with_their_close_date():
    gias(FULL)

    closed = School.objects.get(urn=116003)
    assert closed.status == School.Status.CLOSED
    assert closed.close_date == dt.date(2019, 8, 31)


def test_special_school_with_suppressed_fsm_and_no_pupil_count_stores_empty_not_zero():
    gias(FULL)

    special = School.objects.get(urn=116004)
    assert special.category == "special"
    assert special.phase == "not_applicable"
    assert special.pupils_on_roll is None
    assert special.percent_fsm is None


def test_ofsted_columns_give_graded_and_ungraded_inspections_without_inventing_a_grade():
    summary = gias(FULL)

    assert summary["Ofsted inspections added"] == 5
    good = OfstedInspection.objects.get(school__urn=116001)
    assert good.inspection_date == dt.date(2019, 3, 12)
    assert good.overall_effectiveness == 2 and good.framework == "graded"
    assert OfstedInspection.objects.get(school__urn=140002).overall_effectiveness == 4
    ungraded = OfstedInspection.objects.get(school__urn=116002)
    assert ungraded.inspection_date == dt.date(2025, 1, 14)
    assert ungraded.overall_effectiveness is None
    assert ungraded.framework == "ungraded"
    assert not OfstedInspection.objects.filter(school__urn=116003).exists()


def test_a_known_la_keeps_the_partnership_settings():
    LocalAuthority.objects.create(
        code=851, name="Portsmouth", in_partnership=True, gss_code="E06000044"
    )
    summary = gias(FULL)

    assert summary["local authorities created"] == 1  # Southampton only
    la = LocalAuthority.objects.get(code=851)
    assert la.in_partnership and la.gss_code == "E06000044"


# --- the names-only download (Windows-1252, LF, quoted only where needed) -------------


def test_names_only_layout_in_windows_1252_imports_with_curly_apostrophes_and_accents():
    summary = gias(NAMES_ONLY)

    assert summary["layout"] == "names only"
    assert summary["created"] == 4
    assert School.objects.get(urn=116010).name == "St Thomas’ Catholic Primary School"
    assert School.objects.get(urn=140010).name == "Saint-Étienne Harbour Academy"
    assert School.objects.get(urn=116011).name == "Eastney Café Lane Primary School"
    assert School.objects.get(urn=116011).status == School.Status.PROPOSED_TO_CLOSE
    assert School.objects.get(urn=116010).religious_character == "Roman Catholic"


def test_names_only_layout_matches_trusts_by_name_without_a_code():
    summary = gias(NAMES_ONLY)

    assert summary["trusts created"] == 1
    trust = Trust.objects.get()
    assert trust.uid is None
    assert trust.name == "Solent Tide Academy Trust"
    assert set(trust.schools.values_list("urn", flat=True)) == {140010, 140011}


def test_names_only_file_finds_the_trust_a_full_file_created():
    gias(FULL)
    summary = gias(NAMES_ONLY)

    assert summary["trusts created"] == 0
    solent = Trust.objects.get(uid=16001)
    assert set(solent.schools.values_list("urn", flat=True)) == {140001, 140002, 140010, 140011}


def test_a_trust_first_known_by_name_gets_its_uid_from_a_later_full_file():
    gias(NAMES_ONLY)
    gias(FULL)

    assert Trust.objects.filter(name="Solent Tide Academy Trust").count() == 1
    assert Trust.objects.get(name="Solent Tide Academy Trust").uid == 16001


def test_names_only_file_leaves_fields_it_does_not_carry_alone(write_csv):
    gias(FULL)
    header = ["URN", "LA (code)", "EstablishmentName", "TypeOfEstablishment (name)",
              "EstablishmentStatus (name)", "PhaseOfEducation (name)"]  # fmt: skip
    path = write_csv(header, [{"URN": "116001", "LA (code)": "851",
        "EstablishmentName": "Harbour Infant School", "TypeOfEstablishment (name)": "Community school",
        "EstablishmentStatus (name)": "Open", "PhaseOfEducation (name)": "Primary"}])  # fmt: skip

    summary = gias(path)

    assert summary["unchanged"] == 1
    assert School.objects.get(urn=116001).pupils_on_roll == 270


# --- idempotency, newer files, closures, the LA filter ----------------------------------


def test_importing_the_same_file_twice_changes_nothing():
    gias(FULL)
    before = register_counts()
    stamps = dict(School.objects.values_list("urn", "updated_at"))

    summary = gias(FULL)

    assert summary["created"] == 0 and summary["updated"] == 0
    assert summary["unchanged"] == 7
    assert summary["trusts created"] == 0 and summary["Ofsted inspections added"] == 0
    assert register_counts() == before
    assert dict(School.objects.values_list("urn", "updated_at")) == stamps


def test_a_newer_file_updates_by_urn_records_closures_and_deletes_nothing():
    gias(FULL)

    summary = gias(NEWER)

    assert summary["created"] == 1
    assert summary["updated"] == 2
    assert summary["unchanged"] == 4
    assert summary["closed"] == 1
    assert School.objects.get(urn=116001).pupils_on_roll == 285
    special = School.objects.get(urn=116004)
    assert special.status == School.Status.CLOSED
    assert special.close_date == dt.date(2024, 12, 31)
    # Not in the newer file: kept as it was.
    assert School.objects.get(urn=140002).status == School.Status.OPEN
    assert School.objects.count() == 8
    assert School.objects.get(urn=150123).trust.name == "Admiralty Special Schools Trust"


def test_la_filter_imports_only_the_chosen_local_authorities():
    summary = gias(FULL, la_codes=[852])

    assert summary["created"] == 1
    assert summary["skipped (other LAs)"] == 6
    assert list(School.objects.values_list("urn", flat=True)) == [116500]
    assert not LocalAuthority.objects.filter(code=851).exists()


def test_la_filter_ignores_bad_rows_of_other_authorities(full_rows, write_csv):
    header, rows = full_rows
    rows[0]["NumberOfPupils"] = "lots"  # a Portsmouth row
    path = write_csv(header, rows)

    assert gias(path, la_codes=["852"])["created"] == 1


# --- bad files: a clear message naming row and column, and nothing written -------------


@pytest.fixture
def existing_register():
    """A register already holding the full sample: a bad file must leave it exactly so."""
    gias(FULL)
    return register_counts()


def test_missing_required_column_is_named(full_rows, write_csv, existing_register):
    header, rows = full_rows
    header = [h for h in header if h != "PhaseOfEducation (name)"]

    errors = rejected(write_csv(header, rows))

    assert errors == [
        "row 1: This does not look like a GIAS establishment CSV: the header is missing the "
        "column(s) 'PhaseOfEducation (name)'."
    ]
    assert register_counts() == existing_register


def test_repeated_column_is_named(full_rows, write_csv, existing_register):
    header, rows = full_rows
    header = [*header, "URN"]  # DictWriter writes the URN again in the last column

    errors = rejected(write_csv(header, rows))

    assert errors == ["row 1: The header repeats the column(s) 'URN': give each column once."]
    assert register_counts() == existing_register


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, "Excel (.xlsx)"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"", "The file is empty."),
        (b"   \r\n\r\n", "The file is empty."),
    ],
    ids=["xlsx", "pdf", "empty", "blank"],
)
def test_files_that_are_not_csv_are_rejected(tmp_path, content, expected, existing_register):
    path = tmp_path / "upload.csv"
    path.write_bytes(content)

    errors = rejected(path)

    assert len(errors) == 1 and expected in errors[0]
    assert register_counts() == existing_register


def test_undecodable_bytes_are_rejected_naming_the_row(tmp_path, existing_register):
    lines = FULL.read_bytes().split(b"\r\n")
    lines[3] = lines[3].replace(b"Cosham", b"Cos\x81ham")  # row 4: not UTF-8, not cp1252
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\r\n".join(lines[0:1]).replace(b"\xef\xbb\xbf", b"") + b"\r\n"
                     + b"\r\n".join(lines[1:]))  # fmt: skip

    errors = rejected(path)

    assert len(errors) == 1
    assert errors[0].startswith("row 4:")
    assert "neither UTF-8 nor Windows-1252" in errors[0]
    assert register_counts() == existing_register


def test_non_utf8_bytes_after_a_utf8_bom_are_rejected(tmp_path, existing_register):
    path = tmp_path / "bad.csv"
    path.write_bytes(FULL.read_bytes().replace("O’Connor".encode(), b"O\x92Connor", 1))

    errors = rejected(path)

    assert errors[0].startswith("row 2:") and "not UTF-8" in errors[0]
    assert register_counts() == existing_register


def test_duplicate_urns_are_rejected_naming_both_rows(full_rows, write_csv, existing_register):
    header, rows = full_rows
    rows.append(dict(rows[1], NumberOfPupils="999"))  # 140001 again, as row 9

    errors = rejected(write_csv(header, rows))

    assert errors == [
        "row 9, column 'URN': URN 140001 appears twice in the file: rows 3 and 9. "
        "Each school must appear once."
    ]
    assert register_counts() == existing_register


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("NumberOfPupils", "about 300", "'about 300' is not a whole number."),
        ("StatutoryLowAge", "4.5", "'4.5' is not a whole number."),
        ("URN", "12A456", "'12A456' is not a whole number."),
        ("PercentageFSM", "12.3.4", "'12.3.4' is not a percentage."),
        ("PercentageFSM", "140", "'140' is not a percentage between 0 and 100."),
        ("OpenDate", "31-02-2019", "'31-02-2019' is not a date"),
        ("CloseDate", "2019/31/08", "'2019/31/08' is not a date"),
        ("OfstedLastInsp", "March 2019", "'March 2019' is not a date"),
        ("OfstedRating (name)", "Very good", "'Very good' is not an Ofsted overall"),
        ("PhaseOfEducation (name)", "Tertiary", "'Tertiary' is not a GIAS phase"),
        ("EstablishmentStatus (name)", "Shut", "'Shut' is not a GIAS establishment status"),
        ("EstablishmentName", "", "The establishment name is blank."),
    ],
)
def test_malformed_cells_are_rejected_naming_row_and_column(
    full_rows, write_csv, existing_register, column, value, message
):
    header, rows = full_rows
    rows[2][column] = value  # the third school: row 4 of the file

    errors = rejected(write_csv(header, rows))

    assert len(errors) == 1
    assert errors[0].startswith(f"row 4, column '{column}': {message}")
    assert register_counts() == existing_register


def test_every_bad_row_is_reported_not_just_the_first(full_rows, write_csv):
    header, rows = full_rows
    rows[0]["NumberOfPupils"] = "x1"
    rows[4]["OpenDate"] = "yesterday"

    errors = rejected(write_csv(header, rows))

    assert [e.split(":")[0] for e in errors] == [
        "row 2, column 'NumberOfPupils'",
        "row 6, column 'OpenDate'",
    ]
    assert School.objects.count() == 0


def test_a_bad_row_after_batches_were_written_rolls_everything_back(
    full_rows, write_csv, monkeypatch, existing_register
):
    monkeypatch.setattr(register, "BATCH_SIZE", 2)  # write in batches before the bad row
    header, rows = full_rows
    for row in rows:
        row["NumberOfPupils"] = "500"
    rows.append(dict(rows[0], URN="160001", EstablishmentName="New School"))
    rows.append(dict(rows[0], URN="160002", OpenDate="not a date"))

    errors = rejected(write_csv(header, rows))

    assert errors[0].startswith("row 10, column 'OpenDate'")
    assert register_counts() == existing_register


def test_the_importer_alone_also_writes_nothing_for_a_bad_file(full_rows, write_csv):
    header, rows = full_rows
    rows[-1]["URN"] = "oops"
    with pytest.raises(ImportRejected):
        register.import_gias(write_csv(header, rows))
    assert School.objects.count() == 0 and Trust.objects.count() == 0


def test_header_only_file_is_rejected(full_rows, write_csv):
    header, _ = full_rows
    errors = rejected(write_csv(header, []))
    assert errors == ["row 2: The file has a header but no rows of schools."]


def test_a_row_with_more_fields_than_the_header_is_rejected(tmp_path):
    text = NAMES_ONLY.read_bytes().replace(b"PO4 9LB", b"PO4 9LB,extra,fields")
    path = tmp_path / "ragged.csv"
    path.write_bytes(text)

    errors = rejected(path)

    assert errors[0].startswith("row 5: This row has 23 fields but the header has 21")


# --- cut-short files (GIAS never publishes ragged rows) ---------------------------------


def test_a_row_cut_short_at_a_field_boundary_is_rejected_whole(tmp_path, existing_register):
    raw = FULL.read_bytes()
    lines = raw.split(b"\r\n")
    row = next(i for i, line in enumerate(lines) if line.startswith(b'"140001"'))
    lines[row] = b",".join(lines[row].split(b",")[:30])  # 30 of the header's fields
    path = tmp_path / "cut.csv"
    path.write_bytes(b"\r\n".join(lines))
    before = School.objects.filter(urn=140001).values("trust_id", "postcode", "ukprn").get()

    errors = rejected(path)

    width = len(lines[0].split(b","))
    assert errors == [
        f"row {row + 1}: This row has 30 fields but the header has {width} columns "
        "(the row is cut short)."
    ]
    assert register_counts() == existing_register
    assert School.objects.filter(urn=140001).values("trust_id", "postcode", "ukprn").get() == (
        before
    )
    assert before["postcode"]  # the school's trust, postcode and UKPRN were not blanked


def test_a_file_ending_inside_its_last_field_is_rejected(tmp_path, existing_register):
    raw = FULL.read_bytes()
    path = tmp_path / "cut.csv"
    path.write_bytes(raw[: raw.rindex(b'"United Kingdom"') + 7])  # ends inside "United..."

    errors = rejected(path)

    assert errors == [
        "The file ends inside a quoted value: the download was cut short. "
        "Download it again; nothing was imported."
    ]
    assert register_counts() == existing_register


def test_a_file_ending_without_its_last_line_break_is_rejected(tmp_path, existing_register):
    path = tmp_path / "cut.csv"
    path.write_bytes(NAMES_ONLY.read_bytes().rstrip(b"\r\n")[:-2])  # unquoted, cut mid-field

    errors = rejected(path)

    assert "ends in the middle of its last row" in errors[0]
    assert register_counts() == existing_register


# --- the layout reported, and LA names ----------------------------------------------------


def test_layout_is_reported_truthfully(write_csv):
    assert gias(FULL)["layout"] == "full (code and name columns)"
    assert gias(NAMES_ONLY)["layout"] == "names only"


def test_a_names_only_file_with_trust_uids_is_still_names_only(tmp_path):
    # The names-only download carries the trusts' UID ("Trusts (code)") like the full one.
    text = NAMES_ONLY.read_bytes().decode("cp1252").splitlines(keepends=True)
    text[0] = text[0].replace("Trusts (name)", "Trusts (code),Trusts (name)")
    text[1:] = [_insert_blank_before_trust(line, text[0]) for line in text[1:]]
    path = tmp_path / "names.csv"
    path.write_bytes("".join(text).encode("cp1252"))

    assert gias(path)["layout"] == "names only"


def _insert_blank_before_trust(line: str, header: str) -> str:
    import csv
    import io

    position = next(csv.reader([header])).index("Trusts (code)")
    fields = next(csv.reader([line]))
    if not fields:
        return line
    fields.insert(position, "")
    out = io.StringIO()
    csv.writer(out, lineterminator=line[len(line.rstrip("\r\n")) :] or "\n").writerow(fields)
    return out.getvalue()


def test_la_names_come_from_the_data():
    LocalAuthority.objects.create(code=851, name="LA 851")
    summary = gias(FULL)
    assert LocalAuthority.objects.get(code=851).name == "Portsmouth"
    assert summary["local authorities renamed (as GIAS names them)"] == 1
    assert gias(FULL)["local authorities renamed (as GIAS names them)"] == 0
