"""Every page carries a Content-Security-Policy without inline script, a Permissions-Policy,
and a signed-in user's pages are never cached."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_a_public_page_has_the_policies(client):
    response = client.get("/comptes/connexion/")
    csp = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]


def test_a_signed_in_user_s_pages_are_not_stored(client, world):
    client.force_login(world.officer)
    for url in ("/", "/api/v1/projects/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


def test_no_template_has_an_inline_script_or_event_handler():
    """What the policy forbids, the templates do not use (an inline script would silently stop
    working in the browser)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    offenders = []
    for path in [*root.glob("templates/**/*.html"), *root.glob("reciproca/*/templates/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*[\"']", text):
            offenders.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert not offenders, offenders
