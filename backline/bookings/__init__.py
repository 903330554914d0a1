def __getattr__(name: str):
    # Transitional, issue 11: backline/messaging's tests still import the agency services by their old
    # name (``from backline.bookings import agency_services``) while that app is being split into new
    # apps. Delete this once they import ``backline.bookings.agency.services``.
    if name == "agency_services":
        from .agency import services

        return services
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
