"""Who entered a diary score, in words: `{{ score|score_source }}`."""

from django import template

from blocks.views.diaries import who_entered

register = template.Library()


@register.filter
def score_source(score) -> str:
    return who_entered(score)
