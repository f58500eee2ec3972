"""The GIAS establishment CSV importer: the register of schools, trusts and LAs.

It runs through pep_portal.imports.services.import_file (one transaction per file) and also
opens its own atomic block, so a rejected file writes nothing however it is called.

The importer streams the file once: each row is parsed and validated; while no error
has been seen, rows are written in batches (bulk_create / bulk_update) against the existing
register, which is loaded once as a fingerprint per URN (URN -> id, status, hash of the
fields this file provides). At the end, any error rejects the whole file and the
transaction is rolled back, so nothing is half-written. Memory stays bounded: one batch of
rows plus a few small dicts keyed by URN, whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from pep_portal.imports.framework import (
    CellError,
    ErrorCollector,
    ImportRejected,
    check_header,
    read_csv_rows,
    register_importer,
)
from pep_portal.platform.audit import audit_bulk
from pep_portal.platform.versioned_cache import rows_changed

from .. import gias
from ..models import LocalAuthority, OfstedInspection, School, Trust

BATCH_SIZE = 1000
PROGRESS_EVERY = 1000

GIAS_LAYOUT = "a GIAS establishment CSV"
GIAS_REQUIRED = [
    "URN",
    "LA (code)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
]
FULL_LAYOUT_LOOKUPS = (
    "TypeOfEstablishment",
    "EstablishmentTypeGroup",
    "EstablishmentStatus",
    "PhaseOfEducation",
)
_MAX_LENGTHS = {"EstablishmentName": 255, "Trusts (name)": 255, "Postcode": 10}


@dataclass
class _Columns:
    """Where each column the importer reads sits in this file's header (None = absent)."""

    index: dict[str, int]

    def __getitem__(self, name: str) -> int | None:
        return self.index.get(name)

    def has(self, *names: str) -> bool:
        return all(n in self.index for n in names)


def _school_fields(cols: _Columns) -> list[str]:
    """The School fields this file provides: missing optional columns leave fields alone."""
    fields = ["la_id", "name", "phase", "establishment_type", "category", "status"]
    optional = [
        ("laestab", ("EstablishmentNumber",)),
        ("open_date", ("OpenDate",)),
        ("close_date", ("CloseDate",)),
        ("statutory_low_age", ("StatutoryLowAge",)),
        ("statutory_high_age", ("StatutoryHighAge",)),
        ("pupils_on_roll", ("NumberOfPupils",)),
        ("percent_fsm", ("PercentageFSM",)),
        ("percent_sen", ("SENStat", "SENNoStat", "NumberOfPupils")),
        # Not in GIAS (it comes from the school census); read when an extract adds it.
        ("percent_eal", ("PercentageEAL",)),
        ("diocese", ("Diocese (name)",)),
        ("religious_character", ("ReligiousCharacter (name)",)),
        ("postcode", ("Postcode",)),
        ("ukprn", ("UKPRN",)),
    ]
    fields += [field for field, needs in optional if cols.has(*needs)]
    if cols.has("Trusts (name)") or cols.has("Trusts (code)"):
        fields.append("trust_id")
    return fields


