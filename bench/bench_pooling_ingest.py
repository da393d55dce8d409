"""Ingest throughput of the pooling index against bare `iterparse` of the same files, in the
same run; peak memory; the finder's p50/p95 for each demo territory.

- reference: `lxml.etree.iterparse(tag="iati-activity")` + `clear()` over exactly the same
  sources (the same archives, read through the same streams: decompression is in both);
- measured: `reciproca.pooling` import of those sources into a throw-away database (SQLite by
  default; PostgreSQL with `--postgres URL`, a database it creates and drops).

`--generated N` also builds a corpus of N activities: the real sample activities multiplied
under new identifiers (suffix `~copyK`), written as .xml files — a generated corpus, to be said
wherever its figures are quoted. Peak memory is the process's maximum resident size
(`resource.getrusage`), printed after each phase.

Run: `uv run python bench/bench_pooling_ingest.py [--postgres URL] [--generated 100000]`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / ".." / "shared" / "data" / "iati" / "samples"
sys.path.insert(0, str(ROOT))

parser = argparse.ArgumentParser()
parser.add_argument("--postgres", default="")
parser.add_argument("--generated", type=int, default=0)
parser.add_argument("--finder-repeat", type=int, default=50)
parser.add_argument("--parallel", action="store_true", help="read in a second process")
args = parser.parse_args()

tmp = Path(tempfile.mkdtemp(prefix="bench-pooling-"))
if args.postgres:
    os.environ["DATABASE_URL"] = args.postgres
else:
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from lxml import etree  # noqa: E402

from reciproca.pooling import finder, iati  # noqa: E402
from reciproca.pooling.ingest import ingest, ingest_parallel  # noqa: E402
from reciproca.pooling.models import Activity  # noqa: E402
from reciproca.pooling.sources import iter_sources  # noqa: E402
from reciproca.territories.models import Territory  # noqa: E402


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bare(paths: list[Path]) -> tuple[float, int, int]:
    started = time.perf_counter()
    count = size = 0
    for source in iter_sources(paths):
        for _event, el in etree.iterparse(
            source.stream, tag="iati-activity", **iati.parser_options()
        ):
            count += 1
            el.clear()
            parent = el.getparent()
            if parent is not None:
                while el.getprevious() is not None:
                    del parent[0]
        size += source.stream.count
    return time.perf_counter() - started, count, size


def measured(paths: list[Path]) -> tuple[float, int, int]:
    started = time.perf_counter()
    result = ingest_parallel(paths) if args.parallel else ingest(iter_sources(paths))
    return time.perf_counter() - started, result.activities + result.quarantined, result.bytes


def generate(n: int) -> list[Path]:
    """Real activities multiplied under new identifiers, in files of about 10,000."""
    out = tmp / "generated"
    out.mkdir()
    originals: list[bytes] = []
    for source in iter_sources(sorted(SAMPLES.glob("*.tar.xz"))):
        for _event, el in etree.iterparse(
            source.stream, tag="iati-activity", **iati.parser_options()
        ):
            originals.append(etree.tostring(el))
            el.clear()
    written = 0
    files = []
    copy = 0
    while written < n:
        copy += 1
        path = out / f"generated-{copy:04d}.xml"
        with open(path, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n')
            for raw in originals:
                if written >= n:
                    break
                f.write(
                    raw.replace(b"</iati-identifier>", f"~copy{copy}</iati-identifier>".encode(), 1)
                )
                f.write(b"\n")
                written += 1
            f.write(b"</iati-activities>\n")
        files.append(path)
    return files


def report(name: str, paths: list[Path]) -> None:
    # warm the page cache once, then bare iterparse, the import, bare iterparse again: the
    # reference is the mean of the two bare runs around the import (the machine is shared)
    bare(paths)
    b1, count, size = bare(paths)
    m = measured(paths)[0]
    b2 = bare(paths)[0]
    b = (b1 + b2) / 2
    print(
        f"{name}: {count} activités, {size / 1e6:.1f} Mo — iterparse nu {b:.2f} s "
        f"({size / 1e6 / b:.0f} Mo/s), import {m:.2f} s ({size / 1e6 / m:.0f} Mo/s), "
        f"rapport import/nu = {b / m:.2f}× ; RSS max {rss_mb():.0f} Mo"
    )


def finder_times() -> None:
    codes = ["PS-BTH", "AM-GR", "SN-KE", "MA-05", "DZ-25"]
    for code in codes:
        territory = Territory.objects.filter(iso_code=code, valid_until__isnull=True).first()
        if territory is None:
            continue
        query = finder.Query(territories=[territory], purpose_codes={"14030"}, sdg_targets={"6.1"})
        times = []
        found = 0
        for _ in range(args.finder_repeat):
            started = time.perf_counter()
            found = len(finder.find(query))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"  finder {code}: {found} activités, "
            f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms"
        )


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    print(f"moteur : {connection.vendor}")
    archives = sorted(SAMPLES.glob("*.tar.xz"))
    report("échantillons réels (2 archives tar.xz)", archives)
    print(f"  index : {Activity.objects.count()} activités")
    finder_times()
    if args.generated:
        files = generate(args.generated)
        report(
            f"corpus généré ({args.generated} activités réelles multipliées "
            "sous de nouveaux identifiants)",
            files,
        )
        print(f"  index : {Activity.objects.count()} activités")
        finder_times()


if __name__ == "__main__":
    try:
        main()
    finally:
        if args.postgres:
            connection.close()
