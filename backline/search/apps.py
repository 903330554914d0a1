from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "backline.search"
    label = "search"
    verbose_name = "Search across inquiries, bookings, clients, acts, venues and performers"

    def ready(self) -> None:
        from backline.accounts.ui import DEALS, NavItem, register_nav

        # The directory, for the side that looks: buyers find acts; acts (and agencies) find venues.
        register_nav(NavItem("Find acts", "workspace_directory_acts", "map-search",
                             kinds=frozenset({"venue", "promoter", "agency"}),
                             order=30, group=DEALS))
        register_nav(NavItem("Find venues", "workspace_directory_venues", "map-pin", kinds=frozenset({"act", "agency"}),
                             order=31, group=DEALS))