class _GiasImport:
    def __init__(self, path: str, progress: Callable[[int], None], la_codes) -> None:
        self.path = path
        self.progress = progress
        self.la_filter = {int(c) for c in la_codes} if la_codes else None
        self.errors = ErrorCollector()
        self.counts = dict.fromkeys(
            ["created", "updated", "unchanged", "closed", "trusts", "las", "las renamed"]
            + ["inspections"],
            0,
        )
        self.rows = 0
        self.skipped = 0

    # --- set-up ---------------------------------------------------------------------

    def read_header(self):
        header, rows = read_csv_rows(self.path)
        check_header(header, GIAS_REQUIRED, layout=GIAS_LAYOUT)
        self.header = header
        self.width = len(header)
        self.cols = _Columns({name: i for i, name in enumerate(header)})
        # The full download gives each lookup as a code and a name; "names only" gives the
        # names (both carry the LA's code and the trusts' UID, "Trusts (code)").
        self.full_layout = any(f"{lookup} (code)" in header for lookup in FULL_LAYOUT_LOOKUPS)
        self.fields = _school_fields(self.cols)
        self.with_ofsted = self.cols.has("OfstedLastInsp")
        return rows

    def load_existing(self) -> None:
        """The register as it is, loaded once: only what comparing needs."""
        self.existing: dict[int, tuple[int, str, int]] = {}
        for urn, pk, status, *values in School.objects.values_list(
            "urn", "pk", "status", *self.fields
        ).iterator(chunk_size=5000):
            self.existing[urn] = (pk, status, hash(tuple(values)))
        self.las = {}
        self.la_names = {}
        for code, pk, name in LocalAuthority.objects.values_list("code", "pk", "name"):
            self.las[code] = pk
            self.la_names[code] = name
        self.trusts_by_uid: dict[int, tuple[int, str, str]] = {}
        self.trusts_by_name: dict[str, int] = {}
        self.trust_pks_with_uid: set[int] = set()
        for pk, uid, name, kind in Trust.objects.values_list("pk", "uid", "name", "trust_type"):
            if uid is not None:
                self.trusts_by_uid[uid] = (pk, name, kind)
                self.trust_pks_with_uid.add(pk)
            self.trusts_by_name.setdefault(_name_key(name), pk)
        self.trusts_seen: set[int] = set()
        self.inspected: set[tuple[int, dt.date]] | None = None

    # --- one row ----------------------------------------------------------------------

    def cell(self, fields: list[str], name: str) -> str:
        i = self.cols[name]
        return fields[i].strip() if i is not None else ""

    def parse(self, line: int, fields: list[str]):
        """Return the row's values, or None after recording its errors."""
        ok = True

        def fail(column: str, message: str) -> None:
            nonlocal ok
            ok = False
            self.errors.add(message, row=line, column=column)

        def number(column: str, **kw) -> int | None:
            try:
                return gias.parse_int(self.cell(fields, column), **kw)
            except CellError as exc:
                fail(column, str(exc))
                return None

        def date(column: str) -> dt.date | None:
            try:
                return gias.parse_date(self.cell(fields, column))
            except CellError as exc:
                fail(column, str(exc))
                return None

        def percent(column: str):
            try:
                return gias.parse_percent(self.cell(fields, column))
            except CellError as exc:
                fail(column, str(exc))
                return None

        if len(fields) != self.width:
            # GIAS never publishes ragged rows: a short row was cut (padding it would blank the
            # school's trust, postcode, UKPRN...), a long one has an unquoted comma.
            self.errors.add(
                f"This row has {len(fields)} fields but the header has {self.width} columns "
                + (
                    "(the row is cut short)."
                    if len(fields) < self.width
                    else "(is a comma inside an unquoted value?)."
                ),
                row=line,
            )
            return None

        la_code = number("LA (code)", maximum=999)
        if la_code is None:
            if ok:
                fail("LA (code)", "The LA code is blank.")
            return None
        if self.la_filter is not None and la_code not in self.la_filter:
            self.skipped += 1
            return None

        urn = number("URN", minimum=1, maximum=99_999_999)
        if urn is None and ok:
            fail("URN", "The URN is blank.")
        name = self.cell(fields, "EstablishmentName")
        if not name:
            fail("EstablishmentName", "The establishment name is blank.")
        for column, limit in _MAX_LENGTHS.items():
            value = self.cell(fields, column)
            if len(value) > limit:
                fail(column, f"The value is longer than {limit} characters.")
        type_name = self.cell(fields, "TypeOfEstablishment (name)")
        if len(type_name) > 120:
            fail("TypeOfEstablishment (name)", "The value is longer than 120 characters.")
        try:
            phase = gias.phase_for(self.cell(fields, "PhaseOfEducation (name)"))
        except CellError as exc:
            fail("PhaseOfEducation (name)", str(exc))
            phase = None
        try:
            status = gias.status_for(self.cell(fields, "EstablishmentStatus (name)"))
        except CellError as exc:
            fail("EstablishmentStatus (name)", str(exc))
            status = None

        values: dict = {
            "name": name,
            "phase": phase,
            "establishment_type": type_name,
            "category": gias.category_for(
                type_name, self.cell(fields, "EstablishmentTypeGroup (name)")
            ),
            "status": status,
        }
        f = self.fields
        if "laestab" in f:
            estab = number("EstablishmentNumber", maximum=9999)
            values["laestab"] = f"{la_code:03d}{estab:04d}" if estab is not None else ""
        if "open_date" in f:
            values["open_date"] = date("OpenDate")
        if "close_date" in f:
            values["close_date"] = date("CloseDate")
        if "statutory_low_age" in f:
            values["statutory_low_age"] = number("StatutoryLowAge", maximum=99)
        if "statutory_high_age" in f:
            values["statutory_high_age"] = number("StatutoryHighAge", maximum=99)
        if "pupils_on_roll" in f:
            values["pupils_on_roll"] = number("NumberOfPupils")
        if "percent_fsm" in f:
            values["percent_fsm"] = percent("PercentageFSM")
        if "percent_sen" in f:
            sen = number("SENStat")
            support = number("SENNoStat")
            total = None if sen is None and support is None else (sen or 0) + (support or 0)
            values["percent_sen"] = gias.percent_of(total, values.get("pupils_on_roll"))
        if "percent_eal" in f:
            values["percent_eal"] = percent("PercentageEAL")
        if "diocese" in f:
            values["diocese"] = gias.text_or_blank(self.cell(fields, "Diocese (name)"))[:120]
        if "religious_character" in f:
            values["religious_character"] = gias.text_or_blank(
                self.cell(fields, "ReligiousCharacter (name)")
            )[:120]
        if "postcode" in f:
            values["postcode"] = gias.postcode(self.cell(fields, "Postcode"))
        if "ukprn" in f:
            values["ukprn"] = number("UKPRN", maximum=99_999_999)

        trust = None
        if "trust_id" in f:
            trust_code = (
                number("Trusts (code)", minimum=1)
                if self.cols["Trusts (code)"] is not None
                else None
            )
            trust_name = self.cell(fields, "Trusts (name)")
            if trust_code is not None or gias.text_or_blank(trust_name):
                trust = (trust_code, trust_name, self.cell(fields, "TrustSchoolFlag (name)"))

        inspection = None
        if self.with_ofsted:
            insp_date = date("OfstedLastInsp")
            grade = None
            if self.cols["OfstedRating (name)"] is not None:
                try:
                    grade = gias.ofsted_grade(self.cell(fields, "OfstedRating (name)"))
                except CellError as exc:
                    fail("OfstedRating (name)", str(exc))
            if insp_date is not None:
                inspection = (insp_date, grade)

        if not ok:
            return None
        if urn in self.first_line:
            self.errors.add(
                f"URN {urn} appears twice in the file: rows {self.first_line[urn]} and {line}. "
                "Each school must appear once.",
                row=line,
                column="URN",
            )
            return None
        self.first_line[urn] = line
        la_name = self.cell(fields, "LA (name)")
        return urn, la_code, la_name, values, trust, inspection

    # --- writing a batch --------------------------------------------------------------

    def la_id(self, code: int, name: str) -> int:
        """The LA's id; created when new, and named as GIAS names it (the register's source
        of LA names), which replaces a placeholder ("LA 851") left by a results file."""
        pk = self.las.get(code)
        name = name.strip()[:120]
        if pk is None:
            la = LocalAuthority(code=code, name=name or f"LA {code}")
            la.full_clean()
            la.save()
            pk = self.las[code] = la.pk
            self.la_names[code] = la.name
            self.counts["las"] += 1
        elif name and self.la_names.get(code) != name:
            LocalAuthority.objects.filter(pk=pk).update(name=name)
            self.la_names[code] = name
            self.counts["las renamed"] += 1
        return pk

    def known_trust(self, code: int | None, name: str, flag: str) -> int | None:
        """The trust's id by GIAS group UID, or by name when the file has no code."""
        kind = gias.trust_type_for(flag) if flag else None
        if code is None:
            return self.trusts_by_name.get(_name_key(name))
        known = self.trusts_by_uid.get(code)
        if known is not None:
            pk, old_name, old_kind = known
            if code not in self.trusts_seen:  # renamed or re-typed since the last file?
                self.trusts_seen.add(code)
                changes = {}
                if name and name != old_name:
                    changes["name"] = name
                if kind and kind != old_kind:
                    changes["trust_type"] = kind
                if changes:
                    Trust.objects.filter(pk=pk).update(**changes)
                    self.trusts_by_uid[code] = (pk, name or old_name, kind or old_kind)
            return pk
        # A trust first met by name (in a names-only file) gets its UID now.
        pk = self.trusts_by_name.get(_name_key(name)) if name else None
        if pk is not None and pk not in self.trust_pks_with_uid:
            Trust.objects.filter(pk=pk).update(uid=code, **({"trust_type": kind} if kind else {}))
            self.trusts_by_uid[code] = (pk, name, kind or Trust.TrustType.MAT.value)
            self.trust_pks_with_uid.add(pk)
            self.trusts_seen.add(code)
            return pk
        return None

    def resolve_trusts(self, batch: list) -> None:
        """Create, in one insert, the trusts this batch names that the register lacks."""
        new: dict[tuple, Trust] = {}
        for *_, trust, _inspection in batch:
            if trust is None:
                continue
            code, name, flag = trust
            if self.known_trust(code, name, flag) is not None:
                continue
            key = ("uid", code) if code is not None else ("name", _name_key(name))
            if key not in new:
                new[key] = Trust(
                    uid=code,
                    name=name or f"Trust {code}",
                    trust_type=gias.trust_type_for(flag) if flag else Trust.TrustType.MAT.value,
                )
        if not new:
            return
        Trust.objects.bulk_create(new.values(), batch_size=BATCH_SIZE)
        audit_bulk(Trust, created=new.values())
        self.counts["trusts"] += len(new)
        for trust in new.values():
            if trust.uid is not None:
                self.trusts_by_uid[trust.uid] = (trust.pk, trust.name, trust.trust_type)
                self.trusts_seen.add(trust.uid)
                self.trust_pks_with_uid.add(trust.pk)
            self.trusts_by_name.setdefault(_name_key(trust.name), trust.pk)

    def flush(self, batch: list) -> None:
        if not batch:
            return
        now = timezone.now()
        to_create: list[School] = []
        to_update: list[School] = []
        inspections: list[tuple[int, dt.date, int | None]] = []  # (urn, date, grade)
        if "trust_id" in self.fields:
            self.resolve_trusts(batch)
        for urn, la_code, la_name, values, trust, inspection in batch:
            values["la_id"] = self.la_id(la_code, la_name)
            if "trust_id" in self.fields:
                values["trust_id"] = self.known_trust(*trust) if trust else None
            fingerprint = hash(tuple(values[f] for f in self.fields))
            known = self.existing.get(urn)
            if known is None:
                to_create.append(School(urn=urn, **values))
                self.existing[urn] = (0, values["status"], fingerprint)
            elif known[2] == fingerprint:
                self.counts["unchanged"] += 1
            else:
                pk, old_status, _ = known
                to_update.append(School(pk=pk, urn=urn, updated_at=now, **values))
                if values["status"] == School.Status.CLOSED and old_status != School.Status.CLOSED:
                    self.counts["closed"] += 1
                self.existing[urn] = (pk, values["status"], fingerprint)
            if inspection is not None:
                inspections.append((urn, *inspection))
        if to_create:
            School.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
            audit_bulk(School, created=to_create)
            self.counts["created"] += len(to_create)
            for school in to_create:
                _, status, fingerprint = self.existing[school.urn]
                self.existing[school.urn] = (school.pk, status, fingerprint)
        if to_update:
            before = {
                row["pk"]: row
                for row in School.objects.filter(pk__in=[s.pk for s in to_update]).values(
                    "pk", *self.fields
                )
            }
            School.objects.bulk_update(to_update, [*self.fields, "updated_at"], batch_size=500)
            audit_bulk(
                School,
                changed=[
                    (
                        s,
                        {
                            f.removesuffix("_id"): (before[s.pk][f], getattr(s, f))
                            for f in self.fields
                            if before[s.pk][f] != getattr(s, f)
                        },
                    )
                    for s in to_update
                ],
            )
            self.counts["updated"] += len(to_update)
        if inspections:
            self.add_inspections(inspections)

    def add_inspections(self, rows: Iterable[tuple[int, dt.date, int | None]]) -> None:
        """GIAS gives the latest inspection only: add it when the register lacks it."""
        if self.inspected is None:
            self.inspected = set(
                OfstedInspection.objects.values_list("school_id", "inspection_date").iterator(
                    chunk_size=5000
                )
            )
        new = []
        for urn, when, grade in rows:
            school_id = self.existing[urn][0]
            if (school_id, when) in self.inspected:
                continue
            self.inspected.add((school_id, when))
            framework = (
                OfstedInspection.Framework.GRADED
                if grade is not None
                else OfstedInspection.Framework.UNGRADED
            )
            new.append(
                OfstedInspection(
                    school_id=school_id,
                    inspection_date=when,
                    framework=framework,
                    overall_effectiveness=grade,
                    source="gias",
                )
            )
        OfstedInspection.objects.bulk_create(new, batch_size=BATCH_SIZE)
        audit_bulk(OfstedInspection, created=new)
        self.counts["inspections"] += len(new)

    # --- the whole file ---------------------------------------------------------------

    def run(self) -> dict:
        rows = self.read_header()  # refuses binary, empty and header-less files first
        try:
            _reject_cut_file(self.path)
        except ImportRejected:
            rows.close()
            raise
        self.load_existing()
        self.first_line: dict[int, int] = {}
        batch: list = []
        self.progress(0)
        for line, fields in rows:
            self.rows += 1
            if self.rows % PROGRESS_EVERY == 0:
                self.progress(self.rows)
            parsed = self.parse(line, fields)
            if parsed is None or self.errors:
                continue  # after the first error only validate: the file will be rejected
            batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                self.flush(batch)
                batch = []
        if self.errors:
            self.errors.raise_if_any()
        if self.rows == 0:
            raise ImportRejected.single("The file has a header but no rows of schools.", row=2)
        self.flush(batch)
        self.progress(self.rows)
        c = self.counts
        return {
            "rows": self.rows,
            "layout": "full (code and name columns)" if self.full_layout else "names only",
            "created": c["created"],
            "updated": c["updated"],
            "unchanged": c["unchanged"],
            "closed": c["closed"],
            "skipped (other LAs)": self.skipped,
            "trusts created": c["trusts"],
            "local authorities created": c["las"],
            "local authorities renamed (as GIAS names them)": c["las renamed"],
            "Ofsted inspections added": c["inspections"],
        }


