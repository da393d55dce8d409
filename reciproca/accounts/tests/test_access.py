"""Roles are granted, taken back and offered by invitation only through accounts.services:
a policy decides who may, an audit event says who did and why, invitations expire."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from reciproca.accounts import services
from reciproca.accounts.models import Role, RoleGrant, User
from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.models import events_for

pytestmark = pytest.mark.django_db


def test_an_officer_grants_a_role_and_the_partnership_s_history_says_so(world):
    newcomer = User.objects.create_user("samir", organisation=world.constantine)
    grant = services.grant_role(
        by=world.officer, user=newcomer, role=Role.PARTNER_READER,
        partnership=world.constantine_partnership, reason="suivi des indicateurs",
    )  # fmt: skip
    assert grant.partnership == world.constantine_partnership
    event = events_for(world.constantine_partnership).get(action="accounts.role.granted")
    assert event.actor == world.officer and event.reason == "suivi des indicateurs"
    assert event.after["user"] == "samir"


@pytest.mark.parametrize("who", ["constantine_editor", "constantine_reader", "elected", "outsider"])
def test_who_does_not_manage_access_cannot_grant(world, who):
    newcomer = User.objects.create_user("samir", organisation=world.constantine)
    with pytest.raises(PermissionDenied):
        services.grant_role(
            by=getattr(world, who), user=newcomer, role=Role.PARTNER_EDITOR,
            partnership=world.constantine_partnership,
        )  # fmt: skip
    assert not RoleGrant.objects.filter(user=newcomer).exists()


def test_only_an_administrator_names_an_administrator(world):
    newcomer = User.objects.create_user("samir", organisation=world.isere)
    with pytest.raises(PermissionDenied, match="administrateur"):
        services.grant_role(
            by=world.officer, user=newcomer, role=Role.ADMIN, organisation=world.isere
        )


def test_a_role_is_taken_back_only_with_a_reason(world):
    grant = RoleGrant.objects.get(user=world.constantine_reader)
    with pytest.raises(DomainError, match="pourquoi"):
        services.revoke_role(by=world.officer, grant=grant, reason=" ")
    services.revoke_role(by=world.officer, grant=grant, reason="fin de mission")
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    event = events_for(world.constantine_partnership).get(action="accounts.role.revoked")
    assert event.reason == "fin de mission" and event.before["user"] == "nour"


def _invite(world, **extra):
    return services.invite(
        by=world.officer, email="Samir@Constantine.dz", organisation=world.constantine,
        role=Role.PARTNER_EDITOR, language="ar", partnership=world.constantine_partnership,
        **extra,
    )  # fmt: skip


def test_an_invitation_is_mailed_in_the_invitee_s_language_and_accepted_once(client, world):
    _invitation, token = _invite(world)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["samir@constantine.dz"]
    assert (
        "Reciproca" in message.subject
        and message.subject != "Invitation à travailler dans Reciproca"
    )
    found = re.search(r"https?://\S+", str(message.body))
    assert found, message.body
    link = found.group(0)
    assert token in link

    page = client.get(reverse("accounts:invitation", args=[token]))
    assert page.status_code == 200
    response = client.post(
        reverse("accounts:invitation", args=[token]),
        {"username": "samir", "password": "Citadelle-2026!", "password_again": "Citadelle-2026!",
         "language": "ar", "first_name": "Samir", "last_name": "B."},
    )  # fmt: skip
    assert response.status_code == 302
    samir = User.objects.get(username="samir")
    assert samir.organisation == world.constantine and samir.preferred_language == "ar"
    assert RoleGrant.objects.filter(
        user=samir, role=Role.PARTNER_EDITOR, partnership=world.constantine_partnership
    ).exists()
    again = client.get(reverse("accounts:invitation", args=[token]))
    assert again.status_code == 410


def test_an_expired_invitation_opens_nothing(client, world):
    _invitation, token = _invite(world)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        page = client.get(reverse("accounts:invitation", args=[token]))
        assert page.status_code == 410
        assert "expiré" in page.content.decode()
        with pytest.raises(DomainError, match="expiré"):
            services.accept_invitation(
                token=token, username="samir", password="Citadelle-2026!", language="fr"
            )
    assert not User.objects.filter(username="samir").exists()


def test_a_weak_password_is_refused_with_django_s_reasons(world):
    _invitation, token = _invite(world)
    with pytest.raises(DomainError):
        services.accept_invitation(token=token, username="samir", password="123", language="fr")
    assert not User.objects.filter(username="samir").exists()


def test_an_invitation_of_an_inviter_who_lost_the_right_grants_nothing(world):
    _invitation, token = _invite(world)
    RoleGrant.objects.filter(user=world.officer).delete()
    with pytest.raises(PermissionDenied):
        services.accept_invitation(
            token=token, username="samir", password="Citadelle-2026!", language="fr"
        )
    assert not User.objects.filter(username="samir").exists()


def test_the_access_page_is_the_officer_s_only(client, world):
    url = reverse("partnerships:access", args=[world.constantine_partnership.pk])
    client.force_login(world.constantine_editor)
    assert client.get(url).status_code == 404
    client.force_login(world.officer)
    page = client.get(url)
    assert page.status_code == 200 and "nour" in page.content.decode().lower()
    response = client.post(
        url, {"action": "invite", "email": "a@b.dz", "organisation": world.constantine.pk,
              "role": Role.PARTNER_READER, "language": "fr"},
    )  # fmt: skip
    assert response.status_code == 302 and len(mail.outbox) == 1


def test_the_admin_shows_grants_but_cannot_write_them(client, world):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    assert client.get("/admin/accounts/rolegrant/").status_code == 200
    assert client.get("/admin/accounts/rolegrant/add/").status_code == 403
