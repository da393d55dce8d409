# ruff: noqa: E501
"""The streaming import: mapping of 2.0x and 1.0x activities, quarantine, idempotent
re-import, one activity per identifier with its sources, archives, broken and malicious
files, and the real samples imported twice."""

from __future__ import annotations

import http.server
import threading
import tracemalloc
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reciproca.core.exceptions import PermissionDenied
from reciproca.core.models import AuditEvent
from reciproca.pooling import services
from reciproca.pooling.models import (
    Activity,
    ActivityPlace,
    ActivitySource,
    ActorKind,
    Quarantine,
    SourceFile,
)
from reciproca.pooling.tests.factories import SAMPLES, activity, iati_file

pytestmark = pytest.mark.django_db


def run(*paths: Path) -> Any:
    return services.import_iati(paths=list(paths), by=None)[1]


def test_a_203_activity_is_indexed_with_its_codes(write: Any) -> None:
    path = write(
        "a.xml",
        iati_file(
            activity(
                "XM-1-A",
                title="Eau à Bethléem",
                point="31.70 35.20",
                sectors=("14030",),
                tags=("6.1",),
                budget="1000.50",
                extra='<transaction><transaction-type code="2"/><value currency="EUR">300</value></transaction>',
            )
        ),
    )
    result = run(path)

    assert (result.activities, result.quarantined) == (1, 0)
    a = Activity.objects.get()
    assert a.identifier == "XM-1-A"
    assert a.title == "Eau à Bethléem"  # French narrative first
    assert (a.reporting_org_ref, a.reporting_org_type, a.actor_kind) == (
        "XM-DAC-41114",
        "40",
        ActorKind.OTHER,
    )
    assert a.participating_orgs[0]["role"] == "4"
    assert a.countries == "PS"
    assert a.sectors == [{"code": "14030", "vocabulary": "1"}]
    assert (a.sdg_targets, a.sdg_goals) == ("6.1", "6")
    assert (a.start_date, a.end_date) == (date(2024, 1, 1), date(2026, 12, 31))
    # transactions are summed only without a budget
    assert a.amounts == {"budget": {"USD": "1000.50"}}
    assert (a.amount, a.currency) == (Decimal("1000.50"), "USD")
    place = ActivityPlace.objects.get(activity=a, kind="S")
    assert place.territory is not None and place.territory.iso_code == "PS-BTH"
    assert (place.how, place.latitude) == ("P", 31.70)
    source = SourceFile.objects.get()
    assert (source.key, source.version, source.activity_count) == ("a.xml", "2.03", 1)
    assert len(source.sha256) == 64
    assert AuditEvent.objects.filter(action="pooling.import").count() == 1


def test_a_10x_activity_is_read_with_its_words_for_codes(write: Any) -> None:
    v1 = b"""<?xml version="1.0"?>
<iati-activities version="1.03">
 <iati-activity default-currency="GBP">
  <iati-identifier>GB-1-OLD</iati-identifier>
  <reporting-org ref="GB-1" type="10">DFID</reporting-org>
  <title>Old schools</title>
  <participating-org role="Funding" ref="GB-1">DFID</participating-org>
  <activity-date type="start-actual" iso-date="2010-02-01"/>
  <activity-date type="end-planned" iso-date="2012-12-31"/>
  <recipient-country code="SN"/>
  <sector vocabulary="DAC" code="11220"/>
  <location><administrative country="SN" adm1="SN-KE"/><coordinates latitude="12.55" longitude="-12.18"/></location>
  <transaction><transaction-type code="D"/><value>50</value></transaction>
 </iati-activity>
</iati-activities>"""
    run(write("old.xml", v1))
    a = Activity.objects.get()
    assert (a.title, a.reporting_org_name, a.start_date) == (
        "Old schools",
        "DFID",
        date(2010, 2, 1),
    )
    assert a.participating_orgs[0]["role"] == "1"
    assert a.sectors == [{"code": "11220", "vocabulary": "1"}]
    assert a.amounts == {"disbursement": {"GBP": "50"}}
    codes = set(ActivityPlace.objects.filter(kind="S").values_list("code", "how"))
    assert ("SN-KE", "A") in codes and ("SN-KE", "P") in codes
    assert SourceFile.objects.get().version == "1.03"


