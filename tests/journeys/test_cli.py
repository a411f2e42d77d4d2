"""`sauti journeys check` and `sauti journeys simulate`: output, exit codes, a scripted chat."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sauti.cli import main
from sauti.journeys.simulate_cli import check_files, parse_contact, render_message, simulate_file

# No database: run once, on the SQLite pass.
pytestmark = pytest.mark.pure

SAMPLE = Path(__file__).resolve().parents[2] / "src/sauti/journeys/samples/sequential_lessons.md"
LONG_BUTTON = """card Start, then: Start do
  buttons(Yes: "Yes, I would like that very much", No: "No") do
    text("Continue?")
  end
end

card Yes do
  text("Great")
end

card No do
  text("OK")
end
"""
BROKEN = """card A do
  text("hi")
end

card B, then: Nowhere do
  text("bye")
end
"""
CALLS = """card A do
  page = get("@contact.api/page")
  text("Status @page.status: @page.body.title")
end
"""


@pytest.fixture
def files(tmp_path):
    def write(name: str, text: str) -> str:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return str(path)
    return write


def chat(path: str, typed: str, **kw) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = simulate_file(path, stdin=io.StringIO(typed), out=out, err=err, **kw)
    return code, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------------------ check
def test_check_reports_errors_with_file_line_and_column_and_exits_1(files, capsys):
    path = files("broken.md", BROKEN)
    assert main(["journeys", "check", path]) == 1
    captured = capsys.readouterr()
    (line,) = captured.out.splitlines()
    assert line.startswith(f"{path}:5:") and "Nowhere" in line
    assert line.split(":")[2].isdigit()  # file:line:col: message
    assert "warning" not in line
    assert captured.err.strip() == "1 file checked: 1 error, 0 warnings (1 failed)"


def test_check_marks_warnings_and_passes(files, capsys):
    path = files("long.md", LONG_BUTTON)
    assert main(["journeys", "check", path]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        f'{path}:2:11: warning: button label "Yes, I would like that very much" is 32 characters; '
        "WhatsApp allows 20"]
    assert captured.err.strip() == "1 file checked: 0 errors, 1 warning"


def test_check_of_several_files_fails_when_one_has_errors(files):
    out, err = io.StringIO(), io.StringIO()
    broken, fine = files("broken.md", BROKEN), files("long.md", LONG_BUTTON)
    assert check_files([str(SAMPLE), broken, fine], out, err) == 1
    reported = {line.split(":")[0] for line in out.getvalue().splitlines()}
    assert reported == {broken, fine}
    assert err.getvalue().strip() == "3 files checked: 1 error, 1 warning (1 failed)"


def test_check_of_a_clean_file_says_so(capsys):
    assert main(["journeys", "check", str(SAMPLE)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.strip() == "1 file checked: no problems"


def test_check_of_a_missing_file_fails(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    missing = str(tmp_path / "nope.md")
    assert check_files([missing], out, err) == 1
    assert out.getvalue().startswith(f"{missing}: cannot read:")


def test_check_runs_without_django_or_a_database(files):
    """The command works where no database exists (an editor, CI): Django is never set up."""
    path = files("broken.md", BROKEN)
    script = ("import sys; from sauti.cli import main; code = main(['journeys', 'check', sys.argv[1]]); "
              "assert 'django.db' not in sys.modules, 'django was imported'; sys.exit(code)")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # would fail if anything connected
    result = subprocess.run([sys.executable, "-c", script, path], capture_output=True, text=True, env=env,
                            timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{path}:5:")


# ------------------------------------------------------------------------------ simulate
def test_a_scripted_lesson_from_start_to_end():
    code, out, _ = chat(str(SAMPLE), "1\n2\n1\n1\n", contact={"name": "Ana"})
    assert code == 0
    assert "journey: *Lesson 1: Washing hands* 🧼" in out
    assert "[1] Next" in out and "[2] Back" in out
    assert out.count("*Lesson 1: Washing hands*") == 2       # Back went back to the intro
    assert "  · contact updated: lesson_1_complete = Next" in out
    assert "  · result: lesson_completed = 1" in out
    assert "journey: Well done! You've completed lesson 1." in out
    assert out.rstrip().endswith("· session ended (completed)")


def test_contact_fields_pick_the_lesson_and_text_replies_work():
    code, out, _ = chat(str(SAMPLE), "next\nNext\n", contact=parse_contact(["lesson_1_complete=Next"]))
    assert code == 0
    assert "Lesson 2: Safe drinking water" in out and "You've completed lesson 2" in out


def test_typed_input_is_echoed_in_a_piped_transcript():
    _, out, _ = chat(str(SAMPLE), "1\n/quit\n")
    assert "you> 1\n" in out


def test_quit_and_end_of_input_leave_the_session_waiting():
    code, out, _ = chat(str(SAMPLE), "/quit\n1\n")
    assert code == 0 and "stopped: the session is left waiting" in out
    assert "Wet your hands" not in out
    code, out, _ = chat(str(SAMPLE), "")
    assert code == 0 and "end of input" in out


def test_a_number_without_options_is_text(files):
    path = files("ask.md", 'card A, then: B do\n  n = ask("How many?")\nend\n\ncard B do\n  text("Got @n")\nend\n')
    code, out, _ = chat(path, "7\n")
    assert code == 0 and "journey: Got 7" in out


def test_a_journey_that_does_not_compile_is_not_simulated(files):
    code, out, err = chat(files("broken.md", BROKEN), "")
    assert code == 1 and out == ""
    assert ":5:" in err and "does not compile" in err


def test_http_calls_are_not_made_unless_asked(files):
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            requests.append(self.path)
            body = json.dumps({"title": "Welcome"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        path = files("calls.md", CALLS)
        api = f"http://127.0.0.1:{server.server_address[1]}"
        code, out, _ = chat(path, "", contact={"api": api})
        assert code == 0 and requests == []
        assert f"  · HTTP GET {api}/page → 599 not available in the simulator" in out
        assert "journey: Status 599:" in out
        code, out, _ = chat(path, "", contact={"api": api}, http=True)
        assert code == 0 and requests == ["/page"]
        assert "journey: Status 200: Welcome" in out
    finally:
        server.shutdown()
        server.server_close()


def test_simulate_through_the_command(files, capsys, monkeypatch):
    path = files("now.md", 'card A do\n  text("Hi @contact.name, it is @now()")\nend\n')
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["journeys", "simulate", path, "--contact", "name=Ana", "--now", "2025-08-15T09:00:00Z"]) == 0
    assert "journey: Hi Ana, it is 2025-08-15T09:00:00Z" in capsys.readouterr().out
    assert main(["journeys", "simulate", path, "--contact", "oops"]) == 2


def test_templates_lists_and_locations_through_a_chat(files):
    path = files("tour.md", """card Start, then: Menu do
  send_message_template("welcome", "en", ["@contact.name"], buttons: [Menu, Later])
