"""Navigation and dashboard cards for messaging's contacts."""


def register():
    pass
