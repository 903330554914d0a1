"""The contacts book as mail sees it: finding the contact behind an address and adding one.

The contacts app sits above mail (a contact's history reads mail's emails), so mail never imports it;
the contacts app registers its book here in ``ready()`` (ADR 0009). Without one, mail attributes
nothing to a contact and refuses to add one."""

from __future__ import annotations

from typing import Protocol

from backline.core.errors import Invalid


class ContactBook(Protocol):
    def get(self, *, workspace_id: int, contact_id: int): ...

    def find(self, *, workspace_id: int, email: str): ...

    def add(self, *, actor, workspace_id: int, name: str, email: str, notes: str): ...


_book: ContactBook | None = None


def register(book: ContactBook) -> None:
    global _book
    _book = book


def get(*, workspace_id: int, contact_id: int):
    """The workspace's contact ``contact_id``, or None (another workspace's contact is None too)."""
    return _book.get(workspace_id=workspace_id, contact_id=contact_id) if _book else None


def find(*, workspace_id: int, email: str):
    """The workspace's (oldest) contact with this address, or None."""
    return _book.find(workspace_id=workspace_id, email=email) if email and _book else None


def add(*, actor, workspace_id: int, name: str, email: str, notes: str = ""):
    """Add a contact to the workspace's book (the book checks the actor may)."""
    if _book is None:
        raise Invalid("There is no contacts book to add the sender to.",
                      errors={"add_contact": ["Contacts are not available."]})
    return _book.add(actor=actor, workspace_id=workspace_id, name=name, email=email, notes=notes)
