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

        register_nav(NavItem("Dashboard", "workspace_dashboard", "layout-dashboard", order=0, group="Plan"))
        register_nav(NavItem("Profile", "workspace_profile", "id", WORKSPACE_EDIT, order=10, group="Workspace"))
        register_nav(NavItem("Members", "workspace_members", "user-plus", MEMBERS_VIEW, order=30, group="Workspace"))
        register_nav(NavItem("History", "workspace_history", "history", AUDIT_VIEW, order=90, group="Workspace"))
