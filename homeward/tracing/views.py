"""Pages to file, find, read and close tracing requests."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homeward.audit.services import record
from homeward.cases.access import (
    can_change_cases,
    get_case_for,
    opens_case_records,
    profile_of,
    refuse,
)
from homeward.cases.forms import show_case_error
from homeward.cases.services import CaseError
from homeward.lib.ages import birth_text
from homeward.people import queries as people_queries
from homeward.people.queries import more_found
from homeward.tracing import queries, review, services
from homeward.tracing.access import get_request_for, requests_visible_to
from homeward.tracing.forms import (
    CloseForm,
    MatchFilterForm,
    RequestFilterForm,
    RequestForm,
    SoughtForm,
    SoughtFormSet,
)
from homeward.tracing.models import (
    MatchCandidate,
    RequestStatus,
    SoughtPerson,
    split_variants,
)
from homeward.web.refusals import control_name, refuse_at


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not tracing requests."))
    form = RequestFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    requests = queries.search_requests(requests_visible_to(request.user), filters.get("q") or "")
    if filters.get("status"):
        requests = requests.filter(status=filters["status"])
    if filters.get("q"):
        record("tracing.searched", actor=request.user, fields=["q"])
    requests = requests.select_related("enquirer").prefetch_related(
        "enquirer__names", "sought__person__names"
    )
    page = Paginator(requests, 50).get_page(request.GET.get("page"))
    context = {
        "form": form, "page": page, "can_file": can_change_cases(request.user),
        "search_more": more_found(page), "search_limit": people_queries.RANK_LIMIT,
    }  # fmt: skip
    return render(request, "tracing/list.html", context)


@require_GET
def match_list(request: HttpRequest) -> HttpResponse:
    """Every proposed match the user may decide on, filtered; the dashboard's panel shows
    the first few and links here."""
    if not opens_case_records(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Your role sees aggregate figures only, not tracing matches."))
    form = MatchFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    candidates = review.open_candidates(request.user)
    show = filters.get("show") or "review"
    if show != "all":
        candidates = review.home_or_not(candidates, home=show == "home")
    if filters.get("kind"):
        candidates = candidates.filter(sought__kind=filters["kind"])
    if filters.get("at_least"):
        candidates = candidates.filter(score__gte=float(filters["at_least"]))
    if filters.get("q"):
        text = filters["q"].strip()
        candidates = candidates.filter(
            Q(sought__request__reference__iexact=text) | Q(case__reference__iexact=text)
        )
    candidates = candidates.select_related(
        "sought__request__enquirer", "case__child", "relative"
    ).prefetch_related("case__child__names", "sought__request__enquirer__names")
    page = Paginator(candidates, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "show": show}
    return render(request, "tracing/matches.html", context)


@require_http_methods(["GET", "POST"])
def file_request(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)
    if profile is None or not can_change_cases(request.user):
        record("access.denied", actor=request.user)
        raise PermissionDenied(_("Only case staff of an agency file tracing requests."))
    form = RequestForm(request.POST or None)
    sought = SoughtFormSet(request.POST or None, prefix="sought")
    sought_error = ""
    if request.method == "POST" and form.is_valid() and sought.is_valid():
        # A person's entry left as it was offered is no one; one begun is checked whole
        # (a birth year without a name is refused, not dropped).
        begun = [f for f in sought.forms if f.has_changed()]
        data = services.RequestInput(
            enquirer_names=form.enquirer(), sought=[f.as_sought() for f in begun],
            **{k: v for k, v in form.cleaned_data.items() if k != "enquirer_names"},
        )  # fmt: skip
        try:
            filed = services.file_request(data, agency=profile.agency, by=request.user)
        except CaseError as error:
            if error.within == "sought" or error.field == "sought":
                if not _show_sought_error(begun, error):
                    sought_error = error.message
            else:
                show_case_error(form, error)
        else:
            messages.success(request, _("Filed %(reference)s.") % {"reference": filed.reference})
            return redirect("tracing:detail", pk=filed.pk)
    context = {
        "form": form, "sought": sought, "sought_error": sought_error,
        "relationship_words": services.relationship_words(),
    }  # fmt: skip
    return render(
        request, "tracing/file.html", context, status=400 if request.method == "POST" else 200
    )


def _show_sought_error(begun: list[Any], error: CaseError) -> bool:
    """Put a service's refusal of a sought person next to that field of that person's
    entry (`error.index` is their place among those filed); False when it names none."""
    if error.index is None or error.index >= len(begun):
        return False
    entry = begun[error.index]
    if error.field not in entry.fields:
        return False
    entry.add_error(error.field, error.message)
    return True


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    tracing = get_request_for(request.user, pk)
    record("tracing.viewed", actor=request.user, target=tracing)
    context = {
        "tracing": tracing, "detail": queries.request_page(tracing, request.user),
        "close_form": CloseForm(), "can_change": can_change_cases(request.user),
    }  # fmt: skip
    return render(request, "tracing/detail.html", context)


@require_GET
def matching_state(request: HttpRequest, pk: int) -> JsonResponse:
    """Polled by the request page (static/homeward/matching.js) while matching runs, so
    that the page reloads once the candidates are in."""
    tracing = get_request_for(request.user, pk)
    return JsonResponse({"pending": queries.matching_pending(tracing)})


def _candidate_for(request: HttpRequest, candidate_pk: int, *, write: bool) -> MatchCandidate:
    """A proposed pair, for a user who may read (or change) both the request and the case."""
    candidate = (
        MatchCandidate.objects.select_related(
            "sought__request__enquirer", "sought__person", "case__child", "relative"
        )
        .filter(pk=candidate_pk)
        .first()
    )
    if candidate is None:
        refuse(request.user, "tracing.matchcandidate", candidate_pk, _("No such candidate."))
    get_request_for(request.user, candidate.sought.request_id, write=write)
    get_case_for(request.user, candidate.case_id, write=write)
    return candidate


@require_GET
def review_match(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    """The request and the child's record side by side, field by field, in words."""
    candidate = _candidate_for(request, candidate_pk, write=False)
    tracing = candidate.sought.request
    record("tracing.viewed", actor=request.user, target=tracing)
    record("case.viewed", actor=request.user, target=candidate.case)
    open_request = tracing.status == RequestStatus.OPEN
    context = {
        "candidate": candidate,
        "tracing": tracing,
        "rows": review.compared(candidate),
        "likelihood": review.likelihood(candidate.score),
        "home": review.hand_over_to_enquirer(candidate),
        "can_decide": can_change_cases(request.user) and open_request,
        "mark_traced_refusal": services.mark_traced_refusal(candidate.case),
        "may_mark_traced": not services.mark_traced_refusal(candidate.case),
    }
    return render(request, "tracing/review.html", context)


