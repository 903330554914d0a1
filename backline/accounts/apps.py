from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "backline.accounts"
    label = "accounts"
    verbose_name = "Accounts and workspaces"

    def ready(self):
        from . import history_words

        history_words.register()
        from .permissions import AUDIT_VIEW, MEMBERS_VIEW, WORKSPACE_EDIT
        from .ui import NavItem, register_nav

        register_nav(NavItem("Dashboard", "workspace_dashboard", "speedometer2", order=0))
        register_nav(NavItem("Profile", "workspace_profile", "card-text", WORKSPACE_EDIT, order=10))
        register_nav(NavItem("People", "workspace_members", "person-plus", MEMBERS_VIEW, order=30))
        register_nav(NavItem("History", "workspace_history", "clock-history", AUDIT_VIEW, order=90))
