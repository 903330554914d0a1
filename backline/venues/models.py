from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from backline.accounts.models import Workspace
from backline.core.models import Located, TimeStamped


class Venue(Located, TimeStamped):
    """A place with one or more stages. A venue workspace operates one or more venues."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=120)
    address = models.CharField(max_length=200, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200_000)])
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    description = models.TextField(blank=True, max_length=5000)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    capacity = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(200_000)])

    class Meta:
        ordering = ["-capacity", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="stage_name_unique")]

    def __str__(self) -> str:
        return f"{self.venue.name}: {self.name}"
