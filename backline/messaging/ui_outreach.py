"""Navigation and dashboard cards for messaging's outreach."""


def register():
    pass
