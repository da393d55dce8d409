"""The SDG goals and targets read in Arabic and Armenian (official Open SDG texts), and what
has no official translation marked as French on the page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from reciproca.reference import loaders
from reciproca.reference.models import PurposeCode, SdgGoal, SdgTarget

pytestmark = pytest.mark.django_db


def test_every_goal_and_target_has_its_arabic_and_armenian_text():
    # The session's reference data were loaded by `reciproca load_reference`'s loaders.
    assert SdgGoal.objects.filter(name_ar="").count() == 0
    assert SdgTarget.objects.filter(name_ar="").count() == 0
    assert SdgTarget.objects.filter(name_hy="").count() == 0
    goal = SdgGoal.objects.get(code="1")
    # name_ar, name_hy: columns added by django-modeltranslation (unknown to mypy).
    assert goal.name_ar == "الهدف 1. القضاء على الفقر بجميع أشكاله في كل مكان"  # type: ignore[attr-defined]
    assert goal.name_hy.startswith("Նպատակ 1. ")  # type: ignore[attr-defined]
    target = SdgTarget.objects.get(code="1.a")
    assert target.name_ar.startswith("كفالة حشـد موارد كبيرة")  # type: ignore[attr-defined]
    with translation.override("ar"):
        one = SdgTarget.objects.get(code="1.1")
        assert one.name == one.name_ar  # type: ignore[attr-defined]
    with translation.override("fr"):
        assert SdgTarget.objects.get(code="1.1").name.startswith("D’ici à 2030")


def test_the_translations_are_read_by_code_and_a_second_load_changes_nothing():
    texts = loaders.read_sdg_translations("targets")
    assert len(texts["ar"]) == len(texts["hy"]) == 169
    assert "17.19" in texts["ar"] and "1.a" in texts["hy"]
    assert loaders.load_sdg_targets().updated == 0


def test_a_text_without_translation_is_marked_french():
    code = PurposeCode.objects.filter(name_ar="").first()
    template = Template("{% load reciproca %}<li{{ c|lang_attr }}>{{ c.name }}</li>")
    with translation.override("ar"):
        assert ' lang="fr"' in template.render(Context({"c": code}))
        target = SdgTarget.objects.get(code="1.1")
        assert "lang" not in template.render(Context({"c": target}))
    with translation.override("fr"):
        assert "lang" not in template.render(Context({"c": code}))


def test_a_form_choice_without_translation_is_marked_french():
    from reciproca.projects.forms import TaggedChoiceField

    field = TaggedChoiceField(queryset=PurposeCode.objects.filter(name_ar="")[:1])
    code = PurposeCode.objects.filter(name_ar="").first()
    with translation.override("ar"):
        assert '<span lang="fr">' in field.label_from_instance(code)
    with translation.override("fr"):
        assert "lang" not in field.label_from_instance(code)
