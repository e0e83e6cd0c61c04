"""``tongban``: the command line, and the only code that starts the hub.

Every command that reads the hub's state finds the store the same way: ``--data-dir DIR`` (the
embedded SQLite file inside it, as ``tongban demo`` uses it) or ``TONGBAN_DATABASE_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import uvloop
from rich.console import Console
from rich.table import Column, Table

from hub import audit_commands, connectors_commands, demo, schema_commands
from hub.apikeys import hash_api_key, new_api_key
from hub.app import GraphiQLDefaults
from hub.config import Settings
from hub.errors import ConfigError, TongbanError
from hub.roles import Role
from hub.serve import serve
from hub.store import Store, open_store
from hub.store.sqlite import sqlite_file
from policies.policy import load_policy
from schema.resident_id import validate_resident_id

console = Console(width=None if sys.stdout.isatty() else 160)
"""Piped output (a log, a CI job) keeps wide tables whole rather than rich's 80 columns."""
_KEY_WIDTH = max(len(new_api_key(role)) for role in Role)


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        asyncio.Runner(loop_factory=uvloop.new_event_loop).run(args.command(args))
    except TongbanError as error:
        console.print(f"[bold red]error[/] {error.code}: {error.message}")
        sys.exit(2)
    except KeyboardInterrupt:
        pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tongban", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: Any, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(command=run)
        return sub

    def store_options(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--data-dir", type=Path, help="hub state directory (embedded SQLite)")

    def schema_source(sub: argparse.ArgumentParser) -> None:
        store_options(sub)
        sub.add_argument(
            "--builtin",
            action="store_true",
            help="compose from the built-in manifests (what the demo serves), not the store",
        )

    sub = command("demo", _demo, "hub + four mock departments on embedded SQLite, with GraphiQL")
    store_options(sub)
    sub.add_argument("--port", type=int, default=8000, help="hub port (default 8000)")
    sub.add_argument("--mock-base-port", type=int, default=8101, help="first mock port")
    sub.add_argument("--population", type=int, default=100_000, help="mock citizens")

    sub = command("serve", _serve, "serve the hub (store from --data-dir or the environment)")
    store_options(sub)
    sub.add_argument("--host", help="bind address (TONGBAN_HOST, default 127.0.0.1)")
    sub.add_argument("--port", type=int, help="port (TONGBAN_PORT, default 8000)")

    sub = command("mocks", _mocks, "run the four mock departments (python -m mocks --help)")
    sub.add_argument("mock_args", nargs=argparse.REMAINDER, help="passed to python -m mocks")

    clients = command("clients", None, "manage API clients").add_subparsers(
        required=True, metavar="ACTION"
    )
    sub = clients.add_parser("add", help="create a client and print its key (shown once)")
    sub.set_defaults(command=_clients_add)
    sub.add_argument("name")
    sub.add_argument("--role", required=True, choices=[role.value for role in Role])
    sub.add_argument("--subject", help="a citizen client's resident ID (role citizen only)")
    sub.add_argument("--department", help="a department client's code (role department only)")
    store_options(sub)
    sub = clients.add_parser("list", help="list clients")
    sub.set_defaults(command=_clients_list)
    store_options(sub)
    sub = clients.add_parser("revoke", help="revoke a client's key for good")
    sub.set_defaults(command=_clients_revoke)
    sub.add_argument("client_id")
    store_options(sub)

    connectors = command("connectors", None, "department connectors").add_subparsers(
        required=True, metavar="ACTION"
    )
    sub = connectors.add_parser("register", help="register or update a connector from its manifest")
    sub.set_defaults(command=_connectors_register)
    sub.add_argument("file", type=Path, help="the manifest, YAML or JSON")
    sub.add_argument("--approve", action="store_true", help="approve it at once")
    store_options(sub)
    for action, run, help_text in (
        ("approve", _connectors_approve, "admit a registered connector into the schema"),
        ("disable", _connectors_disable, "take a connector out of the schema"),
    ):
        sub = connectors.add_parser(action, help=help_text)
        sub.set_defaults(command=run)
        sub.add_argument("department")
        store_options(sub)
    sub = connectors.add_parser("list", help="list connectors and their status")
    sub.set_defaults(command=_connectors_list)
    store_options(sub)

    schema = command("schema", None, "the composed GraphQL schema").add_subparsers(
        required=True, metavar="ACTION"
    )
    sub = schema.add_parser("export", help="print the SDL the hub serves")
    sub.set_defaults(command=_schema_export)
    schema_source(sub)
    sub = schema.add_parser("check", help="fail if an SDL file breaks from, or lags, the hub's")
    sub.set_defaults(command=_schema_check)
    sub.add_argument("file", type=Path, help="the published SDL, e.g. schema/schema.graphql")
    schema_source(sub)

    keys = command("keys", None, "the hub's signing key").add_subparsers(
        required=True, metavar="ACTION"
    )
    sub = keys.add_parser("show", help="print the audit log's verifier key (C2SP note key)")
    sub.set_defaults(command=_keys_show)
    store_options(sub)

    audit = command("audit", None, "export the audit log, verify an export").add_subparsers(
        required=True, metavar="ACTION"
    )
    sub = audit.add_parser("export", help="write the log up to its latest checkpoint to a file")
    sub.set_defaults(command=_audit_export)
    sub.add_argument("--output", type=Path, required=True, help="the export file to write")
    store_options(sub)
    sub = audit.add_parser("verify", help="check an export offline with the verifier key alone")
    sub.set_defaults(command=_audit_verify)
    sub.add_argument("file", type=Path, help="an export written by tongban audit export")
    sub.add_argument("--key", required=True, help="verifier key, as `tongban keys show` prints")
    sub.add_argument(
        "--checkpoint",
        type=Path,
        metavar="FILE",
        help="a file holding a signed checkpoint kept from before: it must still hold",
    )
    return parser


@contextlib.asynccontextmanager
async def _opened_store(settings: Settings) -> AsyncIterator[Store]:
    """The store, closed however the command ends (an open SQLite store's worker thread would
    otherwise keep the process alive after an error)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = await open_store(settings.database_url)
    try:
        yield store
    finally:
        await store.close()


def _with_store(
    args: argparse.Namespace, *, create: bool = False
) -> contextlib.AbstractAsyncContextManager[Store]:
    """The store the command names. Only commands that set a store up (``create``) may start an
    embedded one: any other, pointed at a data dir that holds none, would answer for an empty
    store it had just made rather than for the hub's."""
    settings = Settings.from_env(data_dir=args.data_dir)
    url = settings.database_url
    if not create and url.startswith("sqlite:") and not Path(sqlite_file(url)).exists():
        raise ConfigError(
            f"no store in {settings.data_dir}/: name the hub's with --data-dir DIR (the demo's is"
            " .demo) or TONGBAN_DATABASE_URL"
        )
    return _opened_store(settings)


async def _serve(args: argparse.Namespace) -> None:
    settings = Settings.from_env(data_dir=args.data_dir, host=args.host, port=args.port)
    async with _opened_store(settings) as store:
        await serve(settings, store, graphiql=None)


async def _mocks(args: argparse.Namespace) -> None:
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "mocks", *args.mock_args)
    await process.wait()


