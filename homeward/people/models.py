"""People: the children, their parents and their relatives, each under many spellings."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from homeward.lib.ages import AgeRange, BirthDate, BirthPrecision
from homeward.lib.scripts import OTHER_SCRIPT, detect_script, search_key
from homeward.people.validators import validate_country


class Sex(models.TextChoices):
    FEMALE = "f", _("Female")
    MALE = "m", _("Male")
    UNKNOWN = "u", _("Unknown")


class Script(models.TextChoices):
    LATIN = "Latn", _("Latin")
    CYRILLIC = "Cyrl", _("Cyrillic")
    ARABIC = "Arab", _("Arabic")
    OTHER = OTHER_SCRIPT, _("Other")


class NameSource(models.TextChoices):
    HOST_AUTHORITY = "host_authority", _("Host authority record")
    CONSULAR = "consular", _("Consular record")
    FAMILY = "family", _("Family")
    NGO = "ngo", _("NGO record")
    CIVIL_REGISTRY = "civil_registry", _("Home civil registry")
    SELF = "self", _("The person themself")
    OTHER = "other", _("Other")


# Derived from the birth on every save, so lists and statistics can filter and count by
# age in the database.
DERIVED_BIRTH_COLUMNS = ("birth_earliest", "birth_latest", "birth_midpoint")


def birth_columns(birth: BirthDate) -> dict[str, Any]:
    """A birth as a person's row stores it, the derived range included: what
    `Person.set_birth` and `Person.save` write, and what a bulk insert writes for them."""
    known = birth.is_known
    return {
        "birth_precision": birth.precision.value,
        "birth_date": birth.value,
        "birth_estimated_age": birth.estimated_age,
        "birth_estimated_on": birth.estimated_on,
        "birth_margin_years": birth.margin_years,
        "birth_earliest": birth.earliest if known else None,
        "birth_latest": birth.latest if known else None,
        "birth_midpoint": birth.midpoint if known else None,
    }


class Person(models.Model):
    sex = models.CharField(max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_precision = models.CharField(
        max_length=10,
        choices=[(p.value, p.value.capitalize()) for p in BirthPrecision],
        default=BirthPrecision.UNKNOWN,
    )
    birth_date = models.DateField(null=True, blank=True)
    birth_estimated_age = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_estimated_on = models.DateField(null=True, blank=True)
    birth_margin_years = models.PositiveSmallIntegerField(default=0)
    # Derived from the fields above on every save, so lists and statistics can filter and
    # count by age in the database.
    birth_earliest = models.DateField(null=True, blank=True, editable=False, db_index=True)
    birth_latest = models.DateField(null=True, blank=True, editable=False)
    birth_midpoint = models.DateField(null=True, blank=True, editable=False, db_index=True)
    nationality = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_country],
        help_text=gettext_lazy("ISO 3166-1 code"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = gettext_lazy("people")

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_birth_range()
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def derive_birth_range(self) -> None:
        """Set the derived range from the birth fields (bulk_create skips save())."""
        columns = birth_columns(self.birth)
        for name in DERIVED_BIRTH_COLUMNS:
            setattr(self, name, columns[name])

    @property
    def birth(self) -> BirthDate:
        return BirthDate(
            precision=BirthPrecision(self.birth_precision),
            value=self.birth_date,
            estimated_age=self.birth_estimated_age,
            estimated_on=self.birth_estimated_on,
            margin_years=self.birth_margin_years,
        )

    def set_birth(self, birth: BirthDate) -> None:
        for name, value in birth_columns(birth).items():
            if name not in DERIVED_BIRTH_COLUMNS:
                setattr(self, name, value)

    def age_range_on(self, on: date) -> AgeRange | None:
        return self.birth.age_range_on(on)

    @property
    def display_name(self) -> str:
        # A list read by `names_read` for many people, else the names (prefetched or not).
        names = getattr(self, NAMES_READ, None)
        if names is None:
            names = list(self.names.all())
        preferred = [n for n in names if n.is_preferred] or names
        return preferred[0].full_name if preferred else f"Person {self.pk}"


NAMES_READ = "names_read"


def names_read(lookup: str) -> Prefetch:
    """Many people's names (`lookup` ends at the names, as in "case__child__names") read
    into a list that `display_name` reads: a prefetch into the `names` manager builds a
    queryset per person (0.05 ms each, 200 on a manifest), for pages that show a name."""
    return Prefetch(lookup, to_attr=NAMES_READ)


class PersonName(models.Model):
    """One spelling of a person's name, as one source wrote it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="names")
    full_name = models.CharField(max_length=200)
    script = models.CharField(max_length=4, choices=Script.choices)
    source = models.CharField(max_length=20, choices=NameSource.choices)
    is_preferred = models.BooleanField(default=False)
    # Lower-case Latin transliteration, so a search in one script finds names in another.
    search_key = models.CharField(max_length=1000, editable=False)

    class Meta:
        ordering = ["-is_preferred", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(is_preferred=True),
                name="one_preferred_name_per_person",
            ),
            models.UniqueConstraint(
                fields=["person", "full_name", "source"], name="name_spelling_once_per_source"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.full_name = " ".join(self.full_name.split())
        if not self.script:
            self.script = detect_script(self.full_name)
        self.search_key = search_key(self.full_name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        from homeward.people.name_keys import index_names

        index_names([self.person_id])

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)  # type: ignore[arg-type]
        from homeward.people.name_keys import index_names

        index_names([self.person_id])
        return deleted


class NameKey(models.Model):
    """One key of the matching engine's reading of a person's names
    (`homeward.matching.name_keys`: a reading, a word's skeleton, or two words'), stored so
    that a search finds the person by it. Derived from the person's names:
    `people.name_keys.index_names` rewrites them whenever the names change."""

    # The unique constraint's index (person, key) serves lookups by person.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="name_keys", db_index=False
    )
    key = models.CharField(max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="name_key_once_per_person")
        ]
        # A search reads the people of a key from the index alone.
        indexes = [models.Index(fields=["key", "person"], name="people_namekey_key_person")]

    def __str__(self) -> str:
        return self.key
