"""`manage.py generate_england`: a synthetic England-scale dataset in the real shapes.

152 LAs (Portsmouth 851 among them, in the partnership) with statistical neighbours, about
20,000 schools (primary and secondary in realistic proportions, about a third academies),
one graded Ofsted inspection each, and five years of results for every measure of each
phase, each for 3 to 8 pupil groups (all pupils plus a fixed subset per measure), with
school, LA and national rows. Values follow realistic distributions (a school effect, a
trend, group offsets, noise by cohort size); about 3% are suppressed. Deterministic (seed).

For benchmarks on PostgreSQL (rows are loaded with COPY); refuses to run on a database that
already has schools unless --force (which deletes every result, school and LA first).
"""

from __future__ import annotations

import io
import time

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from outcomes.models import Measure, Result
from pep_portal.platform.versioned_cache import rows_changed
from schools.models import LocalAuthority, OfstedInspection, School, StatisticalNeighbour

YEARS = [2012, 2013, 2014, 2015, 2016]
PRIMARY = [
    "eyfsp_gld",
    "phonics_y1_exp",
    "ks1_read_exp",
    "ks1_writ_exp",
    "ks1_mat_exp",
    "ks1_rwm_exp",
    "ks2_read_exp",
    "ks2_writ_exp",
    "ks2_mat_exp",
    "ks2_rwm_exp",
    "ks2_rwm_high",
    "ks2_read_prog",
    "ks2_writ_prog",
    "ks2_mat_prog",
    "abs_overall_pct",
    "abs_persistent_pct",
]
SECONDARY = [
    "ks4_att8",
    "ks4_p8",
    "ks4_ebacc_entry",
    "ks4_ebacc_95",
    "ks4_ebacc_aps",
    "ks4_basics_94",
    "ks4_basics_95",
    "ks4_5ac_em",
    "abs_overall_pct",
    "abs_persistent_pct",
]
# Typical national level and spread between schools, by measure.
LEVEL = {
    "eyfsp_gld": (69, 9),
    "phonics_y1_exp": (81, 8),
    "ks1_read_exp": (74, 9),
    "ks1_writ_exp": (65, 10),
    "ks1_mat_exp": (73, 9),
    "ks1_rwm_exp": (60, 11),
    "ks2_read_exp": (66, 11),
    "ks2_writ_exp": (74, 10),
    "ks2_mat_exp": (70, 11),
    "ks2_rwm_exp": (53, 13),
    "ks2_rwm_high": (5, 4),
    "ks2_read_prog": (0, 2.2),
    "ks2_writ_prog": (0, 2.2),
    "ks2_mat_prog": (0, 2.2),
    "abs_overall_pct": (4.6, 1.0),
    "abs_persistent_pct": (10.5, 4.0),
    "ks4_att8": (48, 8),
    "ks4_p8": (0, 0.45),
    "ks4_ebacc_entry": (40, 18),
    "ks4_ebacc_95": (24, 12),
    "ks4_ebacc_aps": (4.0, 0.8),
    "ks4_basics_94": (63, 13),
    "ks4_basics_95": (42, 14),
    "ks4_5ac_em": (57, 12),
}
GROUP_OFFSET = {
    "all": 0,
    "disadvantaged": -1.0,
    "non_disadvantaged": 0.4,
    "boys": -0.25,
    "girls": 0.25,
    "sen_support": -1.6,
    "ehcp": -2.5,
    "sen": -1.8,
    "no_sen": 0.3,
    "eal": 0.0,
    "non_eal": 0.0,
    "prior_low": -2.0,
    "prior_middle": 0.0,
    "prior_high": 1.2,
}


def groups_for(measure: Measure, index: int) -> list[str]:
    """All pupils plus a fixed subset: 3 to 8 groups per measure."""
    others = [g for g in (measure.groups or []) if g != "all"]
    n = 2 + index % 6  # 2..7 others -> 3..8 groups
    return ["all", *others[:n]]