async def _demo(args: argparse.Namespace) -> None:
    data_dir: Path = args.data_dir or Path(".demo")
    settings = Settings.from_env({}, data_dir=data_dir, port=args.port, graphiql=True)
    urls = {
        name: f"http://127.0.0.1:{args.mock_base_port + offset}"
        for offset, name in enumerate(demo.DEPARTMENTS)
    }
    console.print(f"Starting four mock departments ({args.population:,} citizens)…")
    mocks = demo.start_mocks("127.0.0.1", args.mock_base_port, args.population)
    try:
        await demo.wait_for_mocks(urls, mocks)
        async with _opened_store(settings) as store:
            await _run_demo(settings, store, urls)
    finally:
        mocks.terminate()
        mocks.wait(timeout=10)


async def _run_demo(settings: Settings, store: Store, urls: dict[str, str]) -> None:
    """Set the store up as the demo needs it, tell the user how to use it, and serve."""
    await demo.register_mock_connectors(store, urls)
    samples = await demo.fetch_samples(urls["police"])
    citizen = samples["chronic_condition"]
    keys = await demo.issue_demo_keys(store, citizen=citizen)
    portal = await demo.demo_client_id(store, Role.PORTAL)
    await demo.grant_demo_consents(store, portal, samples)
    purposes = load_policy().purposes
    hub_url = f"http://{settings.host}:{settings.port}/graphql"
    facts = demo.DemoFacts(
        hub_url=hub_url,
        graphiql_url=hub_url,
        api_keys=keys,
        purposes={r.value: [p.code for p in purposes.for_role(r)] for r in Role},
        samples=samples,
        departments=urls,
        citizen_subject=citizen,
    )
    facts.write(settings.data_dir / "demo.json")
    _print_facts(facts, settings.data_dir / "demo.json")
    await serve(settings, store, _graphiql_defaults(facts))


def _graphiql_defaults(facts: demo.DemoFacts) -> GraphiQLDefaults:
    subject = facts.samples.get("chronic_condition", "")
    query = (
        "# A portal's view of one citizen, for a declared purpose.\n"
        f'query {{\n  citizen(id: "{subject}", purpose: "CITIZEN_PROFILE") {{\n'
        "    id\n    identity { name gender birthDate registeredAddress provenance { department"
        " signatureVerified keyId } }\n    household { householdId size members { name"
        " relationToHead } }\n    employment { employed employer monthlyWage }\n"
        "    socialInsurance { pensionInsured medicalInsured }\n"
        "    property { propertyCount totalAreaSqm }\n"
        "    medicalInsurance { scheme }\n    health { chronicConditions outOfPocketLastYear }\n"
        "  }\n}\n"
    )
    headers = f'{{"Authorization": "Bearer {facts.api_keys[Role.PORTAL.value]}"}}'
    return GraphiQLDefaults(query=query, headers=headers)


