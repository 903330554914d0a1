"""The demo world: about 40 acts with members and genres in real cities, about 60 venues with stages,
3 promoters and an agency with performers. Deterministic (seeded); built through the services so
every object has its audit trail, exactly as if people had typed it in."""

from __future__ import annotations

import random

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from backline.accounts import services as accounts
from backline.accounts.models import Role, User, WorkspaceKind
from backline.artists import services as artists
from backline.artists.genres import GENRES
from backline.core.places import find_city
from backline.venues import services as venues

DEMO_PASSWORD = "backline-demo"
DOMAIN = "demo.example.org"

CITIES = [
    ("Berlin", "DE"), ("Hamburg", "DE"), ("Leipzig", "DE"), ("Cologne", "DE"), ("Munich", "DE"),
    ("London", "GB"), ("Manchester", "GB"), ("Glasgow", "GB"), ("Bristol", "GB"), ("Dublin", "IE"),
    ("Paris", "FR"), ("Lyon", "FR"), ("Amsterdam", "NL"), ("Rotterdam", "NL"), ("Brussels", "BE"),
    ("Copenhagen", "DK"), ("Stockholm", "SE"), ("Oslo", "NO"), ("Vienna", "AT"), ("Prague", "CZ"),
    ("Warsaw", "PL"), ("Barcelona", "ES"), ("Madrid", "ES"), ("Lisbon", "PT"), ("Zurich", "CH"),
    ("Milan", "IT"), ("New York City", "US"), ("Chicago", "US"), ("Austin", "US"), ("Nashville", "US"),
    ("Portland", "US"), ("Toronto", "CA"), ("Montréal", "CA"), ("Melbourne", "AU"),
]

ACT_FIRST = ["Velvet", "Paper", "Northern", "Electric", "Lonesome", "Midnight", "Copper", "Glass", "Wild",
             "Quiet", "Neon", "Hollow", "Golden", "Static", "Salt", "Silver", "Crimson", "Lucky", "Brass", "Ghost"]
ACT_SECOND = ["Owls", "Harbour", "Tramlines", "Foxes", "Satellites", "Rivers", "Lanterns", "Machines", "Pines",
              "Tides", "Parade", "Weather", "Orchard", "Signals", "Riders", "Comets", "Choir", "Motel", "Saints"]
FIRST_NAMES = ["Alex", "Sam", "Jo", "Maya", "Leon", "Ines", "Tom", "Nora", "Ravi", "Lena", "Omar", "Freya", "Kai",
               "Elif", "Jonas", "Zoe", "Mateo", "Ada", "Finn", "Priya", "Luca", "Hana", "Owen", "Sofia", "Yusuf",
               "Clara", "Noah", "Aoife", "Emil", "Rosa"]
LAST_NAMES = ["Berg", "Okafor", "Novak", "Silva", "Murphy", "Kowalski", "Jensen", "Rossi", "Haddad", "Lindqvist",
              "Schmidt", "Moreau", "Tanaka", "Walsh", "Costa", "Fischer", "Nguyen", "Byrne", "Petrov", "Garcia"]
INSTRUMENTS = ["vocals", "lead guitar", "rhythm guitar", "bass", "drums", "keys", "synths", "violin", "trumpet",
               "saxophone", "cello", "percussion", "vocals, acoustic guitar", "backing vocals, keys"]
VENUE_FIRST = ["Lantern", "Blue Door", "Foundry", "Engine Room", "Velvet", "Harbour", "Corner", "Old Mill",
               "Boiler", "Paradiso", "Tram Depot", "Crypt", "Attic", "Palace", "Greenhouse", "Warehouse"]
VENUE_KIND = ["Hall", "Club", "Bar", "Social", "Ballroom", "Lounge", "Theatre", "Stage"]
STREETS = ["Market Street", "Station Road", "Canal Side", "High Street", "Mill Lane", "Harbour Row", "Church Street",
           "Kings Road", "Factory Yard", "Bridge Street"]