def test_ma_12_before_2019_is_tadla_azilal(write: Any) -> None:
    run(
        write(
            "ma.xml",
            iati_file(
                activity("XM-MA-2017", country="MA", admin="MA-12", start="2017-03-01"),
                activity("XM-MA-2012", country="MA", point="31.9 -6.5", start="2012-03-01"),
                activity("XM-MA-2021", country="MA", point="31.9 -6.5", start="2021-03-01"),
            ),
        )
    )
    where = {
        (p.activity.identifier, p.territory.name if p.territory else "")
        for p in ActivityPlace.objects.filter(territory__isnull=False).select_related(
            "activity", "territory"
        )
    }
    assert ("XM-MA-2017", "Tadla-Azilal") in where
    assert ("XM-MA-2012", "Tadla-Azilal") in where  # a point in Azilal province, in 2012
    assert ("XM-MA-2021", "Béni Mellal-Khénifra") in where
    assert ("XM-MA-2021", "Tadla-Azilal") not in where


def test_bad_activities_are_quarantined_and_the_rest_kept(write: Any) -> None:
    path = write(
        "dirty.xml",
        iati_file(
            activity("XM-OK-1"),
            activity("", title="sans identifiant"),
            activity("XM-BAD-DATE", start="2024-13-45"),
            activity("XM-BAD-AMOUNT", budget="beaucoup"),
            activity("XM-OK-1", title="doublon"),
            activity("XM-OK-2"),
        ),
    )
    result = run(path)

    assert result.activities == 2
    assert set(Activity.objects.values_list("identifier", flat=True)) == {"XM-OK-1", "XM-OK-2"}
    reasons = dict(Quarantine.objects.values_list("position", "reason"))
    assert reasons[2] == "identifiant IATI absent (élément iati-identifier)"
    assert reasons[3].startswith("date invalide « 2024-13-45 »")
    assert reasons[4].startswith("montant invalide « beaucoup »")
    assert reasons[5] == "identifiant en double dans le fichier (déjà au rang 1)"
    assert Quarantine.objects.get(position=3).line is not None


def test_reimporting_a_file_replaces_its_activities(write: Any) -> None:
    path = write("f.xml", iati_file(activity("XM-1", title="un"), activity("XM-2")))
    run(path)
    write("f.xml", iati_file(activity("XM-1", title="un, corrigé"), activity("XM-3")))
    run(path)
    run(path)

    assert set(Activity.objects.values_list("identifier", flat=True)) == {"XM-1", "XM-3"}
    assert Activity.objects.get(identifier="XM-1").title == "un, corrigé"
    assert ActivitySource.objects.count() == 2
    assert ActivityPlace.objects.filter(activity__identifier="XM-1").count() == 1


def test_one_identifier_in_two_files_is_one_activity_with_both_sources(write: Any) -> None:
    a = write("a.xml", iati_file(activity("XM-SHARED"), activity("XM-A")))
    b = write("b.xml", iati_file(activity("XM-SHARED")))
    run(a, b)
    shared = Activity.objects.get(identifier="XM-SHARED")
    assert set(shared.sources.values_list("source_file__key", flat=True)) == {"a.xml", "b.xml"}
    # b no longer holds it: it stays, held by a
    write("b.xml", iati_file(activity("XM-B")))
    run(b)
    assert set(shared.sources.values_list("source_file__key", flat=True)) == {"a.xml"}
    assert Activity.objects.count() == 3


def test_folders_and_zip_archives(write: Any, tmp_path: Path) -> None:
    write("dir/one.xml", iati_file(activity("XM-D1")))
    write("dir/sub/two.xml", iati_file(activity("XM-D2")))
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("inner/three.xml", iati_file(activity("XM-Z3")))
        z.writestr("readme.txt", "not xml")
    run(tmp_path / "dir", archive)
    assert set(SourceFile.objects.values_list("key", flat=True)) == {
        "one.xml",
        "sub/two.xml",
        "batch.zip/inner/three.xml",
    }
    assert Activity.objects.count() == 3


