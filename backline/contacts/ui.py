"""Navigation for the contacts book."""


def register():
    from backline.accounts.permissions import CONTACTS_VIEW
    from backline.accounts.ui import NavItem, register_nav

    register_nav(NavItem("Contacts", "contact_list", "address-book", CONTACTS_VIEW, order=27, group="People"))