# (email, what it shows): one login per role in each kind of workspace, and platform staff.
DEMO_LOGINS = [
    (f"owner.act@{DOMAIN}", "Owner of the act The Velvet Owls (and member of a second band)"),
    (f"admin.act@{DOMAIN}", "Admin of The Velvet Owls"),
    (f"coordinator.act@{DOMAIN}", "Coordinator of The Velvet Owls (their tour manager)"),
    (f"member.act@{DOMAIN}", "Member of The Velvet Owls"),
    (f"viewer.act@{DOMAIN}", "Viewer of The Velvet Owls (their manager's assistant)"),
    (f"owner.venue@{DOMAIN}", "Owner of the venue Lantern Hall, Berlin"),
    (f"admin.venue@{DOMAIN}", "Admin of Lantern Hall"),
    (f"coordinator.venue@{DOMAIN}", "Coordinator at Lantern Hall"),
    (f"member.venue@{DOMAIN}", "Member of Lantern Hall (bar and door staff)"),
    (f"viewer.venue@{DOMAIN}", "Viewer of Lantern Hall (the sound engineer)"),
    (f"owner.promoter@{DOMAIN}", "Owner of the promoter Night Shift Promotions"),
    (f"admin.promoter@{DOMAIN}", "Admin of Night Shift Promotions"),
    (f"coordinator.promoter@{DOMAIN}", "Coordinator at Night Shift Promotions"),
    (f"member.promoter@{DOMAIN}", "Member of Night Shift Promotions"),
    (f"viewer.promoter@{DOMAIN}", "Viewer of Night Shift Promotions"),
    (f"owner.agency@{DOMAIN}", "Owner of the agency Silver Lining Entertainment"),
    (f"admin.agency@{DOMAIN}", "Admin of Silver Lining Entertainment"),
    (f"coordinator.agency@{DOMAIN}", "Coordinator at Silver Lining Entertainment"),
    (f"member.agency@{DOMAIN}", "Member of Silver Lining Entertainment"),
    (f"viewer.agency@{DOMAIN}", "Viewer of Silver Lining Entertainment"),
    (f"performer.agency@{DOMAIN}", "Performer at Silver Lining Entertainment (performer portal)"),
    (f"staff@{DOMAIN}", "Platform staff (Django admin at /admin/)"),
]


