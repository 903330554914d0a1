from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "backline.contacts"
    label = "contacts"
    verbose_name = "Contacts"

    def ready(self):
        from . import history_words

        history_words.register()
        from backline.mail import contact_book

        from . import services, ui

        contact_book.register(services.MailContactBook())
        ui.register()
