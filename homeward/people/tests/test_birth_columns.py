"""A bulk insert writes a person's birth as Person.set_birth and Person.save do."""

from datetime import date

import pytest

from homeward.lib.ages import UNKNOWN_BIRTH, BirthDate, BirthPrecision
from homeward.people.models import Person, birth_columns

BIRTHS = [
    UNKNOWN_BIRTH,
    BirthDate(BirthPrecision.DAY, date(2015, 3, 9)),
    BirthDate(BirthPrecision.MONTH, date(2014, 7, 1)),
    BirthDate(BirthPrecision.YEAR, date(2013, 1, 1)),
    BirthDate(
        BirthPrecision.ESTIMATE, estimated_age=8, estimated_on=date(2024, 5, 2), margin_years=2
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("birth", BIRTHS, ids=lambda b: b.precision.value)
def test_saved_person_stores_the_bulk_birth_columns(birth: BirthDate) -> None:
    person = Person()
    person.set_birth(birth)
    person.save()
    columns = birth_columns(birth)
    stored = Person.objects.filter(pk=person.pk).values(*columns).get()
    assert stored == columns
    assert stored["birth_earliest"] is not None or not birth.is_known
