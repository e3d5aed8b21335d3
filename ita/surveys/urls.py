from django.urls import path

from ita.surveys import coordinator_views, views

app_name = "surveys"

urlpatterns = [
    path("", views.code_entry, name="entry"),
    path("e/<str:token>/", views.eit_form, name="eit"),
    path("thanks/", views.thanks, name="thanks"),
    path("m/<slug:slug>/", coordinator_views.overview, name="overview"),
    path("m/<slug:slug>/progress.json", coordinator_views.overview_json, name="overview-json"),
    path("m/<slug:slug>/<slug:code>/", coordinator_views.unit_page, name="unit"),
    path("m/<slug:slug>/<slug:code>/progress.json", coordinator_views.unit_json, name="unit-json"),
    path("m/<slug:slug>/<slug:code>/codes/", coordinator_views.issue_codes, name="issue"),
    path("m/<slug:slug>/<slug:code>/codes/slips.pdf", coordinator_views.slips_pdf, name="slips"),
    path("m/<slug:slug>/<slug:code>/codes/codes.csv", coordinator_views.codes_csv, name="codes-csv"),
    path("m/<slug:slug>/<slug:code>/codes/<uuid:batch>/void/", coordinator_views.void_batch, name="void"),
    path("m/<slug:slug>/<slug:code>/poster.pdf", coordinator_views.poster_pdf, name="poster"),
]