end

card Later do
  text("See you")
end

card Menu do
  image("https://x.org/a.png")
  list("Months", [Jan, Feb]) do
    text("Pick a month")
  end
end

card Jan do
  loc = request_location("Where are you?")
  text("You are at @loc.latitude")
end

card Feb, "February" do
  text("Feb")
end
""")
    code, out, _ = chat(path, "1\n1\n/location -1.5,36.8\n", contact={"name": "Ana"})
    assert code == 0
    assert "journey: [template] welcome (en)\n         {{1}} = Ana\n         [1] menu\n         [2] later" in out
    assert "journey: [image] https://x.org/a.png" in out
    assert "[1] Jan\n         [2] February" in out
    assert "[asks for your location]" in out and "journey: You are at -1.5" in out


# ------------------------------------------------------------------------------ rendering
@pytest.mark.parametrize(("message", "lines"), [
    ({"type": "text", "text": {"body": "a\nb"}}, ["a", "b"]),
    ({"type": "document", "document": {"link": "https://x.org/f.pdf", "filename": "f.pdf", "caption": "Read"}},
     ["[document] https://x.org/f.pdf (f.pdf)", "Read"]),
    ({"type": "audio", "audio": {"id": "123"}}, ["[audio] media id 123"]),
    ({"type": "interactive", "interactive": {
        "type": "button", "header": {"type": "text", "text": "Quiz"}, "body": {"text": "Ready?"},
        "footer": {"text": "Reply below"},
        "action": {"buttons": [{"type": "reply", "reply": {"id": "Yes", "title": "Yes"}},
                               {"type": "reply", "reply": {"id": "No", "title": "No"}}]}}},
     ["Quiz", "Ready?", "(Reply below)", "[1] Yes", "[2] No"]),
    ({"type": "interactive", "interactive": {
        "type": "list", "body": {"text": "Pick"}, "action": {"button": "Menu", "sections": [
            {"title": "Food", "rows": [{"id": "1", "title": "Rice", "description": "white"}]},
            {"rows": [{"id": "2", "title": "Tea"}]}]}}},
     ["Pick", "(Menu)", "Food:", "[1] Rice — white", "[2] Tea"]),
    ({"type": "interactive", "interactive": {"type": "cta_url", "body": {"text": "Tap"}, "action": {
        "name": "cta_url", "parameters": {"display_text": "Open", "url": "https://x.org"}}}},
     ["Tap", "[link] Open → https://x.org"]),
    ({"type": "location", "location": {"latitude": 1.5, "longitude": 2.5, "name": "Clinic"}},
     ["[location] 1.5,2.5 Clinic"]),
])
def test_messages_render_readably(message, lines):
    assert render_message(message) == lines