def _print_facts(facts: demo.DemoFacts, path: Path) -> None:
    console.print(
        f"\n[bold green]Tongban hub[/] {facts.hub_url}   (GraphiQL: open it in a browser)"
    )
    # The key column never wraps or cuts: a key is copied from here.
    key_column = Column("API key (Authorization: Bearer …)", no_wrap=True, min_width=_KEY_WIDTH)
    keys = Table("role", key_column, Column("purposes it may declare", overflow="fold"))
    for role, key in facts.api_keys.items():
        may = ", ".join(facts.purposes[role]) or "—"
        if role == Role.CITIZEN.value:
            may = f"none; sees who read the data of {facts.citizen_subject} (myDataAccess)"
        keys.add_row(role, key, may)
    console.print(keys)
    samples = Table("sample citizen", "resident ID")
    for kind, subject in facts.samples.items():
        samples.add_row(kind.replace("_", " "), subject)
    console.print(samples)
    console.print(f"The same facts are in {path}. Ctrl-C stops the hub and the departments.\n")


async def _clients_add(args: argparse.Namespace) -> None:
    role = Role(args.role)
    if role is Role.CITIZEN and args.subject is None:
        raise ConfigError("a citizen client needs --subject <resident ID>")
    if role is not Role.CITIZEN and args.subject is not None:
        raise ConfigError("--subject is for citizen clients only")
    if (role is Role.DEPARTMENT) != (args.department is not None):
        raise ConfigError("a department client, and only one, needs --department <code>")
    subject = None if args.subject is None else validate_resident_id(args.subject)
    async with _with_store(args, create=True) as store:
        key = new_api_key(role)
        client = await store.add_client(
            args.name, role, hash_api_key(key), subject, args.department
        )
    console.print(f"client {client.id} ({role.value}); its key, shown only now:\n{key}")


async def _clients_list(args: argparse.Namespace) -> None:
    table = Table("id", "name", "role", "speaks for", "created", "revoked")
    async with _with_store(args) as store:
        clients = await store.list_clients()
    for client in clients:
        revoked = client.revoked_at.isoformat(timespec="seconds") if client.revoked_at else ""
        created = client.created_at.isoformat(timespec="seconds")
        speaks_for = client.subject or client.department or ""
        table.add_row(client.id, client.name, client.role.value, speaks_for, created, revoked)
    console.print(table)


async def _clients_revoke(args: argparse.Namespace) -> None:
    async with _with_store(args) as store:
        revoked = await store.revoke_client(args.client_id)
    if not revoked:
        raise TongbanError(f"no active client {args.client_id}")
    console.print(f"revoked {args.client_id}")


async def _connectors_register(args: argparse.Namespace) -> None:
    async with _with_store(args, create=True) as store:
        record = await connectors_commands.register(store, args.file, args.approve)
    console.print(f"connector {record.department} v{record.version}: {record.status.value}")


async def _connectors_approve(args: argparse.Namespace) -> None:
    async with _with_store(args) as store:
        record = await connectors_commands.approve(store, args.department)
    console.print(f"connector {record.department} v{record.version}: {record.status.value}")


async def _connectors_disable(args: argparse.Namespace) -> None:
    async with _with_store(args) as store:
        record = await connectors_commands.disable(store, args.department)
    console.print(f"connector {record.department} v{record.version}: {record.status.value}")


async def _connectors_list(args: argparse.Namespace) -> None:
    async with _with_store(args) as store:
        await connectors_commands.show(store, console)


async def _composed_sdl(args: argparse.Namespace) -> str:
    if args.builtin:
        return await schema_commands.builtin_sdl()
    async with _with_store(args) as store:
        return await schema_commands.stored_sdl(store)


async def _schema_export(args: argparse.Namespace) -> None:
    print(await _composed_sdl(args), end="")  # plain: it is redirected into a file


async def _schema_check(args: argparse.Namespace) -> None:
    try:
        published = await asyncio.to_thread(args.file.read_text, encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {args.file}: {exc}") from exc
    problems = schema_commands.schema_problems(published, await _composed_sdl(args))
    for problem in problems:
        print(f"{args.file}: {problem}", file=sys.stderr)  # unwrapped: CI logs keep each line
    if problems:
        sys.exit(1)
    print(f"{args.file} is the schema the hub serves")


async def _keys_show(args: argparse.Namespace) -> None:
    # Plain print, never wrapped or styled: scripts pass it on as --key "$(tongban keys show)".
    print(audit_commands.verifier_key(Settings.from_env(data_dir=args.data_dir)))


async def _audit_export(args: argparse.Namespace) -> None:
    async with _with_store(args) as store:
        size = await audit_commands.export_log(store, args.output, console)
    console.print(f"exported {size:,} entries and their checkpoints to {args.output}")


async def _audit_verify(args: argparse.Namespace) -> None:
    audit_commands.verify_log(args.file, args.key, args.checkpoint, console)


if __name__ == "__main__":
    main()