class Command(BaseCommand):
    help = "Generate an England-scale synthetic dataset (152 LAs, ~20,000 schools, 5 years)."

    def add_arguments(self, parser):
        parser.add_argument("--schools", type=int, default=20000)
        parser.add_argument("--las", type=int, default=152)
        parser.add_argument("--seed", type=int, default=2016)
        parser.add_argument("--force", action="store_true")
        parser.add_argument(
            "--area-rows-only",
            action="store_true",
            help="Only (re)compute the LA and national rows from the school rows.",
        )

    def handle(self, *args, schools=20000, las=152, seed=2016, force=False, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "generate_england loads with COPY: point DATABASE_URL at PostgreSQL."
            )
        if options.get("area_rows_only"):
            self.stdout.write(f"{self._area_rows()} LA and national rows")
            rows_changed(Result)  # raw SQL sends no signals
            return
        if School.objects.exists() and not force:
            raise CommandError("The database already has schools; use --force to replace them.")
        started = time.monotonic()
        rng = np.random.default_rng(seed)
        with transaction.atomic():
            if force:
                with connection.cursor() as c:
                    for model in (Result, OfstedInspection, StatisticalNeighbour, School):
                        c.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
                    c.execute(f"TRUNCATE {LocalAuthority._meta.db_table} CASCADE")
            la_ids = self._las(las, rng)
            school_frame = self._schools(schools, la_ids, rng)
        self.stdout.write(f"{len(la_ids)} LAs, {len(school_frame)} schools")
        rows = self._results(school_frame, la_ids, rng)
        # COPY, raw SQL and bulk_create send no signals: the cached pages miss from now on.
        rows_changed(LocalAuthority, StatisticalNeighbour, School, OfstedInspection, Result)
        with connection.cursor() as c:
            c.execute(f"ANALYZE {Result._meta.db_table}")
        self.stdout.write(
            self.style.SUCCESS(f"{rows} result rows in {time.monotonic() - started:.0f} s")
        )

    def _las(self, n, rng) -> list[int]:
        codes = [851] + [c for c in range(201, 1000) if c != 851][: n - 1]
        objs = [
            LocalAuthority(
                code=code,
                name="Portsmouth" if code == 851 else f"Authority {code}",
                region=f"Region {code % 9}",
                in_partnership=code == 851,
            )
            for code in codes
        ]
        LocalAuthority.objects.bulk_create(objs)
        ids = list(LocalAuthority.objects.order_by("code").values_list("pk", flat=True))
        links = []
        for la in ids:
            for pos, nb in enumerate(rng.choice([x for x in ids if x != la], 10, replace=False), 1):
                links.append(StatisticalNeighbour(la_id=la, neighbour_id=int(nb), position=pos))
        StatisticalNeighbour.objects.bulk_create(links)
        return ids

    def _schools(self, n, la_ids, rng) -> pd.DataFrame:
        weights = rng.gamma(2.0, 1.0, len(la_ids))
        la_of = rng.choice(la_ids, n, p=weights / weights.sum())
        secondary = rng.random(n) < 0.16
        la_effect = dict(zip(la_ids, rng.normal(0, 0.35, len(la_ids)), strict=True))
        frame = pd.DataFrame(
            {
                "urn": np.arange(100000, 100000 + n),
                "la_id": la_of,
                "phase": np.where(secondary, "secondary", "primary"),
                "category": np.where(rng.random(n) < 0.35, "academy_converter", "la_maintained"),
                "pupils": np.where(secondary, rng.integers(500, 1800, n), rng.integers(90, 700, n)),
                "effect": rng.normal(0, 1, n) + pd.Series(la_of).map(la_effect).to_numpy(),
            }
        )
        School.objects.bulk_create(
            [
                School(
                    urn=r.urn,
                    la_id=r.la_id,
                    name=f"School {r.urn}",
                    phase=r.phase,
                    category=r.category,
                    pupils_on_roll=r.pupils,
                    laestab=f"{(r.la_id % 900) + 100:03d}{r.urn % 10000:04d}",
                )
                for r in frame.itertuples()
            ],
            batch_size=5000,
        )
        frame["school_id"] = list(School.objects.order_by("urn").values_list("pk", flat=True))
        grade = np.select(
            [frame.effect > 1.2, frame.effect > -0.9, frame.effect > -1.9], [1, 2, 3], 4
        )
        import datetime as dt

        OfstedInspection.objects.bulk_create(
            [
                OfstedInspection(
                    school_id=s,
                    inspection_date=dt.date(2014, 1, 1) + dt.timedelta(days=int(d)),
                    overall_effectiveness=int(g),
                )
                for s, g, d in zip(frame.school_id, grade, rng.integers(0, 1000, n), strict=True)
            ],
            batch_size=5000,
        )
        return frame

    def _results(self, schools, la_ids, rng) -> int:
        measures = {m.code: m for m in Measure.objects.all()}
        total = 0
        for phase, codes in (("primary", PRIMARY), ("secondary", SECONDARY)):
            sch = schools[schools.phase == phase]
            for index, code in enumerate(codes):
                m = measures[code]
                level, spread = LEVEL[code]
                sign = -1 if m.polarity == "lower_better" else 1
                for group in groups_for(m, index):
                    frames = []
                    for y, year in enumerate(YEARS):
                        k = len(sch)
                        cohort = np.maximum(
                            (
                                sch.pupils.to_numpy()
                                / (7 if phase == "primary" else 5)
                                * (1 if group == "all" else rng.uniform(0.1, 0.6))
                            ).astype(int),
                            1,
                        )
                        noise = rng.normal(0, spread * 0.35, k) * np.sqrt(30 / cohort)
                        value = (
                            level
                            + sign
                            * spread
                            * (0.6 * sch.effect.to_numpy() + 0.3 * GROUP_OFFSET[group])
                            + 0.4 * y * sign * spread / 10
                            + noise
                        )
                        if m.unit == "percent":
                            value = np.clip(value, 0, 100)
                        frame = pd.DataFrame(
                            {
                                "school_id": sch.school_id.to_numpy(),
                                "la_id": sch.la_id.to_numpy(),
                                "year": year,
                                "value": value,
                                "cohort": cohort,
                            }
                        )
                        if m.has_confidence_interval:
                            half = 1.96 * spread * 2 / np.sqrt(cohort)
                            frame["ci_lower"] = value - half
                            frame["ci_upper"] = value + half
                        frames.append(frame)
                    part = pd.concat(frames, ignore_index=True)
                    suppressed = (part.cohort < 6) | (rng.random(len(part)) < 0.02)
                    total += self._copy_results(part, m, group, suppressed.to_numpy(), "school")
            self.stdout.write(f"  {phase}: {total} school rows")
        return total + self._area_rows()

    def _area_rows(self) -> int:
        """LA rows = cohort-weighted means of their schools; national = of all schools."""
        table = Result._meta.db_table
        common = (
            "academic_year, pupil_group, sum(value * cohort) / sum(cohort), sum(cohort), "
            "'', 'final', '', 'generate_england', now(), now()"
        )
        cols = (
            "measure_id, area_type, la_id, region, academic_year, pupil_group, value, cohort, "
            "published_band, status, suppression, source, created_at, updated_at"
        )
        with connection.cursor() as c:
            c.execute(f"DELETE FROM {table} WHERE area_type IN ('la', 'national')")
            c.execute(
                f"INSERT INTO {table} ({cols}) SELECT r.measure_id, 'la', s.la_id, '', {common} "
                f"FROM {table} r JOIN {School._meta.db_table} s ON s.id = r.school_id "
                "WHERE r.area_type = 'school' AND r.value IS NOT NULL "
                "GROUP BY r.measure_id, s.la_id, academic_year, pupil_group"
            )
            rows = c.rowcount
            c.execute(
                f"INSERT INTO {table} ({cols}) SELECT measure_id, 'national', NULL, '', {common} "
                f"FROM {table} WHERE area_type = 'school' AND value IS NOT NULL "
                "GROUP BY measure_id, academic_year, pupil_group"
            )
            return rows + c.rowcount

    def _copy_results(self, part, measure, group, suppressed, area) -> int:
        out = pd.DataFrame(
            {
                "measure_id": measure.pk,
                "area_type": area,
                "school_id": part["school_id"].astype("Int64") if area == "school" else pd.NA,
                "la_id": part["la_id"].astype("Int64") if area == "la" else pd.NA,
                "region": "",
                "academic_year": part["year"].to_numpy(),
                "pupil_group": group,
                "value": np.where(suppressed, np.nan, part["value"].round(4)),
                "cohort": part["cohort"].to_numpy(),
                "ci_lower": np.where(suppressed, np.nan, part["ci_lower"].round(4))
                if "ci_lower" in part
                else np.nan,
                "ci_upper": np.where(suppressed, np.nan, part["ci_upper"].round(4))
                if "ci_upper" in part
                else np.nan,
                "published_band": "",
                "status": "final",
                "suppression": np.where(suppressed, "suppressed", ""),
                "source": "generate_england",
                "created_at": "2016-12-01 00:00:00+00",
                "updated_at": "2016-12-01 00:00:00+00",
            }
        )
        buf = io.StringIO()
        out.to_csv(buf, index=False, header=False, na_rep="\\N")
        buf.seek(0)
        with connection.cursor() as c:
            c.cursor.copy_expert(
                f"COPY {Result._meta.db_table} ({', '.join(out.columns)}) FROM STDIN "
                "WITH (FORMAT csv, NULL '\\N')",
                buf,
            )
        return len(out)
