"""factory_boy factories that build consistent data through the real models.

Workspaces are created through the services (so owners, profiles and audit entries exist as in
real use); plain rows (users, genres) through factories."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from backline.accounts.models import User

PASSWORD = "correct-horse-battery"
_PASSWORD_HASH = None


def _hash():
    global _PASSWORD_HASH
    if _PASSWORD_HASH is None:
        _PASSWORD_HASH = make_password(PASSWORD)
    return _PASSWORD_HASH


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    time_zone = "Europe/Berlin"
    password = factory.LazyFunction(_hash)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)
