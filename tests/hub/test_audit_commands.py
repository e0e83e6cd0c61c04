"""``tongban keys show``, ``audit export`` and ``audit verify`` as an operator and an auditor run
them, and ``clients add --role citizen``: in-process, on a data directory's SQLite store."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest

from hub.audit.note import NoteSigner
from hub.cli import main
from hub.config import DEFAULT_LOG_ORIGIN
from hub.keys import load_or_create_signing_key
from hub.roles import Role
from hub.store import ClientRecord, open_store
from tests.hub.audit.real_log import write_log

ID = "110101199003074514"


def logged(data_dir: Path, *batches: int) -> str:
    """A log in ``data_dir`` signed with its hub key, as ``tongban serve`` would leave it; its
    verifier key."""
    signer = NoteSigner(
        DEFAULT_LOG_ORIGIN, load_or_create_signing_key(data_dir / "hub-signing.pem")
    )

    async def write() -> None:
        store = await open_store(f"sqlite:///{data_dir / 'tongban.db'}")
        await write_log(store, batches, signer)
        await store.close()

    asyncio.run(write())
    return signer.verifier.key


def exits_with_2(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2


def test_keys_show_prints_the_verifier_key_the_log_is_signed_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vkey = logged(tmp_path, 1)

    main(["keys", "show", "--data-dir", str(tmp_path)])

    assert capsys.readouterr().out == f"{vkey}\n"


def test_keys_show_never_creates_a_key(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exits_with_2(["keys", "show", "--data-dir", str(tmp_path)])

    assert "no signing key" in capsys.readouterr().out
    assert not (tmp_path / "hub-signing.pem").exists()


def test_an_export_verifies_with_the_key_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vkey = logged(tmp_path, 3, 4, 5)
    export = tmp_path / "audit.jsonl"

    main(["audit", "export", "--output", str(export), "--data-dir", str(tmp_path)])
    main(["audit", "verify", str(export), "--key", vkey])

    out = capsys.readouterr().out
    assert "exported 12 entries" in out
    assert "verified: 12 entries, 3 checkpoints, one history" in out
    assert f"{DEFAULT_LOG_ORIGIN}\n12\n" in out


def test_a_tampered_export_fails_with_status_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vkey = logged(tmp_path, 4, 4)
    export = tmp_path / "audit.jsonl"
    main(["audit", "export", "--output", str(export), "--data-dir", str(tmp_path)])
    lines = export.read_bytes().splitlines(keepends=True)
    del lines[3]
    export.write_bytes(b"".join(lines))

    exits_with_2(["audit", "verify", str(export), "--key", vkey])

    assert "AUDIT_PROOF_INVALID: line 4: missing entry 2: entry 3 comes next" in (
        capsys.readouterr().out
    )


def test_an_empty_key_says_so_rather_than_that_it_is_malformed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logged(tmp_path, 2)
    export = tmp_path / "audit.jsonl"
    main(["audit", "export", "--output", str(export), "--data-dir", str(tmp_path)])

    exits_with_2(["audit", "verify", str(export), "--key", ""])

    assert "--key is empty" in capsys.readouterr().out


def test_a_checkpoint_kept_from_before_must_still_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vkey = logged(tmp_path, 2)
    export = tmp_path / "audit.jsonl"
    main(["audit", "export", "--output", str(export), "--data-dir", str(tmp_path)])
    kept = tmp_path / "checkpoint.txt"
    kept.write_text(json.loads(export.read_text().splitlines()[-1])["checkpoint"])
    logged(tmp_path, 2)
    main(["audit", "export", "--output", str(export), "--data-dir", str(tmp_path)])

    main(["audit", "verify", str(export), "--key", vkey, "--checkpoint", str(kept)])

    assert "verified: 4 entries, 2 checkpoints" in capsys.readouterr().out


def test_a_citizen_client_is_bound_to_their_resident_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "clients",
            "add",
            "王芳",
            "--role",
            "citizen",
            "--subject",
            ID,
            "--data-dir",
            str(tmp_path),
        ]
    )

    assert re.search(r"tb_citizen_[A-Za-z0-9_-]{32}", capsys.readouterr().out)
    [client] = asyncio.run(clients(tmp_path))
    assert (client.name, client.role, client.subject) == ("王芳", Role.CITIZEN, ID)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--role", "citizen"], "a citizen client needs --subject"),
        (["--role", "portal", "--subject", ID], "--subject is for citizen clients only"),
        (["--role", "citizen", "--subject", ID[:-1] + "5"], "INVALID_ID"),
    ],
)
def test_a_subject_goes_with_a_citizen_and_must_be_valid(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    exits_with_2(["clients", "add", "someone", *options, "--data-dir", str(tmp_path)])

    assert message in capsys.readouterr().out
    assert asyncio.run(clients(tmp_path)) == []


async def clients(data_dir: Path) -> list[ClientRecord]:
    store = await open_store(f"sqlite:///{data_dir / 'tongban.db'}")
    try:
        return await store.list_clients()
    finally:
        await store.close()
