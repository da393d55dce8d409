"""Uploads are judged by their content, kept outside the web root and served through a view
that applies the policy of the object they belong to."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reciproca.core.uploads import check_document
from reciproca.partnerships.models import Agreement

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HOSTILE = {
    "page.html": b"<html><script>alert(1)</script></html>",
    "image.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "tool.exe": b"MZ\x90\x00\x03",
    "fake.pdf": b"<script>alert(1)</script>",
}


@pytest.mark.parametrize(
    ("content", "mime"), [(PDF, "application/pdf"), (PNG, "image/png"), (JPEG, "image/jpeg")]
)
def test_pdf_and_images_are_accepted_by_content(content, mime):
    assert check_document(SimpleUploadedFile("whatever.bin", content)) == mime


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_anything_else_is_refused_whatever_its_name(name):
    with pytest.raises(ValidationError, match="ni un PDF"):
        check_document(SimpleUploadedFile(name, HOSTILE[name], content_type="application/pdf"))


def test_a_file_over_the_limit_is_refused_with_both_sizes(settings):
    settings.RECIPROCA_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(ValidationError, match="trop lourd"):
        check_document(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))


@pytest.fixture
def agreement(world, settings, tmp_path):
    settings.RECIPROCA_PRIVATE_ROOT = tmp_path / "private"
    agreement = Agreement(
        partnership=world.constantine_partnership, title="Convention 2026", purpose="Eau",
        forecast_amount=1000, valid_from=date(2026, 1, 1),
    )  # fmt: skip
    agreement.document = SimpleUploadedFile("signee.pdf", PDF)
    agreement.full_clean()
    agreement.save()
    return agreement


@pytest.mark.django_db
def test_a_signed_agreement_is_stored_outside_the_web_root(agreement, settings, tmp_path):
    path = agreement.document.path
    assert path.startswith(str(tmp_path / "private"))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        agreement.document.url  # no URL: only the view serves it


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("constantine_editor", 200), ("bethlehem_editor", 404), ("outsider", 404)],
)
def test_the_document_is_served_only_to_who_may_see_the_partnership(
    client, world, agreement, who, status
):
    client.force_login(getattr(world, who))
    response = client.get(reverse("partnerships:agreement-document", args=[agreement.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment" in response["Content-Disposition"]
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_an_html_agreement_is_refused_by_the_model_the_admin_validates(world, settings, tmp_path):
    settings.RECIPROCA_PRIVATE_ROOT = tmp_path / "private"
    agreement = Agreement(
        partnership=world.constantine_partnership, title="Convention", purpose="Eau",
        forecast_amount=1000, valid_from=date(2026, 1, 1),
    )  # fmt: skip
    agreement.document = SimpleUploadedFile("convention.pdf", HOSTILE["page.html"])
    with pytest.raises(ValidationError) as refused:
        agreement.full_clean()
    assert "document" in refused.value.message_dict


@pytest.mark.django_db
def test_an_evaluator_of_one_project_sees_neither_the_agreements_nor_their_documents(
    client, world, agreement
):
    from reciproca.accounts.models import Role, RoleGrant
    from reciproca.projects import services

    project = services.create_project(
        partnership=world.constantine_partnership, by=world.officer, title="Eau potable rurale",
        programme=world.constantine_programme,
    )  # fmt: skip
    RoleGrant.objects.create(user=world.evaluator, role=Role.EVALUATOR, project=project)
    client.force_login(world.evaluator)
    page = client.get(reverse("partnerships:detail", args=[world.constantine_partnership.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Convention 2026" not in html
    assert "programmes-title" not in html and "agreements-title" not in html
    assert "ne vous sont pas ouverts" in html
    document = client.get(reverse("partnerships:agreement-document", args=[agreement.pk]))
    assert document.status_code == 404
