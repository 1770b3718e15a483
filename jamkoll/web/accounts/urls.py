from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("losenord/aterstall/", views.PasswordResetView.as_view(), name="password_reset"),
    path("losenord/aterstall/skickat/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("losenord/aterstall/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("losenord/aterstall/klart/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("inbjudan/<uidb64>/<token>/", views.InvitationConfirmView.as_view(), name="invitation_confirm"),
    path("aviseringar/", views.notification_settings, name="notification_settings"),
    path("api-nycklar/", views.tokens, name="tokens"),
    path("api-nycklar/<int:pk>/ta-bort/", views.token_revoke, name="token_revoke"),
]

# The organisation's members page, for its admins: included under /o/<slug>/medlemmar/ by front.urls, so
# the names are in the ``front`` namespace with the organisation's other pages (front:members, …).
member_urls = [
    path("", views.members, name="members"),
    path("lagg-till/", views.member_add, name="member_add"),
    path("ny-anvandare/", views.member_create, name="member_create"),
    path("<int:pk>/", views.member_detail, name="member"),
    path("<int:pk>/ta-bort/", views.member_remove, name="member_remove"),
]
