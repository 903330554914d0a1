from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from backline.accounts import services
from backline.accounts.models import Invitation, InvitationStatus, WorkspaceKind


def test_scheduler_runs_the_periodic_jobs_in_process(make_team, django_capture_on_commit_callbacks):
    workspace, people = make_team(WorkspaceKind.PROMOTER)
    with django_capture_on_commit_callbacks(execute=True):
        stale = services.invitation_create(actor=people["owner"], workspace_id=workspace.pk,
                                           email="late@example.org", role="member")
        fresh = services.invitation_create(actor=people["owner"], workspace_id=workspace.pk,
                                           email="soon@example.org", role="member")
    Invitation.objects.filter(pk=stale.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("scheduler", once=True)

    assert Invitation.objects.get(pk=stale.pk).status == InvitationStatus.EXPIRED
    assert Invitation.objects.get(pk=fresh.pk).status == InvitationStatus.PENDING
