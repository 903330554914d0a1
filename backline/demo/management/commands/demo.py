"""Build the demo world (deterministic): `manage.py demo`. Re-running keeps what is there."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load the deterministic demo world (acts, venues, promoters, an agency) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, quiet=False, **options):
        # The demo world spans every app, so it is assembled by the project package, not by core.
        from backline.demo import (
            bookings,
            contacts,
            conversations,
            epk,
            media,
            network,
            outreach,
            representation,
            riders,
            schedules,
            stages,
            verification,
        )
        from backline.demo.world import DEMO_LOGINS, DEMO_PASSWORD, build

        created = build()
        media.build()  # logos, press photos and venue photos, drawn with Pillow
        stages.build()  # tech specs, public page addresses and genres of every demo venue
        riders.build()  # before the bookings: an accepted offer records the riders in force
        schedules.build()  # also on a world loaded before the calendars existed
        bookings.build()  # and before the bookings did
        verification.build()  # vouches for the played shows, venues verified by the staff, one request waiting
        representation.build()  # the acts the agency represents, and a date it asked for one of them
        contacts.build()  # the contacts books, conversations and outreach email (with their history)
        conversations.build()
        outreach.build()
        epk.build()  # press kits, after the media library (its photos) when the media demo runs
        network.build()  # the Berlin Independent Circuit: shared shows, a board, a co-presented show
        stages.place_bookings()  # last: each booking on a stage, so its page compares the rider with the stage
        if quiet:
            return
        self.stdout.write(self.style.SUCCESS("Demo world " + ("loaded." if created else "already there.")))
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(email) for email, _ in DEMO_LOGINS)
        for email, what in DEMO_LOGINS:
            self.stdout.write(f"  {email.ljust(width)}  {what}")
        self.stdout.write("")
