"""The data of the SQLite hold race, made in a subprocess against the database file the server will
use (``DATABASE_URL``), through the project's own services: a promoter workspace with a venue, an act,
``count`` inquiries at that venue and an API token for the promoter. Prints them as JSON.

    DATABASE_URL=sqlite:///…/db.sqlite3 python -m tests.concurrency.sqlite_world 20
"""

import json
import sys


def build(count: int) -> dict:
    from backline.accounts import services as accounts
    from backline.accounts.models import User, WorkspaceKind
    from backline.accounts.tokens import issue_access_token
    from backline.artists.services import act_create
    from backline.bookings.services import inquiry_create
    from backline.core.places import find_city
    from backline.venues.services import venue_create

    berlin = find_city("Berlin", "DE").geoname_id
    promoter = User.objects.create_user("promoter@example.org", "not-used-here", name="Pat Promoter")
    manager = User.objects.create_user("manager@example.org", "not-used-here", name="Max Manager")
    ws = accounts.workspace_create(actor=promoter, kind=WorkspaceKind.PROMOTER, name="Night Owls Promotions",
                                   geoname_id=berlin)
    venue = venue_create(actor=promoter, workspace_id=ws.pk, name="Lantern Hall", capacity=300, geoname_id=berlin)
    act = act_create(actor=manager, name="The Owls", geoname_id=berlin)
    ids = [inquiry_create(actor=promoter, workspace_id=ws.pk, title=f"Night {n}", act_id=act.pk,
                          venue_id=venue.pk).pk for n in range(count)]
    return {"venue": venue.pk, "inquiries": ids, "token": issue_access_token(promoter)[0]}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(build(int(sys.argv[1]))))  # noqa: T201 - the subprocess's answer
