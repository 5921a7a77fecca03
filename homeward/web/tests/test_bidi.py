"""A name inside a translated sentence keeps its own direction and stays escaped."""

from __future__ import annotations

from django.template import Context, Template


def test_a_name_in_a_translated_sentence_is_isolated_and_escaped() -> None:
    template = Template(
        "{% load i18n bidi %}{% blocktranslate with who=name|isolate %}"
        "Handed over to {{ who }}.{% endblocktranslate %}"
    )
    assert template.render(Context({"name": "فاطمة الحسن"})) == (
        "Handed over to <bdi>فاطمة الحسن</bdi>."
    )
    assert template.render(Context({"name": "<b>Ann</b>"})) == (
        "Handed over to <bdi>&lt;b&gt;Ann&lt;/b&gt;</bdi>."
    )
