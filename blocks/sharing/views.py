"""The printable episode summary: the episode page's record without its navigation and forms.

For the clinic letter and the patient's chart: a page with a print stylesheet (the browser's
Print gives a clean copy), and the same page as a PDF made by WeasyPrint.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from blocks.models import Episode
from blocks.sharing.pdf import PDF_CONTENT_TYPE, render_pdf
from blocks.views.access import clinical_page
from blocks.views.episodes import episode_page_context

TEMPLATE = "sharing/episode_summary.html"
STYLESHEET = "css/print.css"


def summary_context(request, episode: Episode) -> dict:
    """The episode page's data with every control taken out: nothing here is clicked."""
    context = episode_page_context(request, episode)
    for card in context["procedures"]:
        card.score_form = card.complication_form = None
    context.update(
        can_write=False,
        can_decide=False,
        decision_form=None,
        printed_at=timezone.localtime(),
        printed_by=request.user.get_full_name() or request.user.get_username(),
    )
    return context


def _episode(pk) -> Episode:
    return get_object_or_404(Episode.objects.select_related("patient"), pk=pk)


@clinical_page()
def episode_summary(request, pk):
    episode = _episode(pk)
    return render(request, TEMPLATE, summary_context(request, episode))


@clinical_page()
def episode_summary_pdf(request, pk):
    episode = _episode(pk)
    pdf = render_pdf(
        TEMPLATE, summary_context(request, episode), stylesheet=STYLESHEET, request=request
    )
    response = HttpResponse(pdf, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="episode-{episode.pk}-summary.pdf"'
    response["Cache-Control"] = "no-store"
    return response
