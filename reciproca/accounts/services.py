"""Who may work where: role grants and invitations, written only here.

`grant_role` and `revoke_role` check that the acting user manages access on the scope (an
administrator or officer of the host authority, on the scope or an enclosing one), keep one
grant per user, role and scope, and write an audit event on the scope (its history shows who
gave whom which role, and why a role was taken back). An officer invites a partner's staff by
e-mail (`invite`): the invitation names the organisation, the role and the scope, expires after
`RECIPROCA_INVITATION_DAYS` days (7), and is accepted once (`accept_invitation`), where the
person chooses a username, a password (Django's validators) and a language. The admin shows
grants read-only: it has no path of its own around these rules.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from reciproca.accounts.models import Invitation, Role, RoleGrant, User
from reciproca.accounts.policies import forget_roles, roles_on
from reciproca.core.exceptions import DomainError, PermissionDenied
from reciproca.core.language import le
from reciproca.core.models import record_event

MANAGING_ROLES = frozenset({Role.ADMIN, Role.OFFICER})
PARTNER_ROLES = frozenset({Role.PARTNER_EDITOR, Role.PARTNER_READER})
DEFAULT_INVITATION_DAYS = 7


def _scope_of(
    organisation: Any = None, partnership: Any = None, project: Any = None
) -> tuple[str, Any]:
    given = [(k, v) for k, v in (("organisation", organisation), ("partnership", partnership),
                                 ("project", project)) if v is not None]  # fmt: skip
    if len(given) != 1:
        raise DomainError(
            _("Un rôle porte sur exactement une organisation, un partenariat ou un projet.")
        )
    return given[0]


def _host_id(kind: str, scope: Any) -> int | None:
    if kind == "organisation":
        return int(scope.pk)
    if kind == "partnership":
        return int(scope.host_id)
    return int(scope.partnership.host_id)


def managing_roles_on(user: Any, kind: str, scope: Any) -> frozenset[str]:
    if kind == "organisation":
        return roles_on(user, organisation_ids=(scope.pk,)) & MANAGING_ROLES
    if kind == "partnership":
        return roles_on(user, organisation_ids=(scope.host_id,), partnership_id=scope.pk) & (
            MANAGING_ROLES
        )
    return (
        roles_on(
            user,
            organisation_ids=(scope.partnership.host_id,),
            partnership_id=scope.partnership_id,
            project_id=scope.pk,
        )
        & MANAGING_ROLES
    )


def can_manage_access(user: Any, *, organisation: Any = None, partnership: Any = None,
                      project: Any = None) -> bool:  # fmt: skip
    kind, scope = _scope_of(organisation, partnership, project)
    return bool(managing_roles_on(user, kind, scope))


def _check_grant(by: Any, kind: str, scope: Any, role: str, organisation_id: int | None) -> None:
    """Who may give this role here, and to a member of which organisation."""
    if role not in Role.values:
        raise DomainError(_("Rôle inconnu : %(role)s.") % {"role": role})
    held = managing_roles_on(by, kind, scope)
    if not held:
        raise PermissionDenied(_("Vous ne gérez pas les accès à cet espace."))
    if role == Role.ADMIN and Role.ADMIN not in held:
        raise PermissionDenied(_("Seul un administrateur peut nommer un administrateur."))
    if role in PARTNER_ROLES and organisation_id == _host_id(kind, scope):
        raise DomainError(
            _(
                "Un rôle de partenaire va au personnel d'une organisation partenaire, pas à "
                "celui de la collectivité hôte."
            )
        )


def _describe(grant: RoleGrant | Invitation) -> dict[str, Any]:
    if isinstance(grant, Invitation):
        scope = grant.scope_organisation or grant.partnership or grant.project
    else:
        scope = grant.organisation or grant.partnership or grant.project
    return {"role": grant.role, "scope": str(scope)}


def grant_role(
    *, by: Any, user: User, role: str, organisation: Any = None, partnership: Any = None,
    project: Any = None, reason: str = "",
) -> RoleGrant:  # fmt: skip
    kind, scope = _scope_of(organisation, partnership, project)
    _check_grant(by, kind, scope, role, user.organisation_id)
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, **{kind: scope})
        if created:
            record_event(
                action="accounts.role.granted", by=by, subject=scope, reason=reason,
                after={"user": user.username, **_describe(grant)},
            )  # fmt: skip
    forget_roles(user)
    return grant


def revoke_role(*, by: Any, grant: RoleGrant, reason: str) -> None:
    if not reason.strip():
        raise DomainError(_("Dites pourquoi ce rôle est retiré."))
    kind, scope = _scope_of(grant.organisation, grant.partnership, grant.project)
    if not managing_roles_on(by, kind, scope):
        raise PermissionDenied(_("Vous ne gérez pas les accès à cet espace."))
    with transaction.atomic():
        before = {"user": grant.user.username, **_describe(grant)}
        grant.delete()
        record_event(
            action="accounts.role.revoked", by=by, subject=scope, reason=reason, before=before
        )
    forget_roles(grant.user)


# --- invitations -------------------------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_days() -> int:
    return int(getattr(settings, "RECIPROCA_INVITATION_DAYS", DEFAULT_INVITATION_DAYS))


def invite(
    *, by: Any, email: str, organisation: Any, role: str, language: str = "fr",
    partnership: Any = None, project: Any = None, scope_organisation: Any = None,
) -> tuple[Invitation, str]:  # fmt: skip
    """Invite a person of `organisation` to hold `role` on one scope; e-mail them the link.

    Returns the invitation and its token (only its digest is stored)."""
    kind, scope = _scope_of(scope_organisation, partnership, project)
    _check_grant(by, kind, scope, role, organisation.pk)
    if language not in dict(settings.LANGUAGES):
        raise DomainError(_("Langue inconnue : %(code)s.") % {"code": language})
    email = email.strip().lower()
    if not email or "@" not in email:
        raise DomainError(_("Adresse électronique invalide."))
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        field = "scope_organisation" if kind == "organisation" else kind
        invitation = Invitation.objects.create(
            email=email, organisation=organisation, role=role, language=language,
            token_digest=_digest(token), invited_by=by,
            expires_at=timezone.now() + timedelta(days=invitation_days()), **{field: scope},
        )  # fmt: skip
        record_event(
            action="accounts.invitation.sent", by=by, subject=scope,
            after={"email": email, "organisation": str(organisation), **_describe(invitation)},
        )  # fmt: skip
    _send_invitation(invitation, token, scope)
    return invitation, token


def _send_invitation(invitation: Invitation, token: str, scope: Any) -> None:
    base = getattr(settings, "RECIPROCA_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    link = base + reverse("accounts:invitation", args=[token])
    with translation.override(invitation.language):
        subject = _("Invitation à travailler dans Reciproca")
        body = _(
            "%(inviter)s vous invite à rejoindre Reciproca, pour %(le_org)s, avec le rôle "
            "« %(role)s » sur « %(scope)s ».\n\nChoisissez votre identifiant et votre mot de passe "
            "ici, avant le %(expires)s :\n%(link)s\n"
        ) % {
            "inviter": invitation.invited_by.get_full_name() or invitation.invited_by.username,
            "le_org": le(invitation.organisation),
            "role": invitation.get_role_display(),
            "scope": scope,
            "expires": timezone.localtime(invitation.expires_at).strftime("%d/%m/%Y %H:%M"),
            "link": link,
        }
    send_mail(subject, body, None, [invitation.email])


def open_invitation(token: str) -> Invitation:
    """The invitation this token opens, or a DomainError saying why it no longer does."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_digest=_digest(token))
        .first()
    )
    if invitation is None:
        raise DomainError(_("Cette invitation n'existe pas."))
    if invitation.accepted_at is not None:
        raise DomainError(_("Cette invitation a déjà servi : connectez-vous."))
    if invitation.expires_at <= timezone.now():
        raise DomainError(
            _(
                "Cette invitation a expiré : demandez-en une nouvelle à la personne qui vous a "
                "invité."
            )
        )
    return invitation


