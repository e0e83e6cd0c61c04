"""``tongban connectors``: register a manifest file, approve, disable, list; errors exit 2."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from hub.cli import main
from hub.store import ConnectorStatus, open_store
from tests.e2e.tax_department import manifest, manifest_document

KEY = "BeaG7u8y4r2w5FNs8s9n5f2Uew7xHiPA5L7BgHXNsvc="


def _status(data_dir: Path) -> ConnectorStatus | None:
    url = f"sqlite:///{data_dir.resolve() / 'tongban.db'}"

    async def read() -> ConnectorStatus | None:
        store = await open_store(url)
        try:
            record = await store.get_connector("tax")
        finally:
            await store.close()
        return None if record is None else record.status

    return asyncio.run(read())


def test_register_approve_disable_and_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tax.yaml"
    path.write_text(manifest("http://127.0.0.1:9", KEY), encoding="utf-8")
    store = ["--data-dir", str(tmp_path)]

    main(["connectors", "register", str(path), *store])
    assert _status(tmp_path) is ConnectorStatus.PENDING
    main(["connectors", "approve", "tax", *store])
    assert _status(tmp_path) is ConnectorStatus.APPROVED
    main(["connectors", "disable", "tax", *store])
    assert _status(tmp_path) is ConnectorStatus.DISABLED
    capsys.readouterr()
    main(["connectors", "list", *store])

    listed = capsys.readouterr().out
    assert "tax" in listed
    assert "disabled" in listed


def test_a_malformed_manifest_exits_2_naming_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "tax.yaml"
    path.write_text(manifest("http://127.0.0.1:9", KEY).replace("income", "astrology", 1))

    with pytest.raises(SystemExit) as exited:
        main(["connectors", "register", str(path), "--data-dir", str(tmp_path)])

    assert exited.value.code == 2
    out = " ".join(capsys.readouterr().out.split())
    assert "domains.tax.fields.annualTaxableIncome.category" in out
    assert _status(tmp_path) is None


def test_a_department_client_needs_its_department(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["clients", "add", "tax", "--role", "department", "--data-dir", str(tmp_path)])
    assert exited.value.code == 2


def test_the_list_names_where_each_kind_of_transport_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transport = {"kind": "postgres", "dsn": "postgresql://reader@db/tax", "view": "tax.income"}
    document = manifest_document({**transport, "id_column": "id_no"}, None)
    path = tmp_path / "tax.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    store = ["--data-dir", str(tmp_path)]

    main(["connectors", "register", str(path), *store])
    capsys.readouterr()
    main(["connectors", "list", *store])

    assert "postgres tax.income" in " ".join(capsys.readouterr().out.split())
