"""The public event pages (no login), included at ``/anmalan/`` from ``jamkoll.web.urls``."""

from django.urls import path

from . import signup_views

app_name = "signup"

urlpatterns = [
    path("<str:token>/", signup_views.register_view, name="register"),
    path("<str:token>/avboka/<str:signed>/", signup_views.cancel_view, name="cancel"),
    path("<str:token>/utvardering/<str:signed>/", signup_views.evaluate_view, name="evaluate"),
]
