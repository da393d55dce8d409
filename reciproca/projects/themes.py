"""Project themes across charter versions: when a new version of a charter becomes active, each
project's priority themes are carried over by code (a theme is stable across versions by its
code); a theme the new version no longer has is reported, never silently dropped."""

from __future__ import annotations

from django.utils.translation import ngettext

from reciproca.charter.models import Charter, Theme
from reciproca.projects.models import Project


def carry_themes_over(previous: Charter | None, charter: Charter) -> list[str]:
    """Re-point the projects' links from other versions of `charter`'s slug to its themes.

    Returns one sentence per theme that disappeared, naming how many projects had it (their
    link to the old version's theme is kept, so nothing is lost; it no longer counts for the
    charter in force).
    """
    through = Project.themes.through
    new_themes = {theme.code: theme for theme in Theme.objects.filter(charter=charter)}
    old_links = through.objects.filter(theme__charter__slug=charter.slug).exclude(
        theme__charter=charter
    )
    if not old_links.exists():
        return []
    notes: list[str] = []
    old_themes = Theme.objects.filter(pk__in=old_links.values("theme_id")).order_by("code", "pk")
    lost: dict[str, tuple[str, set[int]]] = {}
    for old in old_themes:
        links = through.objects.filter(theme=old)
        new = new_themes.get(old.code)
        if new is None:
            name, projects = lost.setdefault(old.code, (old.name, set()))
            projects.update(links.values_list("project_id", flat=True))
            continue
        # A project already linked to the new theme keeps that one link.
        already = set(
            through.objects.filter(
                theme=new, project_id__in=links.values("project_id")
            ).values_list("project_id", flat=True)
        )
        links.filter(project_id__in=already).delete()
        links.exclude(project_id__in=already).update(theme=new)
    for code, (name, projects) in sorted(lost.items()):
        notes.append(
            ngettext(
                "Le thème « %(name)s » (%(code)s) n'existe plus dans la version %(version)s : "
                "%(count)d projet le portait ; il ne compte plus pour la charte en vigueur, "
                "choisissez-lui un autre thème.",
                "Le thème « %(name)s » (%(code)s) n'existe plus dans la version %(version)s : "
                "%(count)d projets le portaient ; il ne compte plus pour la charte en vigueur, "
                "choisissez-leur un autre thème.",
                len(projects),
            )
            % {"name": name, "code": code, "version": charter.version, "count": len(projects)}
        )
    return notes
