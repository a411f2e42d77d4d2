"""Journeys pages: the list, new and import, the editor (code, graph, simulator, problems),
versions, export. Thin: read with journeys.queries, write with journeys.services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sauti.journeys import queries
from sauti.journeys.forms import (
    ImportJourneyForm,
    NewJourneyForm,
    SimulatorContactForm,
    SimulatorMessageForm,
    SourceForm,
)
from sauti.journeys.graph import layout
from sauti.journeys.models import Journey
from sauti.journeys.services import (
    JourneyInvalid,
    create_journey,
    publish_journey,
    roll_back_journey,
    stage_journey,
    update_journey,
)
from sauti.journeys.simulator import Simulation, Simulator, bubble
from sauti.web.demo import sample_source
from sauti.web.workspaces import Access, workspace_page

BLANK_JOURNEY = '''# {name}

What is this journey for? Write notes like this anywhere between the code
cells: free Markdown is kept as it is.

```stack
trigger(on: "MESSAGE RECEIVED") when has_only_phrase(event.message.text.body, "hi")
```

```stack
card Start do
  text("Hello @contact.name! 👋 This is the start of a new journey.")
end
```
'''
EDITOR_TABS = ("graph", "simulator", "problems")


def _url(name: str, journey: Journey, **kwargs: Any) -> str:
    return reverse(f"journeys:{name}", kwargs={"workspace": journey.workspace.uuid, "journey": journey.uuid, **kwargs})


# ---------------------------------------------------------------------------- list, new, import


@workspace_page
@require_GET
def journey_list(request: HttpRequest, access: Access) -> HttpResponse:
    rows = [_row(j) for j in queries.list_journeys(access.workspace)]
    return render(request, "journeys/list.html", {"access": access, "rows": rows, "active_nav": "journeys"})


def _row(journey: Journey) -> dict:
    return {"journey": journey, "status": queries.status_of(journey),
            "triggers": queries.describe_triggers(queries.running_program(journey))}


@workspace_page(edit=True)
@require_POST
def journey_toggle(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    item = update_journey(item, enabled=not item.enabled, actor=request.user)
    if request.headers.get("HX-Request"):
        return render(request, "journeys/partials/_row.html", {"access": access, "row": _row(item)})
    return redirect("journeys:list", workspace=access.workspace.uuid)


@workspace_page(edit=True)
def journey_new(request: HttpRequest, access: Access) -> HttpResponse:
    form = NewJourneyForm(request.POST or None)
    import_form = ImportJourneyForm()
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"].strip()
        source = sample_source() if form.cleaned_data["start"] == "sample" else BLANK_JOURNEY.format(name=name)
        journey = create_journey(access.workspace, name=name, source=source, actor=request.user, publish=False)
        return redirect(_url("edit", journey))
    return render(request, "journeys/new.html", {"access": access, "form": form, "import_form": import_form,
                                                 "active_nav": "journeys"})


@workspace_page(edit=True)
@require_POST
def journey_import(request: HttpRequest, access: Access) -> HttpResponse:
    form = ImportJourneyForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "journeys/new.html", {"access": access, "form": NewJourneyForm(), "import_form": form,
                                                     "active_nav": "journeys"}, status=400)
    journey = create_journey(access.workspace, name=form.journey_name(), source=form.cleaned_data["notebook"],
                             actor=request.user, publish=False)
    problems = queries.problems_of(journey.draft_source)
    if problems.errors:
        messages.warning(request, _("Imported as a draft. It has problems to fix before it can be published: "
                                    "see the Problems tab."))
    else:
        messages.success(request, _("Imported as a draft. Try it in the simulator, then publish it."))
    return redirect(f"{_url('edit', journey)}?tab={'problems' if problems.errors else 'graph'}")


@workspace_page
@require_GET
def journey_export(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    response = HttpResponse(item.draft_source, content_type="text/markdown; charset=utf-8")
    filename = (slugify(item.name) or "journey") + ".md"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------- the editor


@workspace_page
@require_GET
def journey_edit(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    tab = request.GET.get("tab")
    context = {**_editor_context(request, access, item), "tab": tab if tab in EDITOR_TABS else "",
               "active_nav": "journeys"}
    return render(request, "journeys/edit.html", context)


def _editor_context(request: HttpRequest, access: Access, journey: Journey) -> dict:
    problems = queries.problems_of(journey.draft_source)
    program = queries.draft_program(journey) if problems.publishable else None
    return {
        "access": access, "journey": journey, "status": queries.status_of(journey), "problems": problems,
        "graph": layout(program) if program is not None else None,
        "sim": _simulator_context(request, access, journey, program),
    }


@workspace_page(edit=True)
@require_POST
def journey_save(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    """Save the draft, whatever state it is in: work is never lost. Answers the editor's panes."""
    item = queries.access_journey(access.workspace, journey)
    form = SourceForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("The journey is too large to save."), status=400)
    item = update_journey(item, source=form.cleaned_data["source"], actor=request.user)
    context = {**_editor_context(request, access, item), "saved_at": timezone.now()}
    return render(request, "journeys/partials/_saved.html", context)