class _World:
    def __init__(self):
        self.rng = random.Random(20261122)
        self.password_hash = make_password(DEMO_PASSWORD)
        self.cities = [find_city(name, cc) for name, cc in CITIES]
        self.people: dict[str, User] = {}

    def person(self, email: str, name: str, time_zone: str = "UTC", **extra) -> User:
        if email in self.people:
            return self.people[email]
        user = User.objects.create(email=email, name=name, time_zone=time_zone, password=self.password_hash, **extra)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        self.people[email] = user
        return user

    def random_name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def join(self, workspace, user, role) -> None:
        """Invite and accept, as people do (so the audit log tells the story)."""
        owner = workspace.memberships.filter(role=Role.OWNER).select_related("user").first().user
        invitation = accounts.invitation_create(actor=owner, workspace_id=workspace.pk, email=user.email, role=role)
        accounts.invitation_accept(user=user, token=invitation.token)

    def _team(self, workspace, kind: str, time_zone: str, people: list[tuple[str, str]]) -> None:
        """The demo logins ``<role>.<kind>@…`` of a workspace (fixed names: the seeded draws stay as they were)."""
        for role, name in people:
            self.join(workspace, self.person(f"{role}.{kind}@{DOMAIN}", name, time_zone), role)

    def acts(self) -> None:
        genre_slugs = [slug for slug, _ in GENRES]
        names = set()
        for i in range(40):
            while True:
                name = f"The {self.rng.choice(ACT_FIRST)} {self.rng.choice(ACT_SECOND)}" if i else "The Velvet Owls"
                if name not in names:
                    names.add(name)
                    break
            city = self.cities[i % len(self.cities)] if i else self.cities[0]
            size = self.rng.choice([1, 2, 3, 4, 4, 5, 5, 6])
            if i == 0:
                owner = self.person(f"owner.act@{DOMAIN}", "Mara Berg", "Europe/Berlin", pronouns="she/her")
            else:
                owner = self.person(f"act{i:02d}@{DOMAIN}", self.random_name(), city.time_zone)
            act = artists.act_create(
                actor=owner, name=name, act_type="solo" if size == 1 else ("duo" if size == 2 else "band"),
                genres=self.rng.sample(genre_slugs, self.rng.randint(1, 3)), geoname_id=city.geoname_id,
                bio=f"{name} play loud, honest songs from {city.name}. Formed in a rehearsal room above a bakery; "
                    f"{self.rng.randint(40, 400)} shows since.",
                website=f"https://{name.lower().replace('the ', '').replace(' ', '')}.example.org",
                instruments=self.rng.choice(INSTRUMENTS))
            ws = act.workspace
            accounts.workspace_set_social_links(actor=owner, workspace_id=ws.pk, links=[
                ("bandcamp", f"https://{ws.slug}.bandcamp.com"),
                ("instagram", f"https://www.instagram.com/{ws.slug.replace('-', '')}")])
            artists.act_update(actor=owner, workspace_id=ws.pk, formed_year=self.rng.randint(2008, 2024))
            if i == 0:
                self._velvet_owls(ws, owner)
                continue
            for n in range(size - 1):
                member_name = self.random_name()
                user = self.person(f"act{i:02d}.m{n + 1}@{DOMAIN}", member_name, city.time_zone)
                self.join(ws, user, Role.MEMBER)
                member = act.members.get(user=user)
                artists.act_member_update(actor=owner, member_id=member.pk, instruments=self.rng.choice(INSTRUMENTS),
                                          is_optional=(n == size - 2 and size >= 5))
            if i == 1:  # the act owner of the first band also plays bass here
                self.join(ws, self.people[f"owner.act@{DOMAIN}"], Role.MEMBER)

    def _velvet_owls(self, ws, owner) -> None:
        people = [
            (f"admin.act@{DOMAIN}", "Jonas Fischer", Role.ADMIN, "drums", "Europe/Berlin"),
            (f"coordinator.act@{DOMAIN}", "Hana Tanaka", Role.COORDINATOR, "", "Europe/Berlin"),
            (f"member.act@{DOMAIN}", "Ines Costa", Role.MEMBER, "bass, backing vocals", "Europe/Lisbon"),
            (f"viewer.act@{DOMAIN}", "Sam Walsh", Role.VIEWER, "", "Europe/London"),
        ]
        for email, name, role, instruments, tz in people:
            user = self.person(email, name, tz)
            self.join(ws, user, role)
            member = ws.act.members.filter(user=user).first()
            if member and instruments:
                artists.act_member_update(actor=owner, member_id=member.pk, instruments=instruments)
        artists.act_member_add(actor=owner, workspace_id=ws.pk, name="Kai Nguyen", instruments="keys, synths",
                               is_optional=True)
        accounts.invitation_create(actor=owner, workspace_id=ws.pk, email=f"new.guitarist@{DOMAIN}", role=Role.MEMBER)

    def venues(self) -> None:
        used = set()
        for i in range(54):
            city = self.cities[i % len(self.cities)]
            while True:
                name = ("Lantern Hall" if i == 0 else
                        f"{self.rng.choice(VENUE_FIRST)} {self.rng.choice(VENUE_KIND)}")
                if (name, city.name) not in used:
                    used.add((name, city.name))
                    break
            owner = (self.person(f"owner.venue@{DOMAIN}", "Leon Schmidt", "Europe/Berlin") if i == 0
                     else self.person(f"venue{i:02d}@{DOMAIN}", self.random_name(), city.time_zone))
            capacity = self.rng.choice([120, 180, 250, 300, 450, 600, 900, 1200, 1800])
            venue = venues.venue_workspace_create(
                actor=owner, name=name, capacity=capacity, geoname_id=city.geoname_id,
                address=f"{self.rng.randint(1, 180)} {self.rng.choice(STREETS)}",
                postal_code=str(self.rng.randint(10000, 99999)),
                description=f"{name} is a {capacity}-capacity room in {city.name} for touring and local acts.")
            if capacity >= 600:
                venues.stage_add(actor=owner, venue_id=venue.pk, name="Upstairs", capacity=capacity // 4)
            accounts.workspace_update(actor=owner, workspace_id=venue.workspace_id,
                                      bio=venue.description, website=f"https://{venue.workspace.slug}.example.org")
            if i == 0:
                self._team(venue.workspace, "venue", "Europe/Berlin", [
                    (Role.ADMIN, "Elif Novak"), (Role.COORDINATOR, "Nora Jensen"), (Role.MEMBER, "Emil Petrov"),
                    (Role.VIEWER, "Yusuf Garcia")])

    def promoters(self) -> None:
        for i, (name, city_index) in enumerate([("Night Shift Promotions", 5), ("Loud & Clear Presents", 26),
                                                 ("Wavelength Live", 12)]):
            city = self.cities[city_index]
            owner = (self.person(f"owner.promoter@{DOMAIN}", "Priya Haddad", city.time_zone) if i == 0
                     else self.person(f"promoter{i}@{DOMAIN}", self.random_name(), city.time_zone))
            ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.PROMOTER, name=name,
                                           geoname_id=city.geoname_id, currency="GBP" if city.country_code == "GB" else
                                           ("USD" if city.country_code == "US" else "EUR"),
                                           bio=f"{name} book independent shows in {city.name} and beyond.")
            for n in range(2):
                venues.venue_create(actor=owner, workspace_id=ws.pk, name=f"{self.rng.choice(VENUE_FIRST)} {VENUE_KIND[n]}",
                                    capacity=self.rng.choice([200, 350, 500]), geoname_id=city.geoname_id,
                                    address=f"{self.rng.randint(1, 99)} {self.rng.choice(STREETS)}")
            if i == 0:
                self._team(ws, "promoter", city.time_zone, [
                    (Role.ADMIN, "Luca Rossi"), (Role.COORDINATOR, "Aoife Murphy"), (Role.MEMBER, "Mateo Silva"),
                    (Role.VIEWER, "Freya Lindqvist")])

    def agency(self) -> None:
        city = self.cities[5]
        owner = self.person(f"owner.agency@{DOMAIN}", "Clara Walsh", city.time_zone)
        ws = accounts.workspace_create(actor=owner, kind=WorkspaceKind.AGENCY, name="Silver Lining Entertainment",
                                       geoname_id=city.geoname_id, currency="GBP", commission_percent=15,
                                       bio="Wedding, corporate and festival entertainment across the UK.",
                                       website="https://silverlining.example.org")
        self._team(ws, "agency", city.time_zone, [
            (Role.ADMIN, "Maya Okafor"), (Role.COORDINATOR, "Owen Byrne"), (Role.MEMBER, "Tom Kowalski"),
            (Role.VIEWER, "Zoe Haddad")])
        performer_user = self.person(f"performer.agency@{DOMAIN}", "Rosa Moreau", city.time_zone)
        self.join(ws, performer_user, Role.PERFORMER)
        skills = ["vocals", "saxophone", "DJ", "string quartet", "acoustic guitar, vocals", "piano", "magician",
                  "drums", "bass", "violin", "trumpet", "MC"]
        for n, skill in enumerate(skills):
            name = "Rosa Moreau" if n == 0 else self.random_name()
            performer = artists.performer_create(actor=owner, workspace_id=ws.pk, name=name, skills=skill,
                                                 email=performer_user.email if n == 0 else
                                                 f"{name.lower().replace(' ', '.')}@{DOMAIN}",
                                                 phone=f"+44 7700 900{n:03d}")
            if n == 0:
                artists.performer_link_user(actor=owner, performer_id=performer.pk, user_id=performer_user.pk)

    def staff(self) -> None:
        self.person(f"staff@{DOMAIN}", "Platform Staff", is_staff=True, is_superuser=True)


def build() -> bool:
    """Build the world; ``False`` if it is already there.

    Each service commits on its own (domain events fire after commit, as in real use), so the
    staff account, created last, marks a complete world."""
    if User.objects.filter(email=f"staff@{DOMAIN}").exists():
        return False
    if User.objects.filter(email__endswith=f"@{DOMAIN}").exists():
        raise RuntimeError("A half-built demo world is in the database; delete db.sqlite3 and run again.")
    world = _World()
    world.acts()
    world.venues()
    world.promoters()
    world.agency()
    world.staff()
    return True
