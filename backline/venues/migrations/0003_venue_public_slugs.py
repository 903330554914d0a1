"""Give every existing venue its public address: name and city, numbered when taken."""

from django.db import migrations
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Venue = apps.get_model("venues", "Venue")
    taken = set(Venue.objects.exclude(slug=None).values_list("slug", flat=True))
    for venue in Venue.objects.filter(slug=None).order_by("pk"):
        base = slugify(f"{venue.name} {venue.city_name}")[:72].strip("-") or "venue"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        venue.slug = slug
        venue.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("venues", "0002_stage_tech_spec_and_public_page")]
    operations = [migrations.RunPython(fill_slugs, migrations.RunPython.noop)]
