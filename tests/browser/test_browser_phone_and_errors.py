"""At 390 px (a phone) and on the error pages, in a real browser: the header folds behind a
menu and stays under 80 px, no page scrolls sideways, the impact matrix is one card per
dimension with readable cells, the 404 page is branded and right to left in Arabic; axe-core
finds no serious or critical violation on any of them. Screenshots in test-artifacts/."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from reciproca.diagnosis import services
from reciproca.diagnosis.models import Dimension, Direction, Directness, Horizon, Side
from reciproca.projects import services as project_services
from reciproca.projects.models import Project
from reciproca.testing import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium: Any, compiled_translations: None) -> Iterator[Any]:
    context = chromium.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _sign_in(page: Any, live_server: Any, username: str = "alice") -> None:
    page.goto(f"{live_server.url}/comptes/connexion/")
    if page.viewport_size["width"] <= 400:
        # Signed out too, the phone header folds its language switcher behind the menu.
        assert _header_height(page) <= 80
        assert _horizontal_overflow(page) <= 0
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")


def _serious_violations(page: Any, name: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    for violation in bad:
        print(name, violation["id"], violation["impact"], violation["help"])
        for node in violation["nodes"][:5]:
            print("   ", node["target"], node.get("failureSummary", "")[:200])
    return [f"{name}: {v['id']}" for v in bad]


def _horizontal_overflow(page: Any) -> int:
    """How many pixels the page is wider than the screen (0: nothing scrolls sideways)."""
    return page.evaluate(
        "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )


def _header_height(page: Any) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


@pytest.fixture
def project(world: Any) -> Project:
    today = timezone.localdate()
    project = project_services.create_project(
        partnership=world.constantine_partnership, by=world.officer,
        title="Eau potable dans les douars", summary="Raccorder trois douars au réseau d'eau.",
        programme=world.constantine_programme, start_date=today,
        end_date=today + timedelta(days=365),
    )  # fmt: skip
    for side, by in ((Side.HOST, world.officer), (Side.PARTNER, world.constantine_editor)):
        for dimension in Dimension:
            services.set_impact_cell(
                project=project, by=by, side=side, dimension=dimension,
                directness=Directness.DIRECT, horizon=Horizon.MEDIUM,
                direction=Direction.POSITIVE, magnitude=2, likelihood=2,
                justification=f"Effet {dimension.label} attendu pour les trois douars raccordés.",
            )  # fmt: skip
    project.refresh_from_db()
    return project


def test_at_390_px_the_dashboard_and_project_page_fold_the_menu_and_never_scroll_sideways(
    phone, live_server, page_screenshot, world, project
):
    _sign_in(phone, live_server)
    problems: list[str] = []
    # The dashboard: the menu folded, the header short, nothing wider than the screen.
    toggle = phone.get_by_role("button", name="Menu")
    toggle.wait_for()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert not phone.get_by_role("navigation", name="Navigation principale").is_visible()
    assert _header_height(phone) <= 80
    assert _horizontal_overflow(phone) <= 0
    page_screenshot(phone, "phone-dashboard-fr")
    problems += _serious_violations(phone, "phone dashboard")
    # The menu opens, shows the navigation, and leads to the project list.
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    nav = phone.get_by_role("navigation", name="Navigation principale")
    assert nav.is_visible()
    page_screenshot(phone, "phone-menu-open-fr")
    problems += _serious_violations(phone, "phone menu open")
    nav.get_by_role("link", name="Projets").click()
    phone.wait_for_url(f"{live_server.url}/projets/")
    assert _horizontal_overflow(phone) <= 0
    # A wide table scrolls inside its frame, with a visible hint, reachable from the keyboard.
    frames = phone.locator(".table-wrap[data-scrollable]")
    if frames.count():
        frame = frames.first
        assert frame.get_attribute("tabindex") == "0"
        hint = phone.evaluate(
            "getComputedStyle(document.querySelector('.table-wrap[data-scrollable]'),"
            " '::before').content"
        )
        assert "défiler" in hint
    problems += _serious_violations(phone, "phone project list")
    # The project page.
    phone.goto(f"{live_server.url}/projets/{project.pk}/")
    phone.get_by_role("heading", level=1, name="Eau potable dans les douars").wait_for()
    assert _header_height(phone) <= 80
    assert _horizontal_overflow(phone) <= 0
    page_screenshot(phone, "phone-project-fr")
    problems += _serious_violations(phone, "phone project page")
    assert problems == []


def test_at_390_px_the_impact_matrix_is_one_card_per_dimension_with_readable_cells(
    phone, live_server, page_screenshot, world, project
):
    _sign_in(phone, live_server)
    phone.goto(f"{live_server.url}{reverse('diagnosis:matrix', args=[project.pk, 'proposition'])}")
    matrix = phone.locator("table.matrix").first
    matrix.wait_for()
    assert _horizontal_overflow(phone) <= 0
    # One card per dimension: each dimension's group is as wide as the table, stacked.
    groups = matrix.locator("tbody")
    assert groups.count() == len(Dimension)
    boxes = [groups.nth(i).bounding_box() for i in range(groups.count())]
    table_box = matrix.bounding_box()
    assert all(box["width"] >= table_box["width"] - 2 for box in boxes)
    assert all(b["y"] >= a["y"] + a["height"] for a, b in itertools.pairwise(boxes))
    # Every cell readable: at least 150 px wide, its horizon written beside it, its text
    # on lines rather than one word per line, nothing clipped.
    cell = phone.locator("#case-proposition-host-economic-direct-medium")
    cell_box = cell.bounding_box()
    assert cell_box["width"] >= 300
    label = phone.evaluate(
        "getComputedStyle(document.querySelector('#case-proposition-host-economic-direct-medium'),"
        " '::before').content"
    )
    assert "moyen terme" in label.lower()
    justification = cell.locator(".cell__justification")
    assert justification.bounding_box()["width"] >= 150
    assert "Effet" in justification.inner_text()
    page_screenshot(phone, "phone-matrix-fr")
    assert _serious_violations(phone, "phone matrix") == []


def test_the_404_page_is_branded_and_right_to_left_in_arabic(
    new_page, live_server, page_screenshot, world
):
    page = new_page("ar")
    _sign_in(page, live_server, "karim")
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    response = page.goto(f"{live_server.url}/projets/999999/")
    assert response.status == 404
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator(".brand").is_visible()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text().strip() == "الصفحة غير موجودة"
    # Right to left: the heading starts at the right edge of its card.
    card = page.locator(".error-page").bounding_box()
    box = heading.bounding_box()
    assert box["x"] + box["width"] > card["x"] + card["width"] - 60
    assert "URLconf" not in page.content()
    way_back = page.locator(".error-page__ways a").first
    assert way_back.get_attribute("href") == "/"
    page_screenshot(page, "error-404-ar")
    assert _serious_violations(page, "404 ar") == []
    way_back.click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_403_and_500_pages_are_branded_and_accessible_on_a_phone(
    phone, live_server, page_screenshot, world, settings
):
    settings.ROOT_URLCONF = "reciproca.core.tests.errors_urls"
    problems: list[str] = []
    # Signed out: the 404 page and the login page, folded header included.
    response = phone.goto(f"{live_server.url}/nulle-part/")
    assert response.status == 404
    assert _header_height(phone) <= 80
    problems += _serious_violations(phone, "phone 404 signed out")
    phone.goto(f"{live_server.url}/comptes/connexion/")
    page_screenshot(phone, "phone-login-fr")
    problems += _serious_violations(phone, "phone login")
    _sign_in(phone, live_server, "nour")
    for code, title in ((403, "Action non autorisée"), (500, "Erreur du serveur")):
        response = phone.goto(f"{live_server.url}/test-errors/{code}/")
        assert response.status == code
        assert phone.get_by_role("heading", level=1).inner_text().strip() == title
        assert _horizontal_overflow(phone) <= 0
        page_screenshot(phone, f"phone-error-{code}-fr")
        problems += _serious_violations(phone, f"phone {code}")
    response = phone.goto(f"{live_server.url}/nulle-part/")
    assert response.status == 404
    problems += _serious_violations(phone, "phone 404")
    assert problems == []


def test_at_390_px_in_arabic_the_pages_read_right_to_left_without_sideways_scroll(
    phone, live_server, page_screenshot, world, project
):
    _sign_in(phone, live_server, "karim")
    phone.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    problems: list[str] = []
    for name, url in (
        ("dashboard", "/"),
        ("project", f"/projets/{project.pk}/"),
        ("matrix", reverse("diagnosis:matrix", args=[project.pk, "proposition"])),
    ):
        phone.goto(f"{live_server.url}{url}")
        assert phone.locator("html").get_attribute("dir") == "rtl"
        toggle = phone.get_by_role("button", name="القائمة")
        assert toggle.get_attribute("aria-expanded") == "false"
        assert _header_height(phone) <= 80
        assert _horizontal_overflow(phone) <= 0, name
        page_screenshot(phone, f"phone-{name}-ar")
        problems += _serious_violations(phone, f"phone {name} ar")
    # The matrix cell's horizon label sits on the right (the start of an Arabic line).
    cell = phone.locator("#case-proposition-host-economic-direct-medium")
    box = cell.bounding_box()
    text = cell.locator(".cell__direction").bounding_box()
    assert text["x"] + text["width"] < box["x"] + box["width"] - 60
    assert problems == []