@workspace_page(edit=True)
@require_POST
def journey_publish(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    return _release(request, access, journey, publish_journey,
                    _("Published version %(n)s: new conversations use it now."))


@workspace_page(edit=True)
@require_POST
def journey_stage(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    return _release(request, access, journey, stage_journey,
                    _("Staged version %(n)s: test contacts use it; everyone else keeps the published one."))


def _release(request: HttpRequest, access: Access, journey: str, action: Any, done: str) -> HttpResponse:
    """Save what the editor holds (when sent along), then publish or stage it."""
    item = queries.access_journey(access.workspace, journey)
    form = SourceForm(request.POST)
    if "source" in request.POST and form.is_valid() and form.cleaned_data["source"] != item.draft_source:
        item = update_journey(item, source=form.cleaned_data["source"], actor=request.user)
    try:
        version = action(item, actor=request.user)
    except JourneyInvalid as exc:
        messages.error(request, _("Not published: the code has an error at line %(line)s: %(message)s")
                       % {"line": exc.error.line, "message": exc.error.message})
        return redirect(f"{_url('edit', item)}?tab=problems")
    messages.success(request, done % {"n": version.number})
    return redirect(_url("edit", item))


@workspace_page
@require_GET
def journey_versions(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    versions = list(item.versions.select_related("created_by").order_by("-number"))
    return render(request, "journeys/versions.html", {"access": access, "journey": item, "versions": versions,
                                                      "status": queries.status_of(item), "active_nav": "journeys"})


@workspace_page(edit=True)
@require_POST
def journey_roll_back(request: HttpRequest, access: Access, journey: str, version: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    chosen = queries.access_version(item, version)
    roll_back_journey(item, chosen, actor=request.user)
    messages.success(request, _("Version %(n)s is published again, and is the draft in the editor too.")
                     % {"n": chosen.number})
    return redirect("journeys:versions", workspace=access.workspace.uuid, journey=item.uuid)


# ---------------------------------------------------------------------------- the simulator


def _session_key(journey: Journey) -> str:
    return f"simulator:{journey.uuid}"


def _simulation(request: HttpRequest, journey: Journey) -> Simulation:
    return Simulation.from_dict(request.session.get(_session_key(journey)))


def _simulator_context(request: HttpRequest, access: Access, journey: Journey, program: Any) -> dict:
    sim = _simulation(request, journey)
    active = sim.last_interactive
    entries = []
    for index, entry in enumerate(sim.transcript):
        view = dict(entry)
        if entry["kind"] == "out":
            view["bubble"] = bubble(entry["message"])
            view["live"] = index == active
        entries.append(view)
    return {
        "sim": sim, "entries": entries, "runnable": program is not None,
        "stale": bool(sim.active and sim.source_hash and sim.source_hash != journey.draft_hash),
        "contact_text": "\n".join(f"{k}: {'' if v is None else v}" for k, v in sim.contact.items()),
        "allow_hosts": access.workspace.settings.get("journey_http_allow_hosts") or [],
    }


def _render_simulator(request: HttpRequest, access: Access, journey: Journey, program: Any,
                      error: str = "") -> HttpResponse:
    context = {"access": access, "journey": journey,
               "sim": {**_simulator_context(request, access, journey, program), "error": error}}
    return render(request, "journeys/partials/_simulator.html", context)


@workspace_page
def journey_simulator(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    """GET: the pane. POST: the tester types or taps; the draft answers (any member may try it)."""
    item = queries.access_journey(access.workspace, journey)
    program = queries.draft_program(item)
    if request.method != "POST":
        return _render_simulator(request, access, item, program)
    form = SimulatorMessageForm(request.POST)
    if program is None:
        return _render_simulator(request, access, item, program)
    if not form.is_valid():
        return _render_simulator(request, access, item, program, error=form.non_field_errors()[0])
    sim = _simulation(request, item)
    simulator = Simulator(program, sim, now=timezone.now(), source_hash=item.draft_hash,
                          allow_hosts=access.workspace.settings.get("journey_http_allow_hosts") or [])
    data = form.cleaned_data
    if data["reply_kind"]:
        simulator.reply(data["reply_kind"], data["reply_id"], data["reply_title"] or data["reply_id"])
    else:
        simulator.send_text(data["text"])
    request.session[_session_key(item)] = sim.to_dict()
    return _render_simulator(request, access, item, program)


@workspace_page
@require_POST
def journey_simulator_restart(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    """A new chat; the contact keeps its fields unless `reset_contact` asks for the defaults."""
    item = queries.access_journey(access.workspace, journey)
    old = _simulation(request, item)
    fresh = Simulation() if request.POST.get("reset_contact") else Simulation(contact=old.contact)
    request.session[_session_key(item)] = fresh.to_dict()
    return _render_simulator(request, access, item, queries.draft_program(item))


@workspace_page
@require_POST
def journey_simulator_contact(request: HttpRequest, access: Access, journey: str) -> HttpResponse:
    item = queries.access_journey(access.workspace, journey)
    program = queries.draft_program(item)
    form = SimulatorContactForm(request.POST)
    if not form.is_valid():
        return _render_simulator(request, access, item, program, error=form.errors["fields_text"][0])
    sim = _simulation(request, item)
    Simulator(program, sim, now=timezone.now()).set_contact(form.cleaned_data["fields_text"])
    request.session[_session_key(item)] = sim.to_dict()
    return _render_simulator(request, access, item, program)
