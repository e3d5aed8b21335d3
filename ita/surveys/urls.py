from django.urls import path

from ita.surveys import manage, views

app_name = "surveys"

urlpatterns = [
    path("", views.code_entry, name="entry"),
    path("e/<str:token>/", views.eit_form, name="eit"),
    path("thanks/", views.thanks, name="thanks"),
    path("m/<slug:slug>/", manage.overview, name="overview"),
    path("m/<slug:slug>/progress.json", manage.overview_json, name="overview-json"),
    path("m/<slug:slug>/<slug:code>/", manage.unit_page, name="unit"),
    path("m/<slug:slug>/<slug:code>/progress.json", manage.unit_json, name="unit-json"),
    path("m/<slug:slug>/<slug:code>/codes/", manage.issue_codes, name="issue"),
    path("m/<slug:slug>/<slug:code>/codes/slips.pdf", manage.slips_pdf, name="slips"),
    path("m/<slug:slug>/<slug:code>/codes/codes.csv", manage.codes_csv, name="codes-csv"),
    path("m/<slug:slug>/<slug:code>/codes/<uuid:batch>/void/", manage.void_batch, name="void"),
    path("m/<slug:slug>/<slug:code>/poster.pdf", manage.poster_pdf, name="poster"),
]
