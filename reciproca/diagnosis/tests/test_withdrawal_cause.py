"""Partners read shared work in their own language (PRI-1): why a sign-off was withdrawn is
worded in the reader's language, whoever made the change and in whatever language."""

from __future__ import annotations

import html

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from reciproca.diagnosis import services
from reciproca.diagnosis.models import (
    DiagnosisSignOff,
    Dimension,
    Direction,
    Directness,
    Horizon,
    Side,
)
from reciproca.diagnosis.tests.conftest import sign_as_row

FRENCH_CAUSE = (
    "la modification de la case « social · direct · court terme » (territoire partenaire, "
    "proposition) par Alice"
)
ARABIC_CAUSE = "تعديل الخانة «اجتماعي · مباشر · المدى القصير» (إقليم الشريك، المقترح) من قِبل Alice"


def set_cell(project, by, justification):
    return services.set_impact_cell(
        project=project, by=by, side=Side.PARTNER, dimension=Dimension.SOCIAL,
        directness=Directness.DIRECT, horizon=Horizon.SHORT, direction=Direction.POSITIVE,
        magnitude=2, likelihood=3, justification=justification,
    )  # fmt: skip


def overview(client, project, language):
    client.cookies.load({"django_language": language})
    response = client.get(reverse("diagnosis:overview", args=[project.pk]))
    assert response.status_code == 200
    # As read: without the tags (<bdi> isolates names on right-to-left pages).
    return html.unescape(strip_tags(response.content.decode()))


@pytest.mark.charter("PRI-1")
def test_a_withdrawal_cause_is_read_in_the_readers_language(project, client, world):
    set_cell(project, world.constantine_editor, "Moins de coupures.")
    sign_as_row(project, world.constantine_editor)
    # Alice, in French, changes the cell karim signed.
    with translation.override("fr"):
        set_cell(project, world.officer, "Moins de coupures, plus tôt.")

    client.force_login(world.constantine_editor)
    page = overview(client, project, "ar")
    assert "سُحبت مصادقة Wilaya de Constantine في" in page
    assert ARABIC_CAUSE in page
    assert "la modification de la case" not in page

    page = overview(client, project, "fr")
    assert "La validation de la Wilaya de Constantine a été retirée le" in page
    assert f"suite à {FRENCH_CAUSE}." in page

    # The API words it in the reader's language too, and gives the cause as data.
    client.cookies.load({"django_language": "ar"})
    signoff = client.get(reverse("api:diagnosis-signoff-list")).json()["results"][0]
    assert signoff["withdrawn_reason"] == ARABIC_CAUSE
    assert signoff["withdrawn_cause"]["code"] == "cell_changed"


@pytest.mark.charter("PRI-1")
def test_the_stored_text_stays_french_whatever_the_authors_language(project, world):
    sign_as_row(project, world.officer)
    # Karim works in Arabic: the audit text is still written in French.
    with translation.override("ar"):
        set_cell(project, world.constantine_editor, "Moins de coupures.")
    signoff = DiagnosisSignOff.objects.get(organisation=world.isere)
    assert signoff.withdrawn_reason.startswith("la modification de la case « social")
    assert signoff.withdrawn_cause["cell"]["dimension"] == Dimension.SOCIAL
