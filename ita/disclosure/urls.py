from django.urls import path

from ita.disclosure import views

app_name = "oit"

urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("snapshot/<int:check_id>/", views.snapshot, name="snapshot"),
    path("<slug:slug>/assign/", views.assign, name="assign"),
    path("<slug:slug>/<slug:code>/", views.evidence, name="evidence"),
    path("<slug:slug>/<slug:code>/items/<str:item_code>/", views.save_item, name="save-item"),
    path("<slug:slug>/<slug:code>/carry-over/", views.carry_over, name="carry-over"),
    path("<slug:slug>/<slug:code>/review/", views.review, name="review"),
    path("<slug:slug>/<slug:code>/review/release/", views.release, name="release"),
    path("<slug:slug>/<slug:code>/review/lock/", views.lock, name="lock"),
    path("<slug:slug>/<slug:code>/review/recheck/", views.recheck, name="recheck"),
    path("<slug:slug>/<slug:code>/review/items/<str:item_code>/", views.decide, name="decide"),
    path("<slug:slug>/<slug:code>/review/items/<str:item_code>/reopen/", views.reopen, name="reopen"),
]
