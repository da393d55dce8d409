"""Base model and the domain audit log: who did what, when, why, before and after."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One domain event, written by a service in the same transaction as the change.

    `action` is namespaced (`projects.project.transitioned`); `subject` is the object the
    event is about (a project's timeline lists the events whose subject is the project).
    """

    action = models.CharField(_("action"), max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    reason = models.TextField(_("motif"), blank=True)
    before = models.JSONField(_("avant"), default=dict, blank=True)
    after = models.JSONField(_("après"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            # a subject's timeline, newest first
            models.Index(fields=["subject_type", "subject_id", "at"]),
            # the dashboard's recent activity: the newest events about one kind of subject
            models.Index(fields=["subject_type", "-at", "-id"], name="core_audit_recent_by_type"),
        ]
        verbose_name = _("événement d'audit")
        verbose_name_plural = _("événements d'audit")

    def __str__(self) -> str:
        return f"{self.action} @ {self.at:%Y-%m-%d %H:%M}"


def record_event(
    *,
    action: str,
    by: Any,
    subject: models.Model,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event; call it inside the service's transaction."""
    return AuditEvent.objects.create(
        action=action,
        actor=by if getattr(by, "pk", None) else None,
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=subject.pk,
        reason=reason,
        before=before or {},
        after=after or {},
    )


def events_for(subject: models.Model) -> models.QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=subject.pk,
    ).select_related("actor")
