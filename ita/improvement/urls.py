from django.urls import path

from ita.improvement import views

app_name = "improvement"

urlpatterns = [
    path("", views.home, name="home"),
    path("catalogue/<int:framework_id>/", views.catalogue, name="catalogue"),
    path("<slug:slug>/<slug:code>/", views.unit_measures, name="unit"),
    path("<slug:slug>/<slug:code>/plan/", views.set_plan, name="plan"),
    path("<slug:slug>/<slug:code>/public/", views.set_public, name="public"),
    path("<slug:slug>/<slug:code>/measures/new/", views.new_measure, name="new"),
    path("<slug:slug>/<slug:code>/measures/<int:pk>/", views.edit_measure, name="edit"),
    path("<slug:slug>/<slug:code>/measures/<int:pk>/<int:months>/", views.follow_up, name="follow-up"),
    path("<slug:slug>/<slug:code>/actions/", views.add_action, name="action"),
    path("<slug:slug>/<slug:code>/rounds/<int:months>/", views.write_summary, name="summary"),
    path("<slug:slug>/<slug:code>/carry-over/", views.carry_over, name="carry-over"),
]
