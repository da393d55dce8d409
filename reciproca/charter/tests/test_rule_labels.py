"""Issue 7: the charter page names each rule by its label, never by its raw key."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils.html import escape
from django.utils.text import capfirst

from reciproca.charter import engine, rules
from reciproca.charter.models import Charter


@pytest.mark.django_db
def test_the_rules_show_their_labels_not_their_keys(
    client: Client, django_user_model: Any, isere: Charter
) -> None:
    client.force_login(django_user_model.objects.create_user(username="alice", password="x"))
    page = client.get("/charte/").content.decode()
    section = page[page.index('aria-labelledby="rules-title"') :]
    section = section[: section.index("</section>")]
    names = list(engine.rules(charter=isere))
    assert "min_services_involved" in names
    for name in names:
        assert f">{name}<" not in section  # no raw key shown as text
        assert escape(capfirst(str(rules.get(name).label))) in section
