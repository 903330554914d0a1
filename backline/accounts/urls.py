from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.profile, name="profile"),
    path("workspaces/", views.workspace_list, name="workspace_list"),
    path("workspaces/new/", views.workspace_new, name="workspace_new"),
    path("workspaces/new/<str:kind>/", views.workspace_new_organisation, name="workspace_new_organisation"),
    path("invitations/<uuid:token>/", views.invitation_detail, name="invitation_detail"),
    path("w/<slug:slug>/", views.workspace_dashboard, name="workspace_dashboard"),
    path("w/<slug:slug>/profile/", views.workspace_profile, name="workspace_profile"),
    path("w/<slug:slug>/people/", views.workspace_members, name="workspace_members"),
    path("w/<slug:slug>/people/invite/", views.invitation_create, name="invitation_create"),
    path("w/<slug:slug>/people/invitations/<int:invitation_id>/resend/", views.invitation_resend, name="invitation_resend"),
    path("w/<slug:slug>/people/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("w/<slug:slug>/people/<int:membership_id>/role/", views.member_role, name="member_role"),
    path("w/<slug:slug>/people/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path("w/<slug:slug>/leave/", views.workspace_leave, name="workspace_leave"),
    path("w/<slug:slug>/history/", views.workspace_history, name="workspace_history"),
]
