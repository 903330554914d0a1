from backline.accounts.permissions import MEDIA_VIEW
from backline.accounts.ui import ALL_KINDS, WORKSPACE, NavItem, register_nav


def register():
    register_nav(NavItem("Media library", "media_library", "photo", MEDIA_VIEW, ALL_KINDS, order=16, group=WORKSPACE))
