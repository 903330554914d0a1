"""How the History page words outreach's audit entries (see ``backline.core.history``)."""

from backline.core import history

from .models import EmailTemplate, TemplateKind


def register() -> None:
    history.register_actions({
        "email_template.created": "{actor} wrote the email template {object}",
        "email_template.changed": "{actor} edited the email template {object}",
        "email_template.archived": "{actor} archived the email template {object}",
        "email_template.restored": "{actor} restored the email template {object}",
        "email_template.seeded": "Backline added the starter email template {object}",
    })
    history.register_fields({"template": "Template", "follow_up_days": "Follow up after (days)", "body": "Text"})
    history.register_values("kind", dict(TemplateKind.choices))
    history.register_reference("template", EmailTemplate, fields=("template",))
