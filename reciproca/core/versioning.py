"""No lost update: every editable object carries a revision, every edit names the one it saw.

An editable model inherits `Revisioned`: a `revision` counter (1 when created, +1 on each
save), who made it (`revised_by`) and when (`revised_at`). A write service calls
`check_revision(obj, expected, by=user)` before it changes anything: it locks the object's row,
and if someone saved it since the editor read revision `expected` it raises `EditConflict`
carrying the object as it is now, so the page or the API shows both versions and nothing is
overwritten. `expected=None` is an internal write (demo, commands, handlers) that names no
revision: it is not checked, but still locks and counts. `expected=0` says "I saw it absent"
(a matrix cell or a budget line not filled yet, written by an upsert).

The model field is `revision`, not `version`: the diagnosis and the results framework already
number their signed versions with `version`.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.core.exceptions import DomainError

M = TypeVar("M", bound="Revisioned")


class Revisioned(models.Model):
    revision = models.PositiveIntegerField(gettext_lazy("révision"), default=1, editable=False)
    revised_at = models.DateTimeField(
        gettext_lazy("révisé le"), null=True, blank=True, editable=False
    )
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("révisé par"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # A save limited to these fields (`update_fields`) is bookkeeping, not an edit, and does
    # not count: the diagnosis' version number, a project's stage.
    bookkeeping_fields: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {*update_fields} <= {
            *self.bookkeeping_fields,
            "updated_at",
        }:
            super().save(*args, **kwargs)
            return
        self.revised_at = timezone.now()
        self.revised_by = getattr(self, "_revising_user", None)
        if not self._state.adding:
            if not getattr(self, "_revision_locked", False):
                # An internal write that checked nothing: count on from the stored revision,
                # not from this copy's (which may be older).
                stored = (
                    type(self)
                    ._default_manager.filter(pk=self.pk)
                    .values_list("revision", flat=True)
                    .first()
                )
                self.revision = max(self.revision, stored or 0)
            # After check_revision the row is locked and this copy's revision is the stored one.
            self.revision += 1
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "revision", "revised_at", "revised_by"}
        super().save(*args, **kwargs)
        # The lock lasts one write: a later save of this copy counts on from the stored row.
        self._revision_locked = False


# The revision an API write that named none passes on: the service refuses it with
# `RevisionMissing` (API 428) after its own checks, so a reader still hears 403 first.
MISSING = -1


class RevisionMissing(DomainError):
    """A change of an existing object that names no revision (API 428)."""


class EditConflict(DomainError):
    """Someone saved the object since the editor opened it: nothing was written.

    `current` is the object as it is now (None: it was deleted), `expected` the revision the
    editor saw; `revision`, `revised_by`, `revised_at` describe the current version."""

    def __init__(self, *, current: Revisioned | None, expected: int) -> None:
        self.current = current
        self.expected = expected
        self.revision = current.revision if current is not None else 0
        self.revised_by = current.revised_by if current is not None else None
        self.revised_at = current.revised_at if current is not None else None
        super().__init__(conflict_message(current))


def when(at: Any) -> str:
    """ "14:32" today, "3 décembre 2026 14:32" another day, in the reader's language."""
    local = timezone.localtime(at)
    if local.date() == timezone.localdate():
        return formats.time_format(local, "H:i")
    return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'H:i')}"


def conflict_message(current: Revisioned | None) -> str:
    if current is None:
        return _(
            "Ce contenu a été supprimé pendant que vous le modifiiez : votre modification "
            "n'a pas été enregistrée."
        )
    who = current.revised_by
    if who is not None and current.revised_at is not None:
        return _(
            "Ce contenu a été modifié par %(user)s à %(time)s pendant que vous le modifiiez : "
            "votre modification n'a pas été enregistrée. Comparez votre version à la version "
            "actuelle, puis enregistrez à nouveau si vous voulez la remplacer."
        ) % {"user": who.get_full_name() or who.get_username(), "time": when(current.revised_at)}
    return _(
        "Ce contenu a été modifié pendant que vous le modifiiez : votre modification n'a pas été "
        "enregistrée. Comparez votre version à la version actuelle, puis enregistrez à nouveau "
        "si vous voulez la remplacer."
    )


def check_revision(obj: M | None, expected: int | None, *, by: Any = None) -> M | None:
    """Lock `obj`'s row and refuse with `EditConflict` if its revision is not `expected`.

    Call it inside the write's transaction, before anything is written; `obj` may be None for
    an upsert of something absent (then `expected` must be 0 or None). Returns `obj`, whose
    next `save()` counts the revision on from the locked row and names `by` as its author."""
    if expected == MISSING:
        raise RevisionMissing(
            _(
                "Indiquez la révision que vous modifiez : l'en-tête If-Match (la valeur de "
                "l'ETag reçu) ou le champ « revision » de l'objet lu."
            )
        )
    if expected is not None and expected < 0:
        raise DomainError(_("La révision indiquée n'est pas valide."))
    if obj is None or obj.pk is None:
        if expected not in (None, 0):
            raise EditConflict(current=None, expected=expected)
        if obj is not None:
            obj._revising_user = _user(by)  # type: ignore[attr-defined]
        return obj
    model = type(obj)
    current = model._default_manager.select_for_update().filter(pk=obj.pk).first()
    if current is None:
        raise EditConflict(current=None, expected=expected or 0)
    if expected is not None and current.revision != expected:
        raise EditConflict(current=current, expected=expected)
    obj.revision = current.revision
    obj._revision_locked = True
    obj._revising_user = _user(by)  # type: ignore[attr-defined]
    return obj


def _user(by: Any) -> Any:
    return by if getattr(by, "pk", None) else None


def revision_of(obj: Revisioned | None) -> int:
    """The revision an edit form carries: 0 for an object not created yet."""
    return obj.revision if obj is not None and obj.pk is not None else 0


def count_revision(obj: Revisioned) -> None:
    """An edit that saves no field of `obj` (its many-to-many tags) still makes a revision."""
    obj.save(update_fields=["revision"])
