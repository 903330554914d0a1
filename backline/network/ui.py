"""Navigation for the venue network."""


def register():
    from backline.accounts.ui import PEOPLE, NavItem, register_nav

    from .permissions import NETWORK_VIEW

    register_nav(NavItem("Network", "network:network_list", "affiliate", NETWORK_VIEW, order=29, group=PEOPLE))
