"""The shapes the API reads and writes.

Input serializers only read and shape a request (types, choices, lengths); the rules are
the services', whose refusals come back as problems naming the field (api.problems).
Output serializers document what `api.representations` writes, for the schema: a field a
role may not read is left out of the answer, so such fields are not required.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from homeward.accounts.models import Scope
from homeward.cases.models import (
    FacilityKind,
    HomeAssessment,
    MemberStatus,
    Relationship,
    Willingness,
)
from homeward.cases.services import PlacementInput, RelativeInput
from homeward.cases.status import CaseStatus
from homeward.imports.models import BatchStatus, ImportKind
from homeward.lib.ages import BirthDate, BirthDateError, parse_birth
from homeward.missions.models import MissionStatus, ReadinessItem
from homeward.people.models import NameSource, Script, Sex
from homeward.people.services import NameInput
from homeward.tracing.models import RequestStatus, SoughtKind

BIRTH_HELP = (
    "As precisely as known: 2012-05-03, 2012-05, 2012, or an estimate ~6@2019-03-01 (about "
    "six on that day) or ~6±1@2019-03-01; empty when unknown."
)


# What parse_birth reads: a day, a month, a year, an estimate, or nothing.
BIRTH_PATTERN = (
    r"^$|^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$|^~[0-9]{1,3}(±[0-9])?@[0-9]{4}-[0-9]{2}-[0-9]{2}$"
)


@extend_schema_field(
    {"type": "string", "maxLength": 40, "pattern": BIRTH_PATTERN, "description": BIRTH_HELP}
)
class BirthField(serializers.Field):
    """A date of birth as field data writes it (lib.ages.parse_birth)."""

    def to_internal_value(self, data: Any) -> BirthDate:
        if not isinstance(data, str) or len(data) > 40:
            raise serializers.ValidationError(BIRTH_HELP)
        try:
            return parse_birth(data)
        except BirthDateError as error:
            raise serializers.ValidationError(error.message) from None

    def get_default(self) -> Any:
        default = super().get_default()
        return parse_birth(default) if isinstance(default, str) else default

    def to_representation(self, value: Any) -> Any:
        return value


def text(max_length: int, **kwargs: Any) -> serializers.CharField:
    kwargs.setdefault("required", False)
    kwargs.setdefault("allow_blank", True)
    kwargs.setdefault("default", "")
    return serializers.CharField(max_length=max_length, **kwargs)


# --- input ----------------------------------------------------------------------------


class NameIn(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    source = serializers.ChoiceField(choices=NameSource.choices)  # type: ignore[assignment]
    script = serializers.ChoiceField(
        choices=Script.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Detected from the letters when left out.",
    )
    is_preferred = serializers.BooleanField(required=False, default=False)


def names_of(items: list[dict[str, Any]]) -> list[NameInput]:
    return [NameInput(n["full_name"], n["source"], n["script"], n["is_preferred"]) for n in items]


class PlacementIn(serializers.Serializer):
    country = serializers.CharField(min_length=2, max_length=2, help_text="ISO 3166-1 code")
    facility_kind = serializers.ChoiceField(choices=FacilityKind.choices)
    since = serializers.DateField()
    facility_name = text(200)

    @staticmethod
    def as_input(data: dict[str, Any]) -> PlacementInput:
        return PlacementInput(
            data["country"], data["facility_kind"], data["since"], data["facility_name"]
        )


class RelativeIn(serializers.Serializer):
    relationship = serializers.ChoiceField(choices=Relationship.choices)
    names = serializers.ListField(child=NameIn(), required=False, default=list, max_length=20)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    birth = BirthField(required=False, default="")
    status = serializers.ChoiceField(
        choices=MemberStatus.choices, required=False, default=MemberStatus.UNKNOWN
    )
    detention_facility = text(200)
    conviction = text(2000, help_text="Restricted: kept only from roles that may read it.")
    sentence = text(2000, help_text="Restricted: kept only from roles that may read it.")
    place = text(200)
    contact = text(200)
    willing_to_take_custody = serializers.ChoiceField(
        choices=Willingness.choices, required=False, default=Willingness.UNKNOWN
    )
    home_assessment = serializers.ChoiceField(
        choices=HomeAssessment.choices, required=False, default=HomeAssessment.NOT_ASSESSED
    )
    home_assessed_on = serializers.DateField(required=False, allow_null=True, default=None)

    @staticmethod
    def as_input(data: dict[str, Any]) -> RelativeInput:
        return RelativeInput(
            relationship=data["relationship"],
            names=names_of(data["names"]),
            sex=data["sex"],
            birth=data["birth"],
            status=data["status"],
            detention_facility=data["detention_facility"],
            conviction=data["conviction"],
            sentence=data["sentence"],
            place=data["place"],
            contact=data["contact"],
            willing_to_take_custody=data["willing_to_take_custody"],
            home_assessment=data["home_assessment"],
            home_assessed_on=data["home_assessed_on"],
        )


class NamesIn(serializers.Serializer):
    names = serializers.ListField(child=NameIn(), min_length=1, max_length=20)


class IdentityIn(serializers.Serializer):
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth = BirthField()
    nationality = text(2, help_text="ISO 3166-1 code")
    home_region = text(6, help_text="ISO 3166-2 code, e.g. RU-DA")


class CaseIn(IdentityIn):
    names = serializers.ListField(child=NameIn(), min_length=1, max_length=20)
    placement = PlacementIn()
    identified_on = serializers.DateField()
    relatives = serializers.ListField(
        child=RelativeIn(), required=False, default=list, max_length=20
    )


class TransitionIn(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=CaseStatus.choices)
    reason = text(2000)
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)


class SoughtIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=SoughtKind.choices)
    names = serializers.ListField(child=NameIn(), required=False, default=list, max_length=20)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default=Sex.UNKNOWN)
    birth = BirthField(required=False, default="")
    mother_names = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=10
    )
    father_names = serializers.ListField(
        child=serializers.CharField(max_length=100), required=False, default=list, max_length=10
    )
    last_known_place = text(200)


class TracingRequestIn(serializers.Serializer):
    enquirer_names = serializers.ListField(child=NameIn(), min_length=1, max_length=20)
    enquirer_relationship = serializers.CharField(max_length=100)
    filed_on = serializers.DateField()
    sought = serializers.ListField(child=SoughtIn(), min_length=1, max_length=20)
    enquirer_contact = text(200)
    enquirer_place = text(200)
    who_left = text(300)
    left_on = text(40)
    left_for = text(200)
    story = text(10000)


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject")])
    reason = text(2000)
    mark_traced = serializers.BooleanField(
        required=False,
        default=False,
        help_text="On confirming: move a verified case to family traced.",
    )


class ImportIn(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (comma, semicolon or tab; UTF-8) or XLSX")
    source = serializers.CharField(max_length=100, help_text="The source's name (its mapping)")  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=ImportKind.choices, default=ImportKind.CHILDREN)
    commit = serializers.BooleanField(
        default=False, help_text="Write everything if every row passes; otherwise a dry run."
    )


# --- output (documentation of api.representations) --------------------------------------


class NameOut(serializers.Serializer):
    full_name = serializers.CharField()
    script = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    is_preferred = serializers.BooleanField()


class BirthOut(serializers.Serializer):
    text = serializers.CharField(help_text=BIRTH_HELP)
    precision = serializers.CharField()
    earliest = serializers.DateField(allow_null=True)
    latest = serializers.DateField(allow_null=True)


class PlacementOut(serializers.Serializer):
    country = serializers.CharField()
    facility_kind = serializers.CharField()
    since = serializers.DateField()
    facility_name = serializers.CharField(required=False, help_text="Sensitive")


class CaseSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.CharField()
    status = serializers.ChoiceField(choices=CaseStatus.choices)
    status_since = serializers.DateField()
    agency = serializers.CharField()
    name = serializers.CharField()
    names = NameOut(many=True)
    sex = serializers.CharField()
    birth = BirthOut()
    nationality = serializers.CharField()
    home_region = serializers.CharField()
    placement = PlacementOut(allow_null=True)
    merged_into = serializers.IntegerField(allow_null=True)
    updated_at = serializers.DateTimeField()


class FamilyMemberOut(serializers.Serializer):
    id = serializers.IntegerField()
    relationship = serializers.CharField()
    names = NameOut(many=True)
    sex = serializers.CharField()
    birth = BirthOut()
    willing_to_take_custody = serializers.CharField()
    home_assessment = serializers.CharField()
    home_assessed_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(required=False, help_text="Sensitive")
    detention_facility = serializers.CharField(required=False, help_text="Sensitive")
    place = serializers.CharField(required=False, help_text="Sensitive")
    contact = serializers.CharField(required=False, help_text="Sensitive")
    conviction = serializers.CharField(required=False, help_text="Restricted (legal)")
    sentence = serializers.CharField(required=False, help_text="Restricted (legal)")


class CaseOut(CaseSummaryOut):
    registered_at = serializers.DateTimeField()
    allowed_next = serializers.ListField(child=serializers.CharField())
    family = FamilyMemberOut(many=True)


class CaseListOut(serializers.Serializer):
    results = CaseSummaryOut(many=True)
    next = serializers.CharField(allow_null=True)


class SoughtOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    names = NameOut(many=True)
    sex = serializers.CharField()
    birth = BirthOut()
    mother_names = serializers.ListField(child=serializers.CharField())
    father_names = serializers.ListField(child=serializers.CharField())
    last_known_place = serializers.CharField()


class TracingRequestOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.CharField()
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    agency = serializers.CharField()
    filed_on = serializers.DateField()
    closed_on = serializers.DateField(allow_null=True)
    enquirer_names = NameOut(many=True)
    enquirer_relationship = serializers.CharField()
    left_on = serializers.CharField()
    left_for = serializers.CharField()
    enquirer_contact = serializers.CharField(required=False, help_text="Sensitive")
    enquirer_place = serializers.CharField(required=False, help_text="Sensitive")
    who_left = serializers.CharField(required=False, help_text="Sensitive")
    story = serializers.CharField(required=False, help_text="Sensitive")
    sought = SoughtOut(many=True)


class TracingListOut(serializers.Serializer):
    results = TracingRequestOut(many=True)
    next = serializers.CharField(allow_null=True)


class CandidateCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    url = serializers.CharField()
    name = serializers.CharField()


class CandidateOut(serializers.Serializer):
    id = serializers.IntegerField()
    sought = serializers.IntegerField()
    case = CandidateCaseOut()
    relative_names = NameOut(many=True, help_text="When a relative is sought: the one proposed")
    score = serializers.FloatField()
    explanation = serializers.CharField()
    decide_url = serializers.CharField()


class CandidateListOut(serializers.Serializer):
    results = CandidateOut(many=True)


class DecisionOut(serializers.Serializer):
    decision = serializers.CharField()
    case = serializers.IntegerField()
    sought = serializers.IntegerField()
    traced = serializers.BooleanField()
    not_traced_because = serializers.CharField()


class MissionOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    url = serializers.CharField()
    departure_airport = serializers.CharField()
    arrival_airport = serializers.CharField()
    departs_on = serializers.DateField()
    arrives_on = serializers.DateField()
    operator = serializers.CharField()
    aircraft = serializers.CharField()
    capacity = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MissionStatus.choices)
    seats_taken = serializers.IntegerField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    approved_at = serializers.DateTimeField(allow_null=True)


class OnBoardOut(serializers.Serializer):
    entry = serializers.IntegerField()
    case = serializers.IntegerField()
    reference = serializers.CharField()
    seat = serializers.CharField()
    receiving_region = serializers.CharField()


class MissionDetailOut(MissionOut):
    on_board = OnBoardOut(many=True, help_text="Children whose cases you may open")
    not_shown = serializers.IntegerField(help_text="Children on board whose cases you may not open")


class MissionListOut(serializers.Serializer):
    results = MissionOut(many=True)


class ManifestRowOut(serializers.Serializer):
    seat = serializers.CharField()
    reference = serializers.CharField()
    latin_name = serializers.CharField()
    cyrillic_name = serializers.CharField()
    sex = serializers.CharField()
    birth = serializers.CharField()
    escort = serializers.CharField()
    receiving_region = serializers.CharField()


class ManifestOut(serializers.Serializer):
    mission = serializers.CharField()
    route = serializers.CharField()
    departs_on = serializers.DateField()
    rows = ManifestRowOut(many=True)


class ChecklistLineOut(serializers.Serializer):
    item = serializers.ChoiceField(choices=ReadinessItem.choices)
    label = serializers.CharField()  # type: ignore[assignment]
    done = serializers.BooleanField()
    done_on = serializers.DateField(allow_null=True)


class ReadinessOut(serializers.Serializer):
    case = serializers.IntegerField()
    reference = serializers.CharField()
    status = serializers.CharField()
    ready = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())
    checklist = ChecklistLineOut(many=True)


class MissionReadinessOut(serializers.Serializer):
    mission = serializers.IntegerField()
    children = ReadinessOut(many=True)
    not_shown = serializers.IntegerField()


class StatsRowOut(serializers.Serializer):
    count = serializers.IntegerField()


class AgesOut(serializers.Serializer):
    youngest = serializers.IntegerField(allow_null=True)
    oldest = serializers.IntegerField(allow_null=True)


class ChildrenStatsOut(serializers.Serializer):
    description = serializers.CharField()
    as_of = serializers.DateField(allow_null=True)
    repatriated_on = serializers.DateField(allow_null=True)
    flow = serializers.DictField(allow_null=True)
    host = serializers.CharField(allow_null=True)
    by = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "One object per group: a value for each dimension of `by`, and `count` (null "
            "where the disclosure rule leaves the cell blank)."
        ),
    )
    total = serializers.IntegerField(allow_null=True)
    protected = serializers.BooleanField(
        help_text="True when the figures take in cases outside the caller's scope and are "
        "protected as a public release is (small cells and those that would give them away "
        "are null)."
    )
    ages = AgesOut()
    age_counting = serializers.CharField()


class RowsOut(serializers.Serializer):
    description = serializers.CharField()
    rows = serializers.ListField(child=serializers.DictField())


class ReleaseSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    approved_on = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class ReleaseListOut(serializers.Serializer):
    results = ReleaseSummaryOut(many=True)


class DimensionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ReleaseOut(ReleaseSummaryOut):
    period = serializers.CharField()
    as_of = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    approved_by = serializers.CharField()
    approved_at = serializers.CharField()
    disclosure_control = serializers.CharField()
    legend = serializers.CharField()
    blank = serializers.CharField(help_text="What a suppressed cell shows")
    ages = serializers.CharField()
    seal = serializers.CharField(help_text="SHA-256 of the table as checked")
    dimensions = DimensionOut(many=True)
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per cell, totals included: each dimension's code and name, and "
        "`count`, a number or the blank for a suppressed cell.",
    )


class ProblemOut(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportOut(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    original_name = serializers.CharField()
    status = serializers.ChoiceField(choices=BatchStatus.choices)
    uploaded_at = serializers.DateTimeField()
    checked_at = serializers.DateTimeField(allow_null=True)
    committed_at = serializers.DateTimeField(allow_null=True)
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    report = serializers.DictField(help_text="Rows, what each would do, and the first problems")
    problems = ProblemOut(many=True)


class ChangeOut(serializers.Serializer):
    cursor = serializers.CharField()
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=["case", "tracing_request", "mission"])
    id = serializers.IntegerField()
    url = serializers.CharField()
    action = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]


class ChangesOut(serializers.Serializer):
    results = ChangeOut(many=True)
    next_cursor = serializers.CharField(help_text="Send as `since` for what changed after these")
    more = serializers.BooleanField(help_text="True: ask again at once with next_cursor")


class KeyOut(serializers.Serializer):
    name = serializers.CharField()
    prefix = serializers.CharField()
    expires_at = serializers.DateTimeField()


class MeOut(serializers.Serializer):
    username = serializers.CharField()
    agency = serializers.CharField()
    role = serializers.CharField()
    scope = serializers.ChoiceField(choices=Scope.choices)
    key = KeyOut(allow_null=True)