def accept_invitation(
    *, token: str, username: str, password: str, language: str, first_name: str = "",
    last_name: str = "",
) -> User:  # fmt: skip
    with transaction.atomic():
        invitation = open_invitation(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise DomainError(_("Cette invitation a déjà servi : connectez-vous."))
        username = username.strip()
        if not username:
            raise DomainError(_("Choisissez un identifiant."))
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(_("Cet identifiant est déjà pris : choisissez-en un autre."))
        if language not in dict(settings.LANGUAGES):
            raise DomainError(_("Langue inconnue : %(code)s.") % {"code": language})
        user = User(
            username=username, email=invitation.email, first_name=first_name,
            last_name=last_name, organisation=invitation.organisation, preferred_language=language,
        )  # fmt: skip
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise DomainError(list(error.messages)) from error
        user.set_password(password)
        user.save()
        kind, scope = _scope_of(invitation.scope_organisation, invitation.partnership,
                                invitation.project)  # fmt: skip
        # The inviter's right is asked again: one who lost it meanwhile invites no one.
        grant_role(
            by=invitation.invited_by, user=user, role=invitation.role, **{kind: scope},
            reason=_("invitation acceptée"),
        )  # fmt: skip
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_event(
            action="accounts.invitation.accepted", by=user, subject=scope,
            after={"user": username, **_describe(invitation)},
        )  # fmt: skip
    return user
