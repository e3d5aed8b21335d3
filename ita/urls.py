from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ita.api.urls import api
from ita.ops import views as ops_views
from ita.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/2fa/", ops_views.verify, name="two_factor"),
    path("accounts/2fa/setup/", ops_views.setup, name="two_factor_setup"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("a/<slug:slug>/", views.assessment_overview, name="assessment"),
    path("a/<slug:slug>/u/<slug:code>/", views.unit_year, name="unit-year"),  # the coordinator's checklist
    path("healthz", views.healthz, name="healthz"),
    path("s/", include("ita.surveys.urls")),  # IIT/EIT forms and survey management
    path("oit/", include("ita.disclosure.urls")),  # OIT evidence and review
    path("results/", include("ita.results.urls")),  # results, rankings, public open data
    path("improvement/", include("ita.improvement.urls")),  # measures and their follow-up
    path("api/v1/", api.urls),
    path("setup/", include("ita.web.setup_urls")),  # the program admin's guided setup
    path("admin/", admin.site.urls),
]

admin.site.site_header = "ITA Online"
admin.site.site_title = "ITA Online"
admin.site.index_title = "การจัดการระบบ"
