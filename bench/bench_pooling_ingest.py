"""Ingest throughput of the pooling index against bare `iterparse` of the same files, in the
same run, on SQLite and PostgreSQL; peak memory on a small and a large file; the finder's
p50/p95 for each demo territory over the index, beside a bare query of the same run.

- reference: `lxml.etree.iterparse(tag="iati-activity")` + `clear()` over exactly the same
  sources read through the same streams (an archive's decompression is in both);
- measured: the `reciproca.pooling` import of those sources (in one process, as the web import
  runs, and with the reading process of `reciproca pooling_import`), into a throw-away database:
  a SQLite file, and the PostgreSQL database of `--postgres URL`, dropped and re-created;
- each import is framed by two bare runs; the reference is their mean (the machine is shared);
- `--corpus N` adds a **generated** corpus of N activities: the real sample activities
  multiplied under new identifiers (`bench/pooling_corpus.py`), to be said wherever its figures
  are quoted;
- peak memory: the maximum resident size of a fresh process importing one file, for the
  corpus's small file (1,000 activities) and its large one (100,000), beside bare iterparse of
  the same file;
- finder: `finder.find` for a water-supply project (DAC 14030, SDG 6.1) in each demo territory,
  `--finder-repeat` times, p50/p95, beside the bare index lookup of the same territories.

One command, both engines (about 40 minutes for 1,000,000 activities on the shared 2-core
machine; not part of the test suite):

    uv run --frozen python bench/bench_pooling_ingest.py --corpus 1000000 \
        --postgres postgres://postgres@127.0.0.1:5432/reciproca_bench
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / ".." / "shared" / "data" / "iati" / "samples"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

parser = argparse.ArgumentParser()
parser.add_argument("--corpus", type=int, default=0, help="activities of the generated corpus")
parser.add_argument("--max-activity-bytes", type=int, default=8000)
parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES_URL", ""))
parser.add_argument("--engines", default="sqlite,postgresql")
parser.add_argument("--finder-repeat", type=int, default=50)
parser.add_argument("--no-memory", action="store_true")
parser.add_argument(
    "--corpus-files", type=int, default=0, help="import only the corpus's first K files"
)
parser.add_argument("--skip-samples", action="store_true")
parser.add_argument(
    "--finder-index",
    type=int,
    default=0,
    help="finder over an index of N activities: the samples imported, then multiplied in SQL",
)
parser.add_argument("--child", default="", help=argparse.SUPPRESS)
parser.add_argument("--memory", default="", help=argparse.SUPPRESS)
parser.add_argument("--memory-bare", default="", help=argparse.SUPPRESS)
args = parser.parse_args()

TERRITORIES = [
    ("Sénégal", "SN-KE"),
    ("Palestine", "PS-BTH"),
    ("Maroc", "MA-05"),
    ("Arménie", "AM-GR"),
    ("Algérie", "DZ-25"),
]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup_django(engine: str, tmp: Path) -> None:
    if engine == "postgresql":
        import psycopg

        url = args.postgres
        name = url.rsplit("/", 1)[1]
        with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def bare(paths: list[Path]) -> tuple[float, int, int]:
    from lxml import etree

    from reciproca.pooling import iati
    from reciproca.pooling.sources import iter_sources

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


def imported(paths: list[Path], parallel: bool) -> tuple[float, Any]:
    from reciproca.pooling.ingest import ingest, ingest_parallel
    from reciproca.pooling.sources import iter_sources

    started = time.perf_counter()
    result = ingest_parallel(paths) if parallel else ingest(iter_sources(paths))
    return time.perf_counter() - started, result


def empty_index() -> None:
    from django.db import connection

    from reciproca.pooling.models import (
        Activity,
        ActivityPlace,
        ActivitySource,
        Quarantine,
        SourceFile,
    )

    models = (ActivityPlace, ActivitySource, Quarantine, Activity, SourceFile)
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                cursor.execute(f"DELETE FROM {table}")


def report(name: str, paths: list[Path], parallel: bool, warm: bool) -> None:
    if warm:
        bare(paths)  # the page cache, once
    b1, count, size = bare(paths)
    m, result = imported(paths, parallel)
    b2 = bare(paths)[0]
    b = (b1 + b2) / 2
    mode = "avec le processus de lecture" if parallel else "en un processus"
    print(
        f"  {name}, import {mode} : {count:,} activités lues, {result.activities:,} indexées, "
        f"{result.quarantined:,} en quarantaine, {size / 1e6:,.1f} Mo\n"
        f"    iterparse nu {b:.1f} s ({count / b:,.0f} act./s, {size / 1e6 / b:.1f} Mo/s) ; "
        f"import {m:.1f} s ({result.activities / m:,.0f} act./s, {size / 1e6 / m:.1f} Mo/s) ; "
        f"rapport import/nu = {b / m:.2f}× ; RSS max du processus {rss_mb():.0f} Mo",
        flush=True,
    )


def finder_times() -> None:
    from django.db import connection

    from reciproca.pooling import finder
    from reciproca.pooling.models import Activity, ActivityPlace
    from reciproca.territories.models import Territory

    print(
        f"  index : {Activity.objects.count():,} activités, "
        f"{ActivityPlace.objects.count():,} lieux",
        flush=True,
    )
    table = ActivityPlace._meta.db_table
    for label, code in TERRITORIES:
        territory = Territory.objects.filter(iso_code=code, valid_until__isnull=True).first()
        if territory is None:
            print(f"  finder {label} ({code}) : territoire inconnu")
            continue
        query = finder.Query(territories=[territory], purpose_codes={"14030"}, sdg_targets={"6.1"})
        ids = list(finder.related_territories(territory))
        marks = ", ".join("%s" for _ in ids)
        times: list[float] = []
        refs: list[float] = []
        found = candidates = 0
        for _ in range(args.finder_repeat):
            started = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT activity_id FROM {table} WHERE territory_id IN ({marks})", ids
                )
                candidates = len(cursor.fetchall())
            refs.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            found = len(finder.find(query))
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        refs.sort()
        p95 = times[int(0.95 * (len(times) - 1))]
        r95 = refs[int(0.95 * (len(refs) - 1))]
        print(
            f"  finder {label} ({code}) : {candidates:,} lieux candidats, {found} activités "
            f"listées ; p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms — requête nue "
            f"(les lieux du territoire) p50 {statistics.median(refs):.1f} ms, p95 {r95:.1f} ms",
            flush=True,
        )


def corpus_report(corpus: list[Path]) -> None:
    """The corpus imported in one process, file by file: the peak resident size after each of
    the first two files (1,000 then 100,000 activities) shows whether memory grows with the
    size of a file; bare iterparse before and after, the reference."""
    from reciproca.pooling.ingest import ingest
    from reciproca.pooling.sources import iter_sources

    b1, count, size = bare(corpus)
    started = time.perf_counter()
    activities = 0
    for number, path in enumerate(corpus, start=1):
        result = ingest(iter_sources([path]))
        activities += result.activities
        if number <= 2:
            print(
                f"    après {path.name} ({result.activities:,} activités, "
                f"{path.stat().st_size / 1e6:.0f} Mo) : RSS max {rss_mb():.0f} Mo",
                flush=True,
            )
    m = time.perf_counter() - started
    b2 = bare(corpus)[0]
    b = (b1 + b2) / 2
    print(
        f"  corpus généré (activités réelles multipliées sous de nouveaux identifiants), "
        f"{len(corpus)} fichiers, import en un processus : {count:,} activités lues, "
        f"{activities:,} indexées, {size / 1e6:,.1f} Mo\n"
        f"    iterparse nu {b:.1f} s ({count / b:,.0f} act./s, {size / 1e6 / b:.1f} Mo/s) ; "
        f"import {m:.1f} s ({activities / m:,.0f} act./s, {size / 1e6 / m:.1f} Mo/s) ; "
        f"rapport import/nu = {b / m:.2f}× ; RSS max du processus {rss_mb():.0f} Mo",
        flush=True,
    )


def multiply(n: int) -> None:
    """The indexed sample activities multiplied in SQL under new identifiers (`…~sK`), each copy
    with its original's places, until the index holds about `n` activities."""
    from django.db import connection

    from reciproca.pooling.ingest import ACTIVITY_FIELDS, PLACE_FIELDS
    from reciproca.pooling.models import Activity, ActivityPlace

    started = time.perf_counter()
    real = Activity.objects.count()
    copies = max(0, n // real - 1)
    act, place = Activity._meta.db_table, ActivityPlace._meta.db_table
    others = [f for f in ACTIVITY_FIELDS if f != "identifier"]
    place_cols = [f for f in PLACE_FIELDS if f != "activity_id"]
    if connection.vendor == "postgresql":
        series = f"CROSS JOIN generate_series(1, {copies}) AS k(n)"
        prefix = ""
    else:
        series = "CROSS JOIN k"
        prefix = (
            f"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {copies}) "
        )
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_real AS SELECT id, identifier FROM " + act)
        cursor.execute(
            f"{prefix}INSERT INTO {act} (identifier, {', '.join(others)}) "
            f"SELECT a.identifier || '~s' || k.n, {', '.join('a.' + f for f in others)} "
            f"FROM bench_real r JOIN {act} a ON a.id = r.id {series}"
        )
        cursor.execute(
            f"{prefix}INSERT INTO {place} (activity_id, {', '.join(place_cols)}) "
            f"SELECT c.id, {', '.join('p.' + f for f in place_cols)} "
            f"FROM bench_real r JOIN {place} p ON p.activity_id = r.id {series} "
            f"JOIN {act} c ON c.identifier = r.identifier || '~s' || k.n"
        )
        cursor.execute("DROP TABLE bench_real")
        if connection.vendor == "postgresql":
            cursor.execute(f"ANALYZE {act}")
            cursor.execute(f"ANALYZE {place}")
        else:
            cursor.execute("ANALYZE")
    print(
        f"  index multiplié en SQL : {real:,} activités réelles indexées × {copies + 1} "
        f"(nouveaux identifiants, mêmes lieux) en {time.perf_counter() - started:.0f} s",
        flush=True,
    )


def child(engine: str, corpus: list[Path]) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-pooling-"))
    setup_django(engine, tmp)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    version = (
        connection.pg_version if engine == "postgresql" else connection.Database.sqlite_version
    )
    print(f"moteur : {connection.vendor} {version}", flush=True)
    archives = sorted(SAMPLES.glob("*.tar.xz"))
    if not args.skip_samples:
        report("échantillons réels (2 archives tar.xz)", archives, parallel=False, warm=True)
    if not args.skip_samples:
        empty_index()
        report("échantillons réels (2 archives tar.xz)", archives, parallel=True, warm=False)
        finder_times()
    if args.finder_index:
        if args.skip_samples:
            imported(archives, parallel=True)
        multiply(args.finder_index)
        finder_times()
    if corpus:
        empty_index()
        corpus_report(corpus)
        finder_times()
    connection.close()
    shutil.rmtree(tmp, ignore_errors=True)


def memory(engine: str, path: Path) -> None:
    tmp = Path(tempfile.mkdtemp(prefix="bench-pooling-"))
    setup_django(engine, tmp)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=io.StringIO())
    before = rss_mb()
    m, result = imported([path], parallel=False)
    print(f"{result.activities} {path.stat().st_size} {before:.0f} {rss_mb():.0f} {m:.1f}")
    shutil.rmtree(tmp, ignore_errors=True)


