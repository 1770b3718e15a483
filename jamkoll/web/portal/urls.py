from django.urls import path, re_path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:region_slug>/", views.region_page, name="region"),
    re_path(r"^(?P<region_slug>[-a-zA-Z0-9_]+)/data\.(?P<fmt>csv|xlsx)$", views.region_data, name="region_data"),
    re_path(r"^(?P<region_slug>[-a-zA-Z0-9_]+)/samordningsforbund\.(?P<fmt>csv|xlsx)$", views.figures_data,
            name="figures_data"),
    path("<slug:region_slug>/kommun/<str:code>/", views.municipality_page, name="municipality"),
    re_path(r"^(?P<region_slug>[-a-zA-Z0-9_]+)/kommun/(?P<code>\d{4})/data\.(?P<fmt>csv|xlsx)$",
            views.municipality_data, name="municipality_data"),
    path("<slug:region_slug>/strategi/<slug:strategy_slug>/", views.strategy_page, name="strategy"),
    path("<slug:region_slug>/strategi/<slug:strategy_slug>/anslut/", views.strategy_join, name="strategy_join"),
    path("<slug:region_slug>/strategi/<slug:strategy_slug>/medlem/<int:member_id>/indikator/",
         views.member_indicator_add, name="member_indicator_add"),
    path("<slug:region_slug>/hantera/", views.manage, name="manage"),
]
