"""Users, the organisation each belongs to, and the roles they hold on an organisation's whole
portfolio, on one partnership or on one project."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    preferred_language = models.CharField(_("langue préférée"), max_length=8, default="fr")

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "ADMIN", _("administrateur de la collectivité")
    OFFICER = "OFFICER", _("chargé de mission")
    ELECTED = "ELECTED", _("élu")
    PARTNER_EDITOR = "PARTNER_EDITOR", _("partenaire (rédacteur)")
    PARTNER_READER = "PARTNER_READER", _("partenaire (lecteur)")
    EVALUATOR = "EVALUATOR", _("évaluateur")


EDITING_ROLES = frozenset({Role.ADMIN, Role.OFFICER, Role.PARTNER_EDITOR})


class RoleGrant(models.Model):
    """A role on exactly one scope: an organisation's whole portfolio, a partnership or a project.

    An organisation-wide grant on the host authority (the department) reaches every partnership
    it runs; a grant on a partnership reaches its projects; a grant on a project reaches only it.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "partnerships.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="grants",
    )
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    granted_at = models.DateTimeField(_("accordé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("rôle accordé")
        verbose_name_plural = _("rôles accordés")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, partnership__isnull=True, project__isnull=True)
                    | Q(organisation__isnull=True, partnership__isnull=False, project__isnull=True)
                    | Q(organisation__isnull=True, partnership__isnull=True, project__isnull=False)
                ),
                name="rolegrant_exactly_one_scope",
            ),
        ]

    def __str__(self) -> str:
        scope = self.organisation or self.partnership or self.project
        return f"{self.user} · {self.get_role_display()} · {scope}"


class SignInFailures(models.Model):
    """Failed sign-in attempts from one client address in the current window
    (accounts/throttle.py): kept in the database so every server process counts the same."""

    address = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.address}: {self.count}"


class Invitation(models.Model):
    """An invitation by e-mail to hold a role on one scope (accounts/services.py): only the
    token's digest is stored; it expires, and is accepted once."""

    email = models.EmailField(_("adresse électronique"))
    organisation = models.ForeignKey(
        "partnerships.Organisation", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("organisation"),
    )  # fmt: skip
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    scope_organisation = models.ForeignKey(
        "partnerships.Organisation", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    partnership = models.ForeignKey(
        "partnerships.Partnership", null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("langue"), max_length=8, default="fr")
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        scope_organisation__isnull=False,
                        partnership__isnull=True,
                        project__isnull=True,
                    )
                    | Q(
                        scope_organisation__isnull=True,
                        partnership__isnull=False,
                        project__isnull=True,
                    )
                    | Q(
                        scope_organisation__isnull=True,
                        partnership__isnull=True,
                        project__isnull=False,
                    )
                ),
                name="invitation_exactly_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()}"
