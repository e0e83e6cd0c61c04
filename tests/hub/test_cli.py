"""The command line as a user runs it: the demo in a child process, clients in-process."""

from __future__ import annotations

import json
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from hub.cli import main

DEMO_START_SECONDS = 60


def _free_port_run(length: int) -> int:
    """The first of ``length`` consecutive free loopback ports, below Linux's ephemeral range
    (32768 and up), where outgoing connections would take them back at any moment."""
    for _ in range(100):
        first = random.randrange(20_000, 32_000)
        if all(_free(first + i) for i in range(length)):
            return first
    raise RuntimeError("no run of free ports")


def _free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def _post(url: str, key: str, query: str) -> dict[str, Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps({"query": query}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        body: dict[str, Any] = json.load(answer)
        return body


def test_demo_serves_profiles_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    hub_port = _free_port_run(1)
    mock_port = _free_port_run(4)
    command = [sys.executable, "-m", "hub.cli", "demo", "--data-dir", str(tmp_path)]
    command += ["--port", str(hub_port), "--mock-base-port", str(mock_port)]
    demo = subprocess.Popen([*command, "--population", "2000"], stdout=subprocess.PIPE)
    try:
        facts_file = tmp_path / "demo.json"
        deadline = time.monotonic() + DEMO_START_SECONDS
        while not (facts_file.exists() and not _free(hub_port)):
            assert demo.poll() is None, "the demo exited early"
            assert time.monotonic() < deadline, "the demo did not start in time"
            time.sleep(0.1)
        facts = json.loads(facts_file.read_text(encoding="utf-8"))

        assert set(facts["api_keys"]) >= {"portal", "department", "auditor", "admin"}
        assert set(facts["samples"]) >= {"ordinary", "low_income", "minor", "deceased"}
        assert "CITIZEN_PROFILE" in facts["purposes"]["portal"]
        subject = facts["samples"]["ordinary"]
        body = _post(
            facts["hub_url"],
            facts["api_keys"]["portal"],
            f'{{ citizen(id: "{subject}", purpose: "CITIZEN_PROFILE") {{ identity {{ name }} }} }}',
        )
        assert body["data"]["citizen"]["identity"]["name"]
        with urllib.request.urlopen(facts["graphiql_url"], timeout=10) as page:
            assert b"graphiql.min.js" in page.read()
    finally:
        demo.send_signal(signal.SIGTERM)
        output, _ = demo.communicate(timeout=15)

    assert demo.returncode == 0
    assert subject.encode() in output, "the printout names the sample citizens"
    assert all(_free(port) for port in [hub_port, *range(mock_port, mock_port + 4)])


def test_clients_add_list_and_revoke(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["clients", "add", "street-office-7", "--role", "portal", "--data-dir", str(tmp_path)])
    added = capsys.readouterr().out
    client_id = re.search(r"client (cl_\S+)", added)
    assert client_id is not None, added
    assert re.search(r"tb_portal_[A-Za-z0-9_-]{32}", added)

    main(["clients", "revoke", client_id[1], "--data-dir", str(tmp_path)])
    main(["clients", "list", "--data-dir", str(tmp_path)])
    listed = capsys.readouterr().out

    assert "street-office-7" in listed
    assert f"revoked {client_id[1]}" in listed


def test_clients_list_shows_whom_a_citizen_key_speaks_for(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    subject = "11010519491231002X"
    store = ["--data-dir", str(tmp_path)]
    main(["clients", "add", "wang", "--role", "citizen", "--subject", subject, *store])
    main(["clients", "list", *store])

    assert subject in capsys.readouterr().out


def test_revoking_an_unknown_client_fails_with_status_2(tmp_path: Path) -> None:
    main(["clients", "add", "operator", "--role", "admin", "--data-dir", str(tmp_path)])
    with pytest.raises(SystemExit) as exited:
        main(["clients", "revoke", "cl_nobody", "--data-dir", str(tmp_path)])
    assert exited.value.code == 2


@pytest.mark.parametrize(
    "command",
    [
        ["clients", "list"],
        ["clients", "revoke", "cl_nobody"],
        ["connectors", "list"],
        ["schema", "export"],
        ["audit", "export", "--output", "log.jsonl"],
    ],
)
def test_a_command_reading_the_hubs_state_never_makes_an_empty_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--data-dir", str(tmp_path / "nothing-here")])

    assert exited.value.code == 2
    said = " ".join(capsys.readouterr().out.split())
    assert "CONFIG_INVALID" in said
    assert "--data-dir" in said
    assert not (tmp_path / "nothing-here").exists()


def test_serve_that_cannot_start_exits_with_the_reason(tmp_path: Path) -> None:
    (tmp_path / "hub-signing.pem").write_text("not a key", encoding="utf-8")
    port = str(_free_port_run(1))

    serve = subprocess.run(
        [sys.executable, "-m", "hub.cli", "serve", "--data-dir", str(tmp_path), "--port", port],
        capture_output=True,
        timeout=30,
        check=False,
    )

    assert serve.returncode == 2
    assert b"CONFIG_INVALID" in serve.stdout
