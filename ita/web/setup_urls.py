from django.urls import path

from ita.web import setup

app_name = "setup"

urlpatterns = [
    path("new/", setup.new, name="new"),
    path("<slug:slug>/", setup.overview, name="assessment"),
    path("<slug:slug>/calendar/", setup.calendar, name="calendar"),
    path("<slug:slug>/units/", setup.units, name="units"),
    path("<slug:slug>/open", setup.open_assessment, name="open"),
    path("<slug:slug>/coordinators", setup.appoint, name="appoint"),
]
