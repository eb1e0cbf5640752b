"""The printable summary pages; mounted by tracker/urls.py beside blocks.pages_urls."""

from django.urls import path

from blocks.sharing import views

urlpatterns = [
    path("episodes/<int:pk>/summary/", views.episode_summary, name="episode-summary"),
    path("episodes/<int:pk>/summary.pdf", views.episode_summary_pdf, name="episode-summary-pdf"),
]
