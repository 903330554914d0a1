"""Makers of conversations objects for the matrix worlds: MAKERS[param](world) returns the URL
value naming one of the world's objects (a new one on each call); OWN_MAKERS[param](user) makes a
person's own object; SECRET_MAKERS[maker](world) a live secret token.

``thread_id``: a direct conversation the world's workspace started with another workspace (so the
world's workspace is a party), with a first message. ``attachment_id``: a file on a message of the
world's newest thread (the one ``thread_id`` just made, when a URL names both)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from .table import unique

MAKERS: dict = {}
OWN_MAKERS: dict = {}
SECRET_MAKERS: dict = {}


def other_workspace():
    """A promoter workspace of its own: someone to write to."""
    from backline.accounts import services as accounts
    from tests.factories import UserFactory

    from .table import berlin_id

    return accounts.workspace_create(actor=UserFactory(), kind="promoter", name=unique("Matrix correspondent"),
                                     geoname_id=berlin_id())


def new_act():
    """An act workspace of its own: a support act."""
    from backline.artists.services import act_create
    from tests.factories import UserFactory

    from .table import berlin_id

    return act_create(actor=UserFactory(), name=unique("Matrix support act"), geoname_id=berlin_id()).workspace


def _thread(world):
    from backline.conversations.services import direct_thread_start

    return direct_thread_start(actor=world.owner, workspace_id=world.workspace.pk, to_workspace_ids=[other_workspace().pk],
                               subject=unique("Matrix conversation"), body="Hello from the matrix").pk


def _attachment(world):
    from backline.conversations.models import Thread
    from backline.conversations.services import message_post

    thread = Thread.objects.filter(parties__workspace=world.workspace).order_by("-id").first()
    thread_id = thread.pk if thread is not None else _thread(world)
    upload = SimpleUploadedFile("rider.txt", b"Two DI boxes, one vocal mic.\n", content_type="text/plain")
    message = message_post(actor=world.owner, thread_id=thread_id, body="The rider", files=[upload],
                           workspace_id=world.workspace.pk)
    return message.attachments.get().pk


MAKERS["thread_id"] = _thread
MAKERS["attachment_id"] = _attachment
