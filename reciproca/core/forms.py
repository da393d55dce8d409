"""What every edit form shares: the revision it was rendered with (no lost update).

An edit form inherits `RevisionForm` and says how an object fills it (`initial_from`). The
page renders it with `revision_of(obj)` in its initial data and passes
`form.cleaned_data["revision"]` to the service; when the service refuses with `EditConflict`,
`form.show_conflict(error)` keeps what the user typed, sets the revision to the current one
(saving again replaces the current version, knowingly) and lists each field's two versions for
`partials/form_errors.html`. The page answers 409.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reciproca.core.versioning import EditConflict, Revisioned, check_revision, revision_of, when


@dataclass(frozen=True)
class ConflictRow:
    label: str
    mine: str
    theirs: str

    @property
    def differs(self) -> bool:
        return self.mine != self.theirs


@dataclass(frozen=True)
class Conflict:
    message: str
    rows: list[ConflictRow]
    revised_by: str
    revised_at: str


class RevisionForm(forms.Form):
    # Every page renders it; a post without it (a script, not a browser) is not checked.
    revision = forms.IntegerField(
        label=gettext_lazy("Révision"), widget=forms.HiddenInput, min_value=0, required=False
    )

    conflict: Conflict | None = None

    @classmethod
    def initial_from(cls, obj: Any) -> dict[str, Any]:
        """The form's initial data for `obj` as it is (the revision included)."""
        raise NotImplementedError(f"{cls.__name__} says how an object fills it")

    @classmethod
    def revision_initial(cls, obj: Revisioned | None) -> dict[str, Any]:
        return {"revision": revision_of(obj)}

    @property
    def revision_field(self) -> forms.BoundField:
        return self["revision"]

    def show_conflict(self, error: EditConflict, current: Any = None) -> None:
        """After the service refused: both versions side by side, the user's input kept, the
        revision moved to the current one so that saving again applies it over it.

        `current` is what fills the form (the object, or the project for tags), by default
        the object the conflict names."""
        target = current if current is not None else error.current
        theirs = self.initial_from(target) if target is not None else {}
        rows = []
        for name, field in self.fields.items():
            if name == "revision" or field.widget.is_hidden:
                continue
            mine = self._shown(field, self._mine(name, field))
            other = self._shown(field, theirs.get(name)) if target is not None else ""
            rows.append(ConflictRow(str(field.label or name), mine, other))
        by = error.revised_by
        self.conflict = Conflict(
            message=" ".join(error.reasons),
            rows=rows,
            revised_by=(by.get_full_name() or by.get_username()) if by is not None else "",
            revised_at=when(error.revised_at) if error.revised_at is not None else "",
        )
        data = self.data.copy()  # type: ignore[attr-defined]
        data[self.add_prefix("revision")] = str(error.revision)
        self.data = data

    def _mine(self, name: str, field: forms.Field) -> Any:
        if hasattr(self, "cleaned_data") and name in self.cleaned_data:
            return self.cleaned_data[name]
        return field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))

    @staticmethod
    def _shown(field: forms.Field, value: Any) -> str:
        """A value as the form shows it: a choice by its label, a list joined, yes/no."""
        if value in (None, "", [], ()):
            return "—"
        if isinstance(field, forms.BooleanField):
            return _("oui") if value else _("non")
        values = list(value) if isinstance(value, list | tuple | set) else [value]
        if isinstance(field, forms.ModelChoiceField):
            shown = []
            for item in values:
                if hasattr(item, "pk"):
                    shown.append(field.label_from_instance(item))
                    continue
                queryset = field.queryset
                match = (
                    queryset.filter(pk=item).first()
                    if queryset is not None and str(item).isdigit()
                    else None
                )
                shown.append(field.label_from_instance(match) if match else str(item))
            return ", ".join(sorted(shown))
        choices = {
            key: label
            for key, label in getattr(field, "choices", []) or []
            if not isinstance(label, list | tuple)
        }
        if choices:
            labels = {str(k): v for k, v in choices.items()}
            return ", ".join(str(labels.get(str(v), v)) for v in values)
        return ", ".join(str(v) for v in values)


def add_refusal(form: forms.Form, error: Exception, current: Any = None) -> None:
    """A service refused: an edit conflict shows both versions, any other refusal its
    reasons at the top of the form."""
    if isinstance(error, EditConflict) and isinstance(form, RevisionForm):
        form.show_conflict(error, current)
        return
    for reason in getattr(error, "reasons", [str(error)]):
        form.add_error(None, reason)


def refusal_status(form: forms.Form) -> int:
    """409 for an edit conflict (the input is kept), 422 for input to correct."""
    return 409 if getattr(form, "conflict", None) else 422


class RevisionedModelForm(forms.ModelForm):
    """The admin's form for a revisioned model (`ModelAdmin.form`): it carries the revision
    it was rendered with and refuses, with the conflict's message, to save over a later one.
    The admin validates inside its transaction: the row is locked from here to the save."""

    # Not "revision": the model's own field is not editable, and the admin lists form fields.
    seen_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_revision"].initial = revision_of(self.instance)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is not None:
            try:
                check_revision(self.instance, data.get("seen_revision"), by=self.revising_user)
            except EditConflict as error:
                raise forms.ValidationError(" ".join(error.reasons)) from error
        return data

    revising_user: Any = None
