"""A promoter (Lantern Hall) with one person per role, a contact (Dana Booker, a talent buyer) and one
outreach email to her, queued and delivered through the real outbox."""

from __future__ import annotations

from dataclasses import dataclass

from backline.accounts.models import Role, WorkspaceKind
from backline.contacts.models import Contact
from backline.contacts.services import contact_create
from backline.conversations.models import Thread
from backline.mail.models import OutboundEmail
from backline.mail.services import outbox


@dataclass
class Scene:
    workspace: object
    people: dict
    contact: Contact
    email: OutboundEmail
    thread: Thread

    @property
    def owner(self):
        return self.people[Role.OWNER]

    @property
    def sender(self):  # the coordinator sends outreach (outreach.send) but does not manage it
        return self.people[Role.COORDINATOR]

    def refresh(self) -> OutboundEmail:
        self.email.refresh_from_db()
        return self.email


def build_scene(make_team, fire, *, name: str = "Lantern Hall", to_email: str = "dana@example.org") -> Scene:
    workspace, people = make_team(WorkspaceKind.PROMOTER, name=name)
    with fire():
        contact = contact_create(actor=people[Role.OWNER], workspace_id=workspace.pk, name="Dana Booker",
                                 email=to_email, role="talent_buyer", organisation="Harbour Festival")
        email = outbox.email_queue(actor=people[Role.COORDINATOR], workspace_id=workspace.pk, to_email=to_email,
                                   to_name="Dana Booker", subject="Friday club night",
                                   body="Hi Dana,\n\nWould The Owls fit your Friday club night?\n\nBest, Lantern Hall",
                                   contact_id=contact.pk, follow_up_days=5)
    email.refresh_from_db()
    return Scene(workspace=workspace, people=people, contact=contact, email=email, thread=email.thread)
