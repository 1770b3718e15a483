"""URL map of the web app. Organisation pages live under ``/o/<slug>/``; the API under ``/api/``."""

from django.contrib import admin
from django.urls import include, path

from jamkoll.web.api.api import api

admin.site.site_header = "Jämkoll"
admin.site.site_title = "Jämkoll"

urlpatterns = [
    path("", include("jamkoll.web.front.urls")),
    path("konto/", include("jamkoll.web.accounts.urls")),
    path("portal/", include("jamkoll.web.portal.urls")),
    # Public event registration, cancellation and evaluation (no login; random tokens).
    path("anmalan/", include("jamkoll.web.plans.signup_urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