def _reject_cut_file(path: str) -> None:
    """A GIAS download ends with a line break after its last row, and every quote it opens
    it closes: a file that ends otherwise was cut short (inside its last field or row)."""
    quotes = 0
    last = b""
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            quotes += chunk.count(b'"')
            last = chunk
    if not last:
        return  # empty: the header check says so
    if quotes % 2:
        raise ImportRejected.single(
            "The file ends inside a quoted value: the download was cut short. "
            "Download it again; nothing was imported."
        )
    if not last.endswith(b"\n"):
        raise ImportRejected.single(
            "The file ends in the middle of its last row (GIAS ends every row with a line "
            "break): the download was cut short. Download it again; nothing was imported."
        )


def _name_key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


@register_importer("gias", "GIAS establishment CSV")
def import_gias(path: str, *, progress=lambda n: None, la_codes=None, **options) -> dict:
    """Import a GIAS establishment CSV (full or names-only layout) into the register.

    ``la_codes``: import only these LAs (e.g. [851, 852]); other rows are skipped unread.
    Returns counts: created / updated / unchanged / closed, trusts and LAs created.
    """
    with transaction.atomic():
        summary = _GiasImport(path, progress, la_codes).run()
        # Bulk writes send no signals (renamed LAs and trusts among them): the cached pages
        # that show the register (its own, the outcomes', the dashboards') miss from now on.
        rows_changed(LocalAuthority, Trust, School, OfstedInspection)
        return summary