def memory_bare(path: Path) -> None:
    bare([path])
    print(f"{rss_mb():.0f}")


def run(*extra: str) -> str:
    command = [sys.executable, __file__, *extra, "--postgres", args.postgres]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def main() -> None:
    engines = [e for e in args.engines.split(",") if e]
    if "postgresql" in engines and not args.postgres:
        print("PostgreSQL ignoré : --postgres URL (ou BENCH_POSTGRES_URL) non donné")
        engines.remove("postgresql")
    corpus: list[Path] = []
    if args.corpus:
        from pooling_corpus import generate

        started = time.perf_counter()
        corpus = generate(args.corpus, max_bytes=args.max_activity_bytes)
        corpus = corpus[: args.corpus_files or None]
        size = sum(p.stat().st_size for p in corpus)
        print(
            f"corpus généré : {args.corpus:,} activités réelles multipliées sous de nouveaux "
            f"identifiants, dont {len(corpus)} fichiers importés ici, {size / 1e9:.2f} Go "
            f"({time.perf_counter() - started:.0f} s) — {corpus[0].parent}",
            flush=True,
        )
    for engine in engines:
        extra = ["--child", engine, "--corpus", str(args.corpus)]
        extra += ["--max-activity-bytes", str(args.max_activity_bytes)]
        extra += ["--finder-repeat", str(args.finder_repeat)]
        extra += [
            "--corpus-files",
            str(args.corpus_files),
            "--finder-index",
            str(args.finder_index),
        ]
        if args.skip_samples:
            extra.append("--skip-samples")
        subprocess.run([sys.executable, __file__, *extra, "--postgres", args.postgres], check=True)
    if corpus and not args.no_memory and len(corpus) > 2:
        print(
            "mémoire (RSS max d'un processus neuf qui importe un seul fichier, en un processus) :"
        )
        for path in corpus[:2]:
            bare_rss = run("--memory-bare", str(path)).strip()
            for engine in engines:
                count, size, before, peak, seconds = run(
                    "--memory", str(path), "--child", engine
                ).split()
                print(
                    f"  {engine} : {path.name}, {int(count):,} activités, {int(size) / 1e6:.0f} Mo "
                    f"— RSS {before} Mo avant l'import, {peak} Mo au plus ({seconds} s) ; "
                    f"iterparse nu du même fichier : {bare_rss} Mo",
                    flush=True,
                )


if __name__ == "__main__":
    if args.memory_bare:
        memory_bare(Path(args.memory_bare))
    elif args.memory:
        memory(args.child, Path(args.memory))
    elif args.child:
        from pooling_corpus import generate

        files = generate(args.corpus, max_bytes=args.max_activity_bytes) if args.corpus else []
        child(args.child, files[: args.corpus_files or None])
    else:
        main()
