"""The governance pages under ``/o/<slug>/`` (included from ``jamkoll.web.front.urls``)."""

from django.urls import path

from . import case_views, event_views, views

app_name = "plans"

urlpatterns = [
    path("handlingsplan/", views.plans, name="plans"),
    path("handlingsplan/ny/", views.plan_new, name="plan_new"),
    path("handlingsplan/cemr/", views.charter, name="charter"),
    path("handlingsplan/styrelsemoten/", views.meetings, name="meetings"),
    path("handlingsplan/styrelsemoten/<int:pk>/ta-bort/", views.meeting_delete, name="meeting_delete"),
    path("handlingsplan/<int:pk>/", views.plan, name="plan"),
    path("handlingsplan/<int:pk>/andra/", views.plan_edit, name="plan_edit"),
    path("handlingsplan/<int:pk>/mal/ny/", views.goal_edit, name="goal_new"),
    path("handlingsplan/<int:pk>/mal/<int:goal_pk>/", views.goal_edit, name="goal_edit"),
    path("handlingsplan/<int:pk>/mal/<int:goal_pk>/ta-bort/", views.goal_delete, name="goal_delete"),
    path("handlingsplan/<int:pk>/atgarder/ny/", views.action_edit, name="action_new"),
    path("handlingsplan/<int:pk>/atgarder/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("handlingsplan/<int:pk>/atgarder/<int:action_pk>/ta-bort/", views.action_delete, name="action_delete"),
    path("handlingsplan/<int:pk>/revidera/", views.plan_revise, name="plan_revise"),
    path("handlingsplan/<int:pk>/revisioner/<int:number>/", views.revision, name="revision"),
    path("checklistor/", views.checklists, name="checklists"),
    path("checklistor/mallar/ny/", views.template_edit, name="template_new"),
    path("checklistor/mallar/<int:pk>/", views.template_edit, name="template"),
    path("checklistor/mallar/<int:pk>/fragor/ny/", views.question_edit, name="question_new"),
    path("checklistor/mallar/<int:pk>/fragor/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("checklistor/mallar/<int:pk>/fragor/<int:question_pk>/ta-bort/", views.question_delete,
         name="question_delete"),
    path("checklistor/<int:pk>/", views.response, name="response"),
    path("checklistor/<int:pk>/csv/", views.response_export, name="response_export"),
    path("aktiviteter/", views.activities, name="activities"),
    path("aktiviteter/<int:pk>/", views.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views.activity_delete, name="activity_delete"),
    path("bibliotek/", views.library, name="library"),
    path("bibliotek/<int:pk>/ladda-ner/", views.library_download, name="library_download"),
    path("bibliotek/<int:pk>/ta-bort/", views.library_delete, name="library_delete"),
    # Events with registration (the public pages are in signup_urls.py).
    path("evenemang/", event_views.events, name="events"),
    path("evenemang/ny/", event_views.event_new, name="event_new"),
    path("evenemang/<int:pk>/", event_views.event, name="event"),
    path("evenemang/<int:pk>/andra/", event_views.event_edit, name="event_edit"),
    path("evenemang/<int:pk>/pass/", event_views.shift_add, name="shift_add"),
    path("evenemang/<int:pk>/pass/<int:shift_pk>/ta-bort/", event_views.shift_delete, name="shift_delete"),
    path("evenemang/<int:pk>/narvaro/", event_views.attendance, name="attendance"),
    path("evenemang/<int:pk>/skicka-utvardering/", event_views.evaluation_send, name="evaluation_send"),
    # Board cases with their gender-impact assessments; the minutes of a meeting.
    path("handlingsplan/styrelsemoten/<int:pk>/", case_views.minutes, name="minutes"),
    path("handlingsplan/styrelsemoten/<int:pk>/arenden/ny/", case_views.case_edit, name="board_case_new"),
    path("handlingsplan/styrelsemoten/<int:pk>/arenden/<int:case_pk>/", case_views.case_edit,
         name="board_case_edit"),
    path("handlingsplan/styrelsemoten/<int:pk>/arenden/<int:case_pk>/ta-bort/", case_views.case_delete,
         name="board_case_delete"),
    path("handlingsplan/bedomningsmall/", case_views.template_edit, name="assessment_template"),
]
