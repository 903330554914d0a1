"""How the History page words the contacts book's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import Contact, ContactRole


def register() -> None:
    history.register_actions({
        "contact.created": "{actor} added the contact {object}",
        "contact.updated": "{actor} edited the contact {object}",
        "contact.deleted": "{actor} deleted the contact {object}",
        "contact.merged": "{actor} merged contacts into {object}",
        "contacts.imported": "{actor} imported contacts",
        "contacts.tagged": "{actor} tagged contacts",
    })
    history.register_fields({"organisation": "Organisation", "city": "City", "tags": "Tags", "phone": "Phone",
                             "contact": "Contact", "contacts": "Contacts", "merged": "Merged"})
    history.register_values("role", dict(ContactRole.choices))
    history.register_reference("contact", Contact, fields=("contact", "contacts", "merged"))