@require_POST
def decide_match(request: HttpRequest, candidate_pk: int) -> HttpResponse:
    """Confirm or reject a proposed child; both the request and the case must be the
    user's to change. A rejection is asked again before it is recorded: it is for good."""
    candidate = _candidate_for(request, candidate_pk, write=True)
    tracing_pk = candidate.sought.request_id
    control = control_name("sought", candidate.sought_id)
    reason = request.POST.get("reason", "")
    refusal = services.decision_refusal(candidate)
    if refusal:
        refuse_at(request, control, refusal)
        return redirect(reverse("tracing:detail", kwargs={"pk": tracing_pk}) + f"#{control}")
    if request.POST.get("decision") != "confirm" and request.POST.get("sure") != "yes":
        context = {
            "candidate": candidate, "tracing": candidate.sought.request, "reason": reason,
            "rows": review.compared(candidate),
        }  # fmt: skip
        return render(request, "tracing/confirm_reject.html", context)
    try:
        if request.POST.get("decision") == "confirm":
            mark = request.POST.get("mark_traced") == "on"
            confirmed = services.confirm_match(
                candidate, by=request.user, mark_traced=mark, reason=reason
            )
            messages.success(request, _confirmed_text(confirmed))
            if confirmed.not_traced_because:
                refuse_at(
                    request,
                    control,
                    _("Not marked family traced: %(why)s.") % {"why": confirmed.not_traced_because},
                )
        else:
            services.reject_match(candidate, by=request.user, reason=reason)
            who = "child" if candidate.relative_id is None else "person"
            said = f"Rejected: this {who} will not be proposed again."
            if candidate.sought.request.status == RequestStatus.CLOSED:
                said += " " + _("Everyone the request sought is found, and it is closed.")
            messages.success(request, said)
    except CaseError as error:
        refuse_at(request, control, error.message)
    return redirect(reverse("tracing:detail", kwargs={"pk": tracing_pk}) + f"#{control}")


def _confirmed_text(confirmed: services.Confirmed) -> str:
    said = _("Confirmed: the enquirer is now in the child's family")
    if confirmed.traced:
        said += _(", and the case is marked family traced")
    if confirmed.closed:
        said += _("; everyone the request sought is found, and it is closed")
    return f"{said}."


@require_http_methods(["GET", "POST"])
def edit_sought(request: HttpRequest, pk: int) -> HttpResponse:
    """Change what the enquirer says of one person sought; matched again in the background."""
    sought = SoughtPerson.objects.filter(pk=pk).select_related("request", "person").first()
    if sought is None:
        refuse(request.user, "tracing.soughtperson", pk, _("No such person sought."))
    tracing = get_request_for(request.user, sought.request_id, write=True)
    form = SoughtForm(request.POST or None, initial=_sought_initial(sought))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_sought(sought, form.as_sought(), by=request.user)
        except CaseError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved; the candidates are looked for again."))
            return redirect("tracing:detail", pk=tracing.pk)
    context = {"tracing": tracing, "sought": sought, "form": form}
    return render(
        request,
        "tracing/edit_sought.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _sought_initial(sought: SoughtPerson) -> dict[str, Any]:
    person = sought.person
    return {
        "kind": sought.kind, "names": "\n".join(n.full_name for n in person.names.all()),
        "sex": person.sex, "birth": birth_text(person.birth),
        "mother_names": "\n".join(split_variants(sought.mother_names)),
        "father_names": "\n".join(split_variants(sought.father_names)),
        "last_known_place": sought.last_known_place,
    }  # fmt: skip


@require_POST
def close_request(request: HttpRequest, pk: int) -> HttpResponse:
    tracing = get_request_for(request.user, pk, write=True)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.close_request(tracing, reason=form.cleaned_data["reason"], by=request.user)
        except CaseError as error:
            refuse_at(request, "close", error.message)
        else:
            messages.success(
                request, _("%(reference)s is closed.") % {"reference": tracing.reference}
            )
    else:
        refuse_at(request, "close", _("Say why the request is closed."))
    return redirect(reverse("tracing:detail", kwargs={"pk": tracing.pk}) + "#close")
