"""What messaging adds to the workspace shell. Each part registers its own pages here."""


def register():
    from . import ui_contacts, ui_outreach, ui_threads

    for part in (ui_threads, ui_contacts, ui_outreach):
        part.register()
