"""Training on screen: the plans of one's part (or one's own), the course catalogue with
each course's effect, and assigning a course from a person's card."""

from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from manyi.errors import DomainError
from manyi.org.permissions import may_assign_training, may_see_training, may_set_courses, requires
from manyi.org.selectors import staff_list
from manyi.people.forms.training import AssignForm, AttendedForm, CourseForm, TrainingFilter
from manyi.people.models import Course
from manyi.people.selectors.training import (
    course_list,
    reason_words,
    training_list,
    training_proposals,
)
from manyi.people.services import training as services
from manyi.people.training_effect import course_effect
from manyi.web.forms import form_errors, paginate


@requires(may_see_training)
def training_board(request: HttpRequest) -> HttpResponse:
    given = TrainingFilter(request.GET)
    if not given.is_valid():
        return HttpResponse(form_errors(given), status=400)
    status = given.cleaned_data["status"] or "open"
    found = training_list(request.user, status=status, staff=given.cleaned_data["staff"])
    page = paginate(request, found)
    words = reason_words({assignment.reason for assignment in page if assignment.reason})
    for assignment in page:
        assignment.reason_words = words.get(assignment.reason, "")
    return render(request, "people/training.html", {
        "page": page, "status": status,
        "may_assign": may_assign_training(request.user), "today": timezone.localdate(),
        "attended_form": AttendedForm(initial={"on": timezone.localdate()}),
    })  # fmt: skip


def _addresses(courses: list[Course]) -> None:
    """Each course's items and standards in words, as ``course.addresses``."""
    keys = {f"item:{item}" for course in courses for item in course.items}
    keys |= {f"standard:{s.code}" for course in courses for s in course.standards.all()}
    words = reason_words(keys)
    for course in courses:
        course.addresses = [words[f"item:{item}"] for item in course.items] + [
            words[f"standard:{s.code}"] for s in course.standards.all()
        ]


@requires(may_see_training)
def courses(request: HttpRequest) -> HttpResponse:
    found = list(course_list())
    _addresses(found)
    return render(request, "people/courses.html", {
        "courses": found, "may_set": may_set_courses(request.user),
    })  # fmt: skip


@requires(may_see_training)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    _addresses([course])
    return render(request, "people/course.html", {
        "course": course,
        # Trainees' figures are people's: the effect is HQ's to read.
        "effect": course_effect(course) if may_set_courses(request.user) else None,
        "may_see_effect": may_set_courses(request.user),
        "trainees": course.assignments.exclude(status="cancelled").count(),
        "may_set": may_set_courses(request.user),
    })  # fmt: skip


@requires(may_set_courses)
def course_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk) if pk is not None else None
    form = CourseForm(request.POST or None, course=course)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            course = services.course_save(actor=request.user, course=course, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Course saved."))
            return redirect("people:course", course.pk)
    return render(request, "people/course_form.html", {"form": form, "course": course})


@requires(may_assign_training)
def assign(request: HttpRequest, staff_pk: int) -> HttpResponse:
    """A person's proposed courses with their reasons, and the form to assign one."""
    person = staff_list(request.user).filter(pk=staff_pk).first()
    if person is None:
        raise Http404
    due = timezone.localdate() + timedelta(days=30)
    form = AssignForm(request.POST or None, initial={"due_on": due})
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise DomainError(form_errors(form))
            services.training_assign(actor=request.user, staff=person, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Training assigned."))
            return redirect(f"{reverse('people:training')}?staff={person.pk}")
    return render(request, "people/assign.html", {
        "person": person, "form": form, "proposals": training_proposals(person),
        "plan": training_list(request.user, status="open", staff=person.pk),
    })  # fmt: skip


def _assignment(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    found = training_list(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@require_POST
@requires(may_assign_training)
def attended(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = AttendedForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(form_errors(form))
        services.training_attended(actor=request.user, assignment=assignment,
                                   on=form.cleaned_data["on"])  # fmt: skip
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(reverse("people:training"))


@require_POST
@requires(may_assign_training)
def sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.training_sign_off(actor=request.user, assignment=_assignment(request, pk))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(reverse("people:training"))


@require_POST
@requires(may_assign_training)
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.training_cancel(actor=request.user, assignment=_assignment(request, pk))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(reverse("people:training"))
