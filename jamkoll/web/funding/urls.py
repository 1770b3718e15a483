from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("ansokningar/", views.applications, name="applications"),
    path("ansokningar/ny/", views.application_new, name="application_new"),
    path("ansokningar/<int:pk>/", views.application_detail, name="application"),
    path("ansokningar/<int:pk>/andra/", views.application_edit, name="application_edit"),
    path("ansokningar/<int:pk>/skicka-in/", views.application_submit, name="application_submit"),
    path("ansokningar/<int:pk>/bedom/", views.application_assess, name="application_assess"),
    path("ansokningar/<int:pk>/besluta/", views.application_decide, name="application_decide"),
    path("budget/", views.budget, name="budget"),
]
