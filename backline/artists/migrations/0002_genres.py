from django.db import migrations


def load(apps, schema_editor):
    from backline.artists.genres import GENRES

    Genre = apps.get_model("artists", "Genre")
    for slug, name in GENRES:
        Genre.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("artists", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
