"""The demo world's contacts books: about fifteen people each for Lantern Hall (venue), Night Shift
Promotions (promoter) and Silver Lining Entertainment (agency), added through the service by each
workspace's owner. Deterministic and re-runnable: a contact already there (same email, or the same
name and organisation when it has no email) is left alone. Lantern Hall's book holds one deliberate
duplicate (Jonas Fischer, once with his office email, once with his mobile) to show merging."""

from __future__ import annotations

from backline.accounts.models import User, Workspace
from backline.contacts.models import Contact
from backline.contacts.services import contact_create

DOMAIN = "demo.example.org"

# (name, role, organisation, email, phone, city, tags, notes)
BOOKS = {
    ("Lantern Hall", f"owner.venue@{DOMAIN}"): [
        ("Jonas Fischer", "agent", "Tempest Booking", "jonas@tempest-booking.example.org", "+49 30 5550 1201", "Berlin",
         "agent, indie, germany", "Books most of the German indie circuit; answers fastest on Mondays."),
        ("Jonas Fischer", "agent", "Tempest Booking", "", "+49 170 5550 199", "Berlin", "agent",
         "Mobile number from the Reeperbahn showcase."),
        ("Sofia Costa", "manager", "Harbour Lights Management", "sofia@harbourlights.example.org", "+351 21 555 0143",
         "Lisbon", "manager, folk, portugal", ""),
        ("Liam Byrne", "agent", "Green Room Agency", "liam@greenroom.example.org", "+353 1 555 0172", "Dublin",
         "agent, uk-ie, rock", "Routes Irish acts through Berlin in spring and autumn."),
        ("Hana Tanaka", "press", "Noise Quarterly", "hana@noisequarterly.example.org", "", "Berlin", "press, reviews",
         "Reviews two shows a month; send guest-list requests a week ahead."),
        ("Ravi Haddad", "promoter", "Undercurrent Nights", "ravi@undercurrent.example.org", "+49 40 555 0110", "Hamburg",
         "promoter, electronic, co-pro", "Co-promotes club nights; splits 50/50 after costs."),
        ("Nora Lindqvist", "talent_buyer", "Fjord Festival", "nora@fjordfestival.example.org", "+47 22 55 50 19", "Oslo",
         "festival, scandinavia", ""),
        ("Emil Novak", "venue_staff", "Lantern Hall", "emil.novak@lanternhall.example.org", "+49 30 5550 1299", "Berlin",
         "production, in-house", "Head of sound. Needs input lists seven days before the show."),
        ("Ada Moreau", "agent", "Paris Sonore", "ada@parissonore.example.org", "+33 1 55 50 12 34", "Paris",
         "agent, france, jazz", ""),
        ("Owen Walsh", "manager", "Brass Tacks Management", "owen@brasstacks.example.org", "+44 161 555 0123",
         "Manchester", "manager, uk-ie, brass", ""),
        ("Clara Schmidt", "client", "Kiezbrauerei", "clara.schmidt@kiezbrauerei.example.org", "+49 30 5550 8812", "Berlin",
         "private hire, corporate", "Staff party every December, about 200 guests."),
        ("Yusuf Petrov", "artist", "", "yusuf.petrov@example.org", "", "Leipzig", "local, singer-songwriter",
         "Asked for a Tuesday support slot."),
        ("Freya Jensen", "press", "Spree FM", "freya@spreefm.example.org", "+49 30 5550 4410", "Berlin", "radio, press", ""),
        ("Mateo Garcia", "talent_buyer", "Sala Aurora", "mateo@salaaurora.example.org", "+34 93 555 0167", "Barcelona",
         "venue, spain, routing", "Shares routing for acts touring Barcelona → Berlin."),
        ("Priya Rossi", "agent", "Northern Lights Agency", "priya@northernlights.example.org", "+44 20 5550 1907", "London",
         "agent, uk-ie, indie", ""),
    ],
    ("Night Shift Promotions", f"owner.promoter@{DOMAIN}"): [
        ("Aoife Walsh", "venue_staff", "The Foundry Social", "aoife@foundrysocial.example.org", "+44 20 5550 1101",
         "London", "venue, production", "Production manager; load-in from 14:00."),
        ("Kai Okafor", "agent", "Riverside Artists", "kai@riversideartists.example.org", "+44 20 5550 1188", "London",
         "agent, hip-hop, uk", ""),
        ("Lena Kowalski", "agent", "East Wind Booking", "lena@eastwind.example.org", "+48 22 555 0134", "Warsaw",
         "agent, poland, electronic", ""),
        ("Sam Fischer", "press", "The Line Magazine", "sam@thelinemag.example.org", "", "London", "press, listings",
         "Listings deadline: the 20th of the month before."),
        ("Zoe Silva", "talent_buyer", "Glasshouse Festival", "zoe@glasshousefest.example.org", "+44 117 555 0190", "Bristol",
         "festival, uk", ""),
        ("Finn Murphy", "manager", "Tidewater Management", "finn@tidewater.example.org", "+353 21 555 0108", "Cork",
         "manager, folk", ""),
        ("Elif Haddad", "venue_staff", "Corner Ballroom", "elif@cornerballroom.example.org", "+44 161 555 0142", "Manchester",
         "venue, box office", ""),
        ("Noah Jensen", "agent", "Copenhagen Live", "noah@cphlive.example.org", "+45 33 55 50 12", "Copenhagen",
         "agent, scandinavia, indie", ""),
        ("Rosa Nguyen", "client", "Brightside Beverages", "rosa.nguyen@brightside.example.org", "+44 20 5550 1500",
         "London", "sponsor", "Bar sponsorship for the summer series."),
        ("Luca Costa", "promoter", "Wavelength Live", "luca@wavelength.example.org", "+31 20 555 0177", "Amsterdam",
         "co-pro, netherlands", ""),
        ("Ines Tanaka", "artist", "", "ines.tanaka@example.org", "", "London", "local, support", ""),
        ("Omar Byrne", "venue_staff", "The Crypt", "omar@thecrypt.example.org", "+44 20 5550 1666", "London",
         "venue, production", ""),
        ("Maya Lindqvist", "press", "Nordic Sounds", "maya@nordicsounds.example.org", "", "Stockholm", "press, blog", ""),
        ("Jo Schmidt", "agent", "Tempest Booking", "jo@tempest-booking.example.org", "+49 30 5550 1202", "Berlin",
         "agent, germany", ""),
        ("Alex Petrov", "talent_buyer", "Moonrise Festival", "alex@moonrisefest.example.org", "+420 2 5550 1234", "Prague",
         "festival, czechia", ""),
    ],
    ("Silver Lining Entertainment", f"owner.agency@{DOMAIN}"): [
        ("Grace Okafor", "client", "", "grace.okafor@example.org", "+44 7700 900311", "London", "wedding, 2026",
         "Wedding in June: ceremony quartet, then a band until midnight."),
        ("Daniel Reid", "client", "Reid & Partners LLP", "daniel.reid@reidpartners.example.org", "+44 20 5550 2210",
         "London", "corporate, christmas party", ""),
        ("Harriet Cole", "talent_buyer", "Everafter Weddings", "harriet@everafter.example.org", "+44 1225 555 014", "Bath",
         "planner, wedding", "Planner: sends about ten weddings a year."),
        ("Benedict Shaw", "venue_staff", "Ashcombe Manor", "events@ashcombemanor.example.org", "+44 1989 555 020",
         "Hereford", "venue, wedding, countryside", "Noise limiter at 95 dB; music ends 23:30."),
        ("Amara Nwosu", "talent_buyer", "Kingfisher Events", "amara@kingfisherevents.example.org", "+44 20 5550 3301",
         "London", "planner, corporate", ""),
        ("Ella Murphy", "venue_staff", "The Grand Pavilion", "ella@grandpavilion.example.org", "+44 1273 555 077",
         "Brighton", "venue, ballroom", ""),
        ("Ravi Patel", "client", "", "ravi.patel@example.org", "+44 7700 900422", "Leicester", "wedding, sangeet",
         "Sangeet night plus the wedding day; wants a dhol player and a DJ."),
        ("Sophie Marsh", "client", "Northbridge Bank", "sophie.marsh@northbridge.example.org", "+44 20 5550 4100",
         "London", "corporate, awards dinner", ""),
        ("Jack Henderson", "agent", "Sterling Acts", "jack@sterlingacts.example.org", "+44 161 555 0190", "Manchester",
         "agent, sub-agent", "Sub-agents our string quartet in the north-west."),
        ("Chloe Evans", "venue_staff", "Riverside Barn", "chloe@riversidebarn.example.org", "+44 1865 555 031", "Oxford",
         "venue, wedding", ""),
        ("Marcus Bell", "client", "Bell & Co. Solicitors", "marcus.bell@bellco.example.org", "+44 117 555 0455", "Bristol",
         "corporate, summer party", ""),
        ("Nadia Rahman", "talent_buyer", "Lantern Festival Trust", "nadia@lanternfestival.example.org", "+44 113 555 0162",
         "Leeds", "festival, community", ""),
        ("Oliver Grant", "manager", "Grant Music Management", "oliver@grantmusic.example.org", "+44 20 5550 2788", "London",
         "manager, string quartet", ""),
        ("Megan Price", "client", "", "", "+44 7700 900533", "Cardiff", "wedding, 2027", "Called about a 2027 date; "
         "no email yet."),
        ("Isaac Doyle", "press", "Wedding Sounds Magazine", "isaac@weddingsounds.example.org", "", "London", "press", ""),
    ],
}


def build() -> int:
    """Fill the three demo books; answers how many contacts were added (0 when they are all there, or
    when the demo world is not loaded)."""
    added = 0
    for (workspace_name, owner_email), rows in BOOKS.items():
        owner = User.objects.filter(email=owner_email).first()
        workspace = Workspace.objects.filter(name=workspace_name, memberships__user=owner).first() if owner else None
        if workspace is None:
            continue
        have = set(Contact.objects.filter(workspace=workspace).values_list("email", flat=True))
        unnamed = set(Contact.objects.filter(workspace=workspace, email="").values_list("name", "organisation"))
        for name, role, organisation, email, phone, city, tags, notes in rows:
            if (email and email in have) or (not email and (name, organisation) in unnamed):
                continue
            contact_create(actor=owner, workspace_id=workspace.pk, name=name, role=role, organisation=organisation,
                           email=email, phone=phone, city=city, tags=tags, notes=notes)
            added += 1
    return added
