"""The caseworker's pages: the case list, the case page, and a form for each part.

Every view reaches a case through access.get_case_for and changes it through services.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.audit.models import AuditEntry
from homeward.audit.services import record
from homeward.cases import services
from homeward.cases.access import (
    can_change_cases,
    can_see_access_log,
    get_case_for,
    may_share,
    opens_case_records,
    owns_case,
    part_of_case,
    profile_of,
    refuse,
)
from homeward.cases.forms import (
    AttachmentForm,
    BirthFields,
    CaseFilterForm,
    FamilyMemberForm,
    IdentityForm,
    NameFormSet,
    NoteForm,
    OfferCaseForm,
    PlacementForm,
    RegisterChildForm,
    TransitionForm,
    names_from,
    show_case_error,
)
from homeward.cases.models import (
    Attachment,
    AttachmentKind,
    CaseShare,
    ChildCase,
    FamilyMember,
    ShareKind,
    ShareStatus,
)
from homeward.cases.queries import listed_cases, sibling_registration, usual_registration
from homeward.cases.services import CaseError, ChildInput
from homeward.cases.status import CaseStatus, allowed_next
from homeward.cases.timeline import history, timeline_for
from homeward.lib.places import region_choices
from homeward.people import queries as people_queries
from homeward.people.models import NameSource
from homeward.people.queries import more_found
from homeward.protection.sensitivity import Restricted, may_read
from homeward.web.paging import CappedPaginator

LEGAL, PHOTO = Restricted.LEGAL, Restricted.PHOTO

PAGE_SIZE = 50


def _regions() -> list[tuple[str, str]]:
    return region_choices("RU")


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not case records."))
    form = CaseFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    cases = (
        listed_cases(request.user, filters, today)
        .select_related("child")
        .prefetch_related("child__names")
    )
    # The list shows children's names: who looked, and by which filters (never their values).
    action = "case.searched" if filters.get("q") else "case.listed"
    record(action, actor=request.user, fields=[name for name, v in filters.items() if v])
    # In the search's order (best first), else by reference.
    number = request.GET.get("page")
    page = CappedPaginator(cases, PAGE_SIZE, number).get_page(number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "today": today,
            "query": query.urlencode(),
            "regions": _regions(),
            "can_register": can_change_cases(request.user),
            "search_more": more_found(page),
            "search_limit": people_queries.RANK_LIMIT,
        },
    )


@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    record("case.viewed", actor=request.user, target=case)
    _read_once(case)
    today = timezone.localdate()
    allowed = _by_hand(case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "child": case.child,
            "names": case.child.names.all(),
            "age": case.child.age_range_on(today),
            "placement": case.current_placement(),
            "family": case.family.all(),
            "attachments": _attachments_for(request.user, case),
            "legal_access": may_read(request.user, LEGAL),
            "timeline": timeline_for(case),
            "can_change": can_change_cases(request.user),
            "transition_form": TransitionForm(allowed=allowed),
            "allowed": allowed,
            "note_form": NoteForm(),
            "today": today,
            "shares": case.shares.select_related("from_agency", "to_agency"),
            "offer_form": OfferCaseForm(case=case),
            "may_share": may_share(request.user, case, ShareKind.REFERRAL),
            "owns_case": owns_case(request.user, case),
            "access_log": _access_log(case) if can_see_access_log(request.user) else None,
            "merges": case.merges_in.filter(undone_at=None).select_related("merged", "merged_by"),
            "tracing_candidates": _tracing_candidates(request.user, case),
            "is_supervisor": can_see_access_log(request.user),
            "journey": _journey(request.user, case),
        },
    )


def _read_once(case: ChildCase) -> None:
    """What several panels of the case page read (the names, the status history, the
    readiness ticks, the family), read once: the checklist alone is drawn twice (its
    lines, and what stands between the child and a seat), and each drawing read the
    history, the ticks and the family again."""
    family = FamilyMember.objects.select_related("person").prefetch_related("person__names")
    prefetch_related_objects(
        [case], "child__names", history(case), "readiness", Prefetch("family", queryset=family)
    )


def _by_hand(case: ChildCase) -> list[CaseStatus]:
    """The moves the status form offers: those allowed that no other step makes (the page
    offers those steps where they are made, under "What comes next")."""
    allowed = allowed_next(CaseStatus(case.status), services.held_from(case))
    return [status for status in allowed if not services.made_elsewhere(case, status)]


def _journey(user: Any, case: ChildCase) -> dict[str, Any]:
    from homeward.care.panels import journey  # the journey home builds on cases

    return journey(user, case, can_change_cases(user))


def _tracing_candidates(user: Any, case: ChildCase) -> Any:
    """Relatives' open requests that may be about this child, among those the user may read
    (a closed request's candidates are kept, no longer proposed)."""
    from homeward.tracing.access import visible_requests  # tracing builds on cases
    from homeward.tracing.review import with_home

    candidates = case.tracing_candidates.filter(
        visible_requests(user, "sought__request"), sought__request__status="open"
    )
    candidates = with_home(candidates.select_related("sought__request__enquirer"))
    return candidates.order_by("-score")[:10]


def _attachments_for(user: Any, case: ChildCase) -> Any:
    attachments = case.attachments.all()
    if not may_read(user, PHOTO):
        attachments = attachments.exclude(kind=AttachmentKind.PHOTO)
    return attachments


def _access_log(case: ChildCase) -> list[AuditEntry]:
    """Who opened or changed this case, newest first (supervisors only)."""
    entries = AuditEntry.objects.filter(object_type="cases.childcase", object_id=str(case.pk))
    return list(entries.order_by("-id")[:100])


@require_http_methods(["GET", "POST"])
def register_child(request: HttpRequest) -> HttpResponse:
    """Register a child; with `?sibling_of=<case>`, a brother or sister of that case's
    child, found in the same place, who shares the family."""
    profile = profile_of(request.user)
    if profile is None or not can_change_cases(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(
            _("Only caseworkers of an agency can register a child; your account has no such role.")
        )
    sibling_of = _sibling_of(request)
    initial = usual_registration(profile.agency)
    if sibling_of is not None:
        initial |= sibling_registration(sibling_of)
    form = RegisterChildForm(request.POST or None, initial=initial, sibling=sibling_of is not None)
    names = NameFormSet(request.POST or None, prefix="names", initial=[{"source": "consular"}] * 3)
    names_error = ""
    if request.method == "POST" and form.is_valid() and names.is_valid():
        try:
            case = _register(request, form, names, profile.agency, sibling_of)
        except CaseError as error:
            if error.field == "names":
                names_error = error.message
            else:
                show_case_error(form, error)
        else:
            return redirect("cases:detail", pk=case.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "names": names,
        "names_error": names_error,
        "regions": _regions(),
        "sibling_of": sibling_of,
        "shared_family": _shared_family(sibling_of),
    }
    return render(request, "cases/register.html", context, status=status)


def _sibling_of(request: HttpRequest) -> ChildCase | None:
    """The case a sibling is registered from, through the one way in (write access)."""
    given = request.GET.get("sibling_of", "")
    if not given:
        return None
    if not given.isdigit():
        raise Http404(_("No such case."))
    return get_case_for(request.user, int(given), write=True)


def _shared_family(case: ChildCase | None) -> list[FamilyMember]:
    if case is None:
        return []
    return list(case.family.select_related("person").prefetch_related("person__names"))


def _register(
    request: HttpRequest, form: RegisterChildForm, names: Any, agency: Any, of: ChildCase | None
) -> ChildCase:
    data = ChildInput(
        names=names_from(names),
        sex=form.cleaned_data["sex"],
        birth=form.cleaned_data["birth"],
        nationality=form.cleaned_data["nationality"],
        home_region=form.cleaned_data["home_region"],
        placement=form.placement(),
        identified_on=form.cleaned_data["identified_on"],
        relatives=form.parents(),
    )
    if of is None:
        case = services.register_child(data, agency=agency, by=request.user)
        messages.success(request, _("Registered %(ref)s.") % {"ref": case.reference})
        return case
    case = services.register_sibling(of, data, agency=agency, by=request.user)
    messages.success(
        request,
        _("Registered %(ref)s, a sibling of %(of)s: they share the family.")
        % {"ref": case.reference, "of": of.reference},
    )
    return case


@require_http_methods(["GET", "POST"])
def edit_identity(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    child = case.child
    initial = {"sex": child.sex, "nationality": child.nationality, "home_region": case.home_region}
    form = IdentityForm(
        request.POST or None, initial=initial | BirthFields.initial_for(child.birth)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            request,
            case,
            form,
            lambda: services.update_identity(
                case,
                sex=d["sex"],
                birth=d["birth"],
                nationality=d["nationality"],
                home_region=d["home_region"],
                by=request.user,
            ),
            _("Saved."),
            fallback="birth_known",
        )
        if saved:
            return saved
    return _edit_page(request, case, _("Identity"), form)


@require_http_methods(["GET", "POST"])
def edit_names(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    initial = [
        {
            "full_name": n.full_name,
            "script": n.script,
            "source": n.source,
            "is_preferred": n.is_preferred,
        }
        for n in case.child.names.all()
    ]
    formset = NameFormSet(request.POST or None, prefix="names", initial=[*initial, {}, {}])
    names_error = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.replace_names(case.child, names_from(formset), by=request.user, case=case)
        except CaseError as error:
            names_error = error.message
        else:
            messages.success(request, _("Names saved."))
            return redirect("cases:detail", pk=case.pk)
    return _edit_page(request, case, _("Names"), None, formset=formset, names_error=names_error)


@require_http_methods(["GET", "POST"])
def add_family_member(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = FamilyMemberForm(request.POST or None, legal_access=may_read(request.user, LEGAL))
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            case,
            form,
            lambda: services.add_family_member(case, form.as_relative(), by=request.user),
            _("Family member added."),
            fallback="names",
        )
        if saved:
            return saved
    return _edit_page(request, case, _("Add a family member"), form)


@require_http_methods(["GET", "POST"])
def edit_family_member(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    member = part_of_case(
        request.user, FamilyMember.objects.select_related("person"), case, member_pk
    )
    person = member.person
    initial = {
        "relationship": member.relationship,
        "names": "\n".join(n.full_name for n in person.names.all()),
        "names_source": first.source if (first := person.names.first()) else NameSource.FAMILY,
        "sex": person.sex,
        "status": member.status,
        "detention_facility": member.detention_facility,
        "conviction": member.conviction,
        "sentence": member.sentence,
        "place": member.place,
        "contact": member.contact,
        "willing_to_take_custody": member.willing_to_take_custody,
        "home_assessment": member.home_assessment,
        "home_assessed_on": member.home_assessed_on,
    } | BirthFields.initial_for(person.birth)
    form = FamilyMemberForm(
        request.POST or None,
        initial=initial,
        legal_access=may_read(request.user, LEGAL),
        kept=member,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            case,
            form,
            lambda: services.update_family_member(member, form.as_relative(), by=request.user),
            _("Saved."),
            fallback="names",
        )
        if saved:
            return saved
    return _edit_page(request, case, member.get_relationship_display(), form, person=person)


@require_http_methods(["GET", "POST"])
def change_placement(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = PlacementForm(request.POST or None, initial={"since": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        saved = _save(
            request,
            case,
            form,
            lambda: services.move_placement(case, form.as_placement(), by=request.user),
            _("Placement recorded."),
        )
        if saved:
            return saved
    return _edit_page(request, case, _("New placement"), form)


@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = TransitionForm(request.POST, allowed=_by_hand(case))
    if form.is_valid():
        d = form.cleaned_data
        saved = _save(
            request,
            case,
            form,
            lambda: services.change_status(
                case,
                d["to_status"],
                by=request.user,
                reason=d["reason"],
                effective_on=d["effective_on"],
            ),
            f"The case is now “{CaseStatus(d['to_status']).label}”.",
        )
        if saved:
            return saved
    return _edit_page(request, case, _("Change status"), form)


@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        saved = _save(
            request,
            case,
            form,
            lambda: services.add_note(case, form.cleaned_data["text"], by=request.user),
            _("Note added."),
        )
        if saved:
            return saved
    return _edit_page(request, case, _("Add a note"), form)


@require_http_methods(["GET", "POST"])
def upload_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        saved = _save(
            request,
            case,
            form,
            lambda: services.add_attachment(
                case,
                d["file"],
                kind=d["kind"],
                description=d["description"],
                by=request.user,
                max_bytes=settings.ATTACHMENT_MAX_BYTES,
            ),
            _("File uploaded."),
        )
        if saved:
            return saved
    return _edit_page(request, case, _("Upload a document or photo"), form, multipart=True)


@require_GET
def download_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The only way to an uploaded file: through the case's permission check."""
    case = get_case_for(request.user, pk)
    attachment = part_of_case(request.user, Attachment.objects.all(), case, attachment_pk)
    if attachment.kind == AttachmentKind.PHOTO and not may_read(request.user, PHOTO):
        record("access.denied", actor=request.user, target=attachment)
        raise Http404(_("No such file."))
    record("attachment.downloaded", actor=request.user, target=attachment)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=request.GET.get("inline") != "1",
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _save(
    request: HttpRequest,
    case: ChildCase,
    form: Any,
    change: Callable[[], object],
    done: str,
    fallback: str | None = None,
) -> HttpResponse | None:
    """Make a change through a service: on success go back to the case with `done`; on a
    refusal put its message on the form and return None, so the form is shown again."""
    try:
        change()
    except CaseError as error:
        show_case_error(form, error, fallback=fallback)
        return None
    messages.success(request, done)
    return redirect("cases:detail", pk=case.pk)


def _edit_page(
    request: HttpRequest,
    case: ChildCase,
    title: str,
    form: Any,
    *,
    formset: Any = None,
    names_error: str = "",
    multipart: bool = False,
    person: object = None,
) -> HttpResponse:
    """`person`: whom the page is about, after the title (isolated by its own direction)."""
    invalid = request.method == "POST"
    return render(
        request,
        "cases/edit.html",
        {
            "case": case,
            "title": title,
            "person": person,
            "form": form,
            "formset": formset,
            "names_error": names_error,
            "multipart": multipart,
            "regions": _regions(),
        },
        status=400 if invalid else 200,
    )


@require_POST
def offer_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    if not may_share(request.user, case, ShareKind.REFERRAL):
        refuse(request.user, "cases.childcase", pk, _("No such case."))
    form = OfferCaseForm(request.POST, case=case)
    if form.is_valid():
        d = form.cleaned_data
        saved = _save(
            request,
            case,
            form,
            lambda: services.offer_case(
                case, d["to_agency"], kind=d["kind"], reason=d["reason"],
                consent=d["consent"], by=request.user,
            ),
            f"Offered to {d['to_agency']}; they see the case once they accept.",
        )  # fmt: skip
        if saved:
            return saved
    return _edit_page(request, case, _("Refer or transfer the case"), form)


@require_POST
def revoke_share(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, write=True)
    if not owns_case(request.user, case):
        refuse(request.user, "cases.caseshare", share_pk, _("No such sharing."))
    share = part_of_case(request.user, CaseShare.objects.all(), case, share_pk)
    try:
        services.revoke_share(share, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The %(kind)s to %(to_agency)s is revoked.")
            % {"kind": share.kind, "to_agency": share.to_agency},
        )
    return redirect("cases:detail", pk=case.pk)


@require_GET
def offered_cases(request: HttpRequest) -> HttpResponse:
    """Cases other agencies offer to mine: only the reference and why, until accepted."""
    profile = profile_of(request.user)
    if profile is None or not can_change_cases(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only case staff of an agency receive referrals."))
    offers = CaseShare.objects.filter(to_agency=profile.agency, status=ShareStatus.PENDING)
    offers = offers.select_related("case", "from_agency").order_by("created_at")
    return render(request, "cases/offered.html", {"offers": offers})


@require_POST
def decide_offer(request: HttpRequest, share_pk: int) -> HttpResponse:
    profile = profile_of(request.user)
    share = None
    if profile is not None and can_change_cases(request.user):
        share = CaseShare.objects.filter(pk=share_pk, to_agency=profile.agency).first()
    if share is None:
        refuse(request.user, "cases.caseshare", share_pk, _("No such offer."))
    accept = request.POST.get("decision") == "accept"
    try:
        services.decide_share(share, accept=accept, by=request.user)
    except CaseError as error:
        messages.error(request, error.message)
        return redirect("cases:offered")
    if accept:
        messages.success(
            request,
            _("Accepted: %(reference)s is now open to your agency.")
            % {"reference": share.case.reference},
        )
        return redirect("cases:detail", pk=share.case_id)
    messages.success(
        request,
        _("Declined the %(kind)s of %(reference)s.")
        % {"kind": share.kind, "reference": share.case.reference},
    )
    return redirect("cases:offered")
