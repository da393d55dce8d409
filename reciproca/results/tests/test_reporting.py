"""Partner reporting (PRJ-8): draft → submitted → returned → approved, the lock, revisions,
evidence files, comments, notifications in each recipient's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from reciproca.core.exceptions import ContentFrozen, DomainError, PermissionDenied
from reciproca.results import services
from reciproca.results.models import Notification, Report, Value
from reciproca.results.notifications import wording
from reciproca.results.tests.conftest import breakdown, build_framework

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def parts(project, world):
    return build_framework(project, world)


def _fill(project, world, parts, period, total=10):
    services.report_value(
        project=project,
        by=world.constantine_editor,
        indicator=parts["people"],
        period=period,
        value=Decimal(total),
        breakdown=breakdown(total),
    )
    services.report_value(
        project=project,
        by=world.constantine_editor,
        indicator=parts["governance"],
        period=period,
        narrative="La régie tient ses comptes.",
    )


@pytest.mark.charter("PRJ-8")
def test_the_review_loop_and_the_lock(project, world, parts):
    period = parts["periods"][0]
    karim, alice = world.constantine_editor, world.officer
    with pytest.raises(DomainError, match="n'a pas de valeur"):
        services.submit_report(project=project, by=karim, period=period)
    _fill(project, world, parts, period)
    services.submit_report(project=project, by=karim, period=period)
    with pytest.raises(DomainError, match="attend son examen"):
        _fill(project, world, parts, period, total=11)
    with pytest.raises(PermissionDenied):
        services.approve_report(project=project, by=karim, period=period)
    with pytest.raises(DomainError, match="motif"):
        services.return_report(project=project, by=alice, period=period, reason="  ")
    services.return_report(
        project=project, by=alice, period=period, reason="Le total ne correspond pas au registre."
    )
    assert Report.objects.get(period=period).state == Report.State.RETURNED
    _fill(project, world, parts, period, total=12)
    services.submit_report(project=project, by=karim, period=period)
    services.approve_report(project=project, by=alice, period=period)
    assert Report.objects.get(period=period).state == Report.State.APPROVED
    # Locked: a change without a reason is refused, nothing changes.
    with pytest.raises(ContentFrozen, match="verrouillée"):
        services.report_value(
            project=project,
            by=karim,
            indicator=parts["people"],
            period=period,
            value=Decimal(13),
            breakdown=breakdown(13),
        )
    assert Value.objects.get(indicator=parts["people"], period=period, is_current=True).value == 12


@pytest.mark.charter("PRJ-8")
def test_a_correction_after_approval_is_a_new_revision_and_the_old_one_is_kept(
    project, world, parts
):
    period = parts["periods"][0]
    _fill(project, world, parts, period)
    services.submit_report(project=project, by=world.constantine_editor, period=period)
    services.approve_report(project=project, by=world.officer, period=period)
    services.report_value(
        project=project,
        by=world.constantine_editor,
        indicator=parts["people"],
        period=period,
        value=Decimal(15),
        breakdown=breakdown(15),
        reason="Registre complété en janvier.",
    )
    rows = list(Value.objects.filter(indicator=parts["people"], period=period).order_by("revision"))
    assert [(r.revision, r.value, r.is_current) for r in rows] == [(1, 10, False), (2, 15, True)]
    assert rows[1].reason == "Registre complété en janvier."
    assert Report.objects.get(period=period).state == Report.State.SUBMITTED


@pytest.mark.charter("PRJ-8")
def test_the_people_concerned_are_notified_in_their_language(project, world, parts):
    world.officer.email, world.officer.preferred_language = "alice@example.org", "fr"
    world.officer.save()
    world.constantine_editor.email, world.constantine_editor.preferred_language = (
        "karim@example.org",
        "ar",
    )
    world.constantine_editor.save()
    period = parts["periods"][0]
    _fill(project, world, parts, period)
    services.submit_report(project=project, by=world.constantine_editor, period=period)
    assert Notification.objects.filter(user=world.officer, code="submitted").exists()
    assert "a soumis le rapport" in mail.outbox[-1].body
    services.return_report(
        project=project, by=world.officer, period=period, reason="Pièce manquante"
    )
    note = Notification.objects.get(user=world.constantine_editor, code="returned")
    assert "Pièce manquante" in wording(note.code, note.params)
    assert mail.outbox[-1].to == ["karim@example.org"]
    assert "renvoyé le rapport" not in mail.outbox[-1].body  # worded in Arabic
    assert "Pièce manquante" in mail.outbox[-1].body


def test_evidence_is_typed_by_content_and_served_only_within_the_project(
    project, world, parts, client
):
    period = parts["periods"][0]
    _fill(project, world, parts, period)
    value = Value.objects.get(indicator=parts["people"], period=period)
    with pytest.raises(DomainError, match="ni un PDF"):
        services.add_evidence(
            project=project,
            by=world.constantine_editor,
            value=value,
            upload=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"),
        )
    evidence = services.add_evidence(
        project=project,
        by=world.constantine_editor,
        value=value,
        upload=SimpleUploadedFile("releve.pdf", PDF),
    )
    assert evidence.content_type == "application/pdf"
    client.force_login(world.outsider)
    assert client.get(f"/resultats/{project.pk}/pieces/{evidence.pk}/").status_code == 404
    client.force_login(world.constantine_reader)
    response = client.get(f"/resultats/{project.pk}/pieces/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF


def test_a_too_large_file_is_refused(project, world, parts, settings):
    settings.RECIPROCA_MAX_UPLOAD_BYTES = 4096
    period = parts["periods"][0]
    _fill(project, world, parts, period)
    value = Value.objects.get(indicator=parts["people"], period=period)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 4097)
    with pytest.raises(DomainError, match="trop lourd"):
        services.add_evidence(project=project, by=world.constantine_editor, value=value, upload=big)


def test_comments_per_value(project, world, parts):
    period = parts["periods"][0]
    services.add_comment(
        project=project, by=world.officer, indicator=parts["people"], period=period, text="Source ?"
    )
    services.add_comment(
        project=project,
        by=world.constantine_editor,
        indicator=parts["people"],
        period=period,
        text="Registre communal.",
    )
    assert [c.text for c in parts["people"].comments.all()] == ["Source ?", "Registre communal."]
    with pytest.raises(PermissionDenied):
        services.add_comment(
            project=project, by=world.outsider, indicator=parts["people"], period=period, text="x"
        )


def test_a_breakdown_that_does_not_add_up_is_refused_with_the_difference(project, world, parts):
    period = parts["periods"][0]
    with pytest.raises(DomainError, match="différence : 2"):
        services.report_value(
            project=project,
            by=world.constantine_editor,
            indicator=parts["people"],
            period=period,
            value=Decimal(10),
            breakdown={"F|15-24": "7", "M|0-14": "5"},
        )
    assert not Value.objects.exists()
