"""`{{ name|isolate }}`: a person's name inside a sentence, in `<bdi>` so that it lays out
by its own direction (Arabic in an English page, Cyrillic in an Arabic one) and takes the
sentence's punctuation with it. For the values of `{% blocktranslate with %}`, whose
sentence cannot hold the tag without changing what translators see."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def isolate(name: object) -> SafeString:
    return format_html("<bdi>{}</bdi>", name)
