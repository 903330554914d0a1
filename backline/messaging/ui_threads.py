"""Navigation and dashboard cards for messaging's threads."""


def register():
    pass
