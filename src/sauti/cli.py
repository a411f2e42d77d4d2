"""The one `sauti` command: serve, web, worker, scheduler, migrate, createadmin, workspace, token,
member, journeys, fake-whatsapp. Scripts and checks rely on these names and flags; change them only with care."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sauti.settings")
    import django

    django.setup()


def _migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def _uvicorn(host: str, port: int, workers: int = 1) -> None:
    import uvicorn

    # Keep idle connections open longer than clients keep them (httpx: 5 s, load balancers: ~60 s):
    # a server closing first races with a client reusing the connection, and that request is lost.
    uvicorn.run("sauti.asgi:application", host=host, port=port, workers=workers, log_level="info",
                access_log=False, lifespan="off", timeout_keep_alive=75)


def cmd_serve(args: argparse.Namespace) -> int:
    """Everything in one process: web, worker threads, sender and scheduler."""
    os.environ["SAUTI_EMBEDDED"] = "1"
    _django()
    _migrate()
    if args.demo:
        from sauti.web.demo import create_demo_workspace

        workspace = create_demo_workspace(None)
        print(f"Demo workspace ready: {workspace.name}. Open the address below, create your account and "
              "choose the demo to chat with the sample journey.", flush=True)
    from sauti.processes import Background

    background = Background(task_threads=1, sender=True, scheduler=True, poll_interval=0.25)
    background.start()
    print(f"Sauti is running at http://{args.host}:{args.port}/  (data in {os.environ.get('SAUTI_HOME', 'var')})",
          flush=True)
    try:
        _uvicorn(args.host, args.port)
    finally:
        background.stop()
        background.join(5)
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    _django()
    _uvicorn(args.host, args.port, args.workers)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    _django()
    from sauti.processes import Background

    background = Background(task_threads=args.threads, sender=not args.no_sender, scheduler=False)
    background.start()
    background.wait_for_signal()
    return 0


def cmd_scheduler(args: argparse.Namespace) -> int:
    _django()
    from sauti.processes import Background

    background = Background(task_threads=0, sender=False, scheduler=True)
    background.start()
    background.wait_for_signal()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    _django()
    _migrate(verbosity=1)
    return 0


def cmd_createadmin(args: argparse.Namespace) -> int:
    _django()
    from sauti.accounts.services import create_admin

    user = create_admin(args.email, args.password)
    print(json.dumps({"id": str(user.uuid), "email": user.email}))
    return 0


def cmd_workspace_create(args: argparse.Namespace) -> int:
    _django()
    from sauti.accounts.services import create_workspace

    workspace = create_workspace(
        name=args.name, phone_number_id=args.phone_number_id, waba_id=args.waba_id, access_token=args.access_token,
        app_secret=args.app_secret, verify_token=args.verify_token, graph_url=args.graph_url,
        timezone=args.timezone, send_rate=args.send_rate,
    )
    print(json.dumps({"id": str(workspace.uuid), "name": workspace.name, "phone_number_id": workspace.phone_number_id,
                      "waba_id": workspace.waba_id, "graph_url": workspace.graph_base_url,
                      "timezone": workspace.timezone, "send_rate": workspace.send_rate}))
    return 0


def cmd_token_create(args: argparse.Namespace) -> int:
    _django()
    from sauti.accounts.models import Workspace
    from sauti.api.services import create_token

    workspace = Workspace.objects.filter(uuid=args.workspace).first() if _is_uuid(args.workspace) else None
    if workspace is None:
        print(json.dumps({"error": f"no workspace {args.workspace}"}), file=sys.stderr)
        return 1
    row, token = create_token(workspace, name=args.name)
    print(json.dumps({"token": token, "id": str(row.uuid), "name": row.name, "workspace": str(workspace.uuid)}))
    return 0


def cmd_member_add(args: argparse.Namespace) -> int:
    _django()
    from sauti.accounts.models import Role, Workspace
    from sauti.accounts.services import add_member

    workspace = Workspace.objects.filter(uuid=args.workspace).first() if _is_uuid(args.workspace) else None
    if workspace is None:
        print(json.dumps({"error": f"no workspace {args.workspace}"}), file=sys.stderr)
        return 1
    if args.role not in Role.values:
        print(json.dumps({"error": f"role is one of {', '.join(Role.values)}"}), file=sys.stderr)
        return 2
    membership = add_member(workspace, email=args.email, role=args.role, password=args.password, name=args.name)
    print(json.dumps({"id": str(membership.user.uuid), "email": membership.user.email, "role": membership.role,
                      "workspace": str(workspace.uuid)}))
    return 0


def cmd_journeys_check(args: argparse.Namespace) -> int:
    """Compile journey files without a database (no Django setup), as an editor or CI would."""
    from sauti.journeys.simulate_cli import check_files

    return check_files(args.files, sys.stdout, sys.stderr)


def cmd_journeys_simulate(args: argparse.Namespace) -> int:
    from sauti.journeys.simulate_cli import parse_contact, parse_now, simulate_file

    try:
        contact = parse_contact(args.contact)
        now = parse_now(args.now)
    except ValueError as exc:
        print(f"sauti journeys simulate: {exc}", file=sys.stderr)
        return 2
    return simulate_file(args.file, contact=contact, now=now, http=args.http, message=args.message,
                         stdin=sys.stdin, out=sys.stdout, err=sys.stderr)


def cmd_insights_backfill(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command

    options = {k: v for k, v in (("workspace", args.workspace), ("since", args.since), ("until", args.until),
                                 ("days", args.days)) if v}
    call_command("insights_backfill", **options)
    return 0


def cmd_fake_whatsapp(argv: Sequence[str]) -> int:
    from sauti.messaging.channels.fake_cloud_api.server import add_arguments, config_from_args, serve

    parser = argparse.ArgumentParser(prog="sauti fake-whatsapp", description=FAKE_HELP)
    add_arguments(parser)
    serve(config_from_args(parser.parse_args(argv)))
    return 0


FAKE_HELP = ("Run a fake WhatsApp Cloud API server for tests and demos "
             "(--port P --webhook-url URL --app-secret S; --help for all options).")


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _graph_url_default() -> str:
    return os.environ.get("SAUTI_GRAPH_URL", "https://graph.facebook.com/v23.0")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sauti", description="Sauti: chat for impact on WhatsApp.")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    p = command("serve", cmd_serve, "Run everything in one process (web, worker, scheduler) on SQLite by default.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--demo", action="store_true",
                   help="create a demo workspace with the sample journey, chattable in the browser")
    p = command("web", cmd_web, "Run the web server (ASGI) only, for scale-out.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--workers", type=int, default=1, help="web processes")
    p = command("worker", cmd_worker, "Run background tasks and the outbound sender, for scale-out.")
    p.add_argument("--threads", type=int, default=2, help="task threads in this process")
    p.add_argument("--no-sender", action="store_true", help="do not run the outbound sender here")
    command("scheduler", cmd_scheduler, "Run the scheduler (timers, sweeps); one leads at a time.")
    command("migrate", cmd_migrate, "Apply database migrations.")
    p = command("createadmin", cmd_createadmin, "Create a site administrator (non-interactive).")
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)

    p = sub.add_parser("workspace", help="Manage workspaces.")
    wsub = p.add_subparsers(dest="action", required=True)
    p = wsub.add_parser("create", help="Create a workspace for one WhatsApp number; prints it as JSON.")
    p.set_defaults(func=cmd_workspace_create)
    p.add_argument("--name", required=True)
    p.add_argument("--phone-number-id", required=True)
    p.add_argument("--waba-id", required=True)
    p.add_argument("--access-token", required=True)
    p.add_argument("--app-secret", required=True)
    p.add_argument("--verify-token", required=True)
    p.add_argument("--graph-url", default=_graph_url_default())
    p.add_argument("--timezone", default="UTC")
    p.add_argument("--send-rate", type=int, default=80, help="messages per second (default 80)")

    p = sub.add_parser("token", help="Manage API tokens.")
    tsub = p.add_subparsers(dest="action", required=True)
    p = tsub.add_parser("create", help="Create an API token; prints {\"token\": ...} once.")
    p.set_defaults(func=cmd_token_create)
    p.add_argument("--workspace", required=True, help="workspace id (uuid)")
    p.add_argument("--name", default="API token")

    p = sub.add_parser("member", help="Manage the people of a workspace.")
    msub = p.add_subparsers(dest="action", required=True)
    p = msub.add_parser("add", help="Give someone a role in a workspace (creating their account); prints JSON.")
    p.set_defaults(func=cmd_member_add)
    p.add_argument("--workspace", required=True, help="workspace id (uuid)")
    p.add_argument("--email", required=True)
    p.add_argument("--role", required=True, help="owner, admin, editor, operator or viewer")
    p.add_argument("--password", default=None, help="without one they set it by password reset")
    p.add_argument("--name", default="")

    p = sub.add_parser("journeys", help="Check and try journey files (no database needed).")
    jsub = p.add_subparsers(dest="action", required=True)
    p = jsub.add_parser("check", help="Compile journey files; print file:line:col: message for every error and "
                                      "warning; exit 1 if any file has errors.")
    p.set_defaults(func=cmd_journeys_check)
    p.add_argument("files", nargs="+", metavar="FILE", help="journey notebooks (.md) or plain DSL files")
    p = jsub.add_parser("simulate", help="Chat with a journey in the terminal: a number picks an option, "
                                         "/quit stops.")
    p.set_defaults(func=cmd_journeys_simulate)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--contact", action="append", default=[], metavar="FIELD=VALUE",
                   help="a contact field the journey sees as @contact.FIELD (repeatable)")
    p.add_argument("--now", metavar="ISO", help="freeze the clock at this time (default: the real clock)")
    p.add_argument("--message", metavar="TEXT", help="the message that starts the journey (event.message)")
    p.add_argument("--http", action="store_true",
                   help="make the journey's HTTP calls for real (5 s timeout); otherwise they answer 599")

    p = sub.add_parser("insights", help="Insights rollups.")
    isub = p.add_subparsers(dest="action", required=True)
    p = isub.add_parser("backfill", help="Recompute Insights figures from the stored messages, people, journeys "
                                         "and chats.")
    p.set_defaults(func=cmd_insights_backfill)
    p.add_argument("--workspace", help="workspace id (uuid); default: every workspace")
    p.add_argument("--since", help="first day, YYYY-MM-DD")
    p.add_argument("--until", help="last day, YYYY-MM-DD")
    p.add_argument("--days", type=int, help="only the last N days")

    # Listed for --help; its options live with the fake server itself and are parsed there (see main).
    sub.add_parser("fake-whatsapp", help=FAKE_HELP, add_help=False)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["fake-whatsapp"]:
        return cmd_fake_whatsapp(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