def test_a_broken_file_keeps_what_was_read_before_the_error(write: Any) -> None:
    content = iati_file(activity("XM-1"), activity("XM-2")).replace(
        b"</iati-activities>", b"<iati-activity><oops></iati-activities>"
    )
    result = run(write("broken.xml", content))
    assert result.activities == 2
    assert "XML mal formé" in SourceFile.objects.get().error


def test_only_the_hosts_managers_import(world: Any, write: Any) -> None:
    path = write("a.xml", iati_file(activity("XM-1")))
    with pytest.raises(PermissionDenied):
        services.import_iati(paths=[path], by=world.constantine_editor)
    services.import_iati(paths=[path], by=world.officer)
    assert Activity.objects.count() == 1


# --- malicious files ---------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity><iati-identifier>XM-LOL</iati-identifier>
<title><narrative>&lol9;</narrative></title></iati-activity></iati-activities>
"""


def test_entity_expansion_is_refused_without_growing_memory(write: Any) -> None:
    path = write("lol.xml", BILLION_LAUGHS)
    tracemalloc.start()
    result = run(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert result.files[0].refused
    assert "DTD" in result.files[0].error
    assert peak < 20 * 1024 * 1024
    assert not Activity.objects.exists()


def test_an_external_entity_is_not_read(write: Any, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    evil = (
        f'<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<iati-activities version="2.03"><iati-activity><iati-identifier>XM-XXE'
        "</iati-identifier><title><narrative>&xxe;</narrative></title></iati-activity>"
        "</iati-activities>"
    ).encode()
    result = run(write("xxe.xml", evil))
    assert result.files[0].refused
    assert not Activity.objects.filter(title__contains="TOP-SECRET").exists()
    assert not Activity.objects.exists()


def test_a_dtd_on_a_url_is_not_fetched(write: Any) -> None:
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY x "fetched">')

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/evil.dtd"
        evil = (
            f'<?xml version="1.0"?>\n<!DOCTYPE iati-activities SYSTEM "{url}">\n'
            '<iati-activities version="2.03"><iati-activity><iati-identifier>XM-DTD'
            "</iati-identifier></iati-activity></iati-activities>"
        ).encode()
        result = run(write("dtd.xml", evil))
    finally:
        server.shutdown()
    assert result.files[0].refused
    assert hits == []
    assert not Activity.objects.exists()


def test_a_refused_reimport_keeps_the_previous_content(write: Any) -> None:
    path = write("f.xml", iati_file(activity("XM-1")))
    run(path)
    path.write_bytes(BILLION_LAUGHS)
    run(path)
    assert list(Activity.objects.values_list("identifier", flat=True)) == ["XM-1"]


# --- the real samples ------------------------------------------------------------------------


@pytest.mark.charter("PRJ-12")
def test_the_samples_imported_twice_leave_one_activity_per_identifier() -> None:
    if not SAMPLES.is_dir():
        pytest.skip(f"shared samples absent: {SAMPLES}")
    archives = sorted(SAMPLES.glob("*.tar.xz"))
    first = run(*archives)
    count = Activity.objects.count()
    # the second time through the reading process (the command's default)
    second = services.import_iati(paths=archives, by=None, parallel=True)[1]

    quarantined = Quarantine.objects.count()
    assert Activity.objects.count() == count
    assert first.activities == second.activities
    assert quarantined == second.quarantined > 0
    assert all(Quarantine.objects.exclude(reason="").values_list("reason", flat=True))
    # every distinct identifier read and not quarantined is one activity
    assert count > 13000
    assert ActivitySource.objects.count() == first.activities


def test_a_file_of_several_batches_is_written_once(write: Any, monkeypatch: Any) -> None:
    from reciproca.pooling import ingest

    monkeypatch.setattr(ingest, "BATCH", 2)
    path = write("f.xml", iati_file(*(activity(f"XM-{n}") for n in range(5))))
    run(path)
    assert Activity.objects.count() == 5
    assert ActivitySource.objects.count() == 5
