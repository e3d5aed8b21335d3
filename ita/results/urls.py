from django.urls import path

from ita.results import views

app_name = "results"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.ranking, name="ranking"),
    path("<slug:slug>/rollup/<slug:code>/", views.rollup, name="rollup"),
    path("<slug:slug>/u/<slug:code>/", views.unit_result, name="unit"),
    path("<slug:slug>/download/<slug:exporter>", views.download, name="download"),
    path("<slug:slug>/publish", views.publish, name="publish"),
    path("<slug:slug>/publish/confirm", views.publish_confirm, name="publish-confirm"),
    path("<slug:slug>/reopen", views.reopen, name="reopen"),
    path("<slug:slug>/refresh", views.refresh, name="refresh"),
]
