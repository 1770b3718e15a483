from django.urls import include, path

from jamkoll.web.accounts.urls import member_urls

from . import register_views, version_views, views

app_name = "front"

org_urls = [
    path("", views.dashboard, name="dashboard"),
    path("insatser/<str:intervention_id>/", views.intervention, name="intervention"),
    path("insatser/<str:intervention_id>/rader/", views.intervention_data, name="intervention_data"),
    path("uppladdningar/", views.uploads, name="uploads"),
    path("uppladdningar/mall.xlsx", views.upload_template, name="upload_template"),
    path("uppladdningar/<int:pk>/", views.upload_detail, name="upload"),
    path("uppladdningar/<int:pk>/bekrafta/", views.upload_confirm, name="upload_confirm"),
    path("uppladdningar/<int:pk>/avbryt/", views.upload_cancel, name="upload_cancel"),
    path("uppladdningar/<int:pk>/forlopp/", views.upload_progress, name="upload_progress"),
    path("versioner/", version_views.versions, name="versions"),
    path("versioner/<int:number>/aterstall/", version_views.version_rollback, name="version_rollback"),
    path("fynd/", register_views.findings, name="findings"),
    path("fynd/ladda-ner.<str:fmt>", register_views.findings_export, name="findings_export"),
    path("fynd/uppdatera/", views.findings_update, name="findings_update"),
    path("fynd/uppdatera/forlopp/", views.findings_progress, name="findings_progress"),
    path("fynd/<int:pk>/", views.case_detail, name="case"),
    path("fynd/<int:pk>/besluta/", views.case_close, name="case_close"),
    path("fynd/<int:pk>/klar/", views.case_done, name="case_done"),
    path("fynd/<int:pk>/ateroppna/", views.case_reopen, name="case_reopen"),
    path("fynd/<int:pk>/kommentera/", views.case_comment, name="case_comment"),
    path("rapporter/", views.reports, name="reports"),
    path("rapporter/ladda-ner/", views.report_download, name="report_download"),
    path("rapporter/forlopp/", views.report_progress, name="report_progress"),
    path("rapporter/fil/", views.report_file, name="report_file"),
    path("medlemmar/", include(member_urls)),
    path("", include("jamkoll.web.funding.urls")),
    path("", include("jamkoll.web.plans.urls")),
]

urlpatterns = [
    path("", views.index, name="index"),
    path("o/<slug:slug>/", include(org_urls)),
]
