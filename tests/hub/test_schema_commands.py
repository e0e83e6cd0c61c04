"""``tongban schema``: export the SDL the hub serves; check a published copy against it, failing
on breaking changes and on any drift at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.cli import main
from tests.e2e.tax_department import manifest

KEY = "BeaG7u8y4r2w5FNs8s9n5f2Uew7xHiPA5L7BgHXNsvc="
COMMITTED = Path(__file__).parents[2] / "schema" / "schema.graphql"


def _exported(capsys: pytest.CaptureFixture[str], *source: str) -> str:
    capsys.readouterr()
    main(["schema", "export", *source])
    return capsys.readouterr().out


def _check(file: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, str]:
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["schema", "check", "--builtin", str(file)])
    return exited.value.code, capsys.readouterr().err


def test_export_from_the_store_shows_an_approved_department(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = ["--data-dir", str(tmp_path)]
    path = tmp_path / "tax.yaml"
    path.write_text(manifest("http://127.0.0.1:9", KEY), encoding="utf-8")
    main(["clients", "add", "operator", "--role", "admin", *store])

    before = _exported(capsys, *store)
    main(["connectors", "register", str(path), "--approve", *store])
    after = _exported(capsys, *store)

    assert "type Tax {" not in before
    assert "type Tax {" in after
    assert "annualTaxableIncome: Float" in after


def test_the_published_schema_passes_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "schema.graphql"
    published.write_text(_exported(capsys, "--builtin"), encoding="utf-8")

    main(["schema", "check", "--builtin", str(published)])

    assert "is the schema the hub serves" in capsys.readouterr().out


def test_a_breaking_change_fails_the_check_naming_each_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "schema.graphql"
    sdl = _exported(capsys, "--builtin")
    published.write_text(sdl.replace("monthlyWage: Float", "monthlyWage: Int"), encoding="utf-8")

    status, err = _check(published, capsys)

    assert status == 1
    assert "breaking (FIELD_CHANGED_KIND): Field Employment.monthlyWage changed type" in err
    assert "tongban schema export --builtin > schema/schema.graphql" in err


def test_a_stale_schema_fails_the_check_even_when_nothing_breaks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "schema.graphql"
    sdl = _exported(capsys, "--builtin")
    published.write_text(sdl.replace("月工资", "月薪"), encoding="utf-8")  # an older description

    status, err = _check(published, capsys)

    assert status == 1
    assert "breaking" not in err
    assert "out of date" in err


def test_the_committed_schema_is_what_the_builtin_manifests_compose(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert COMMITTED.read_text(encoding="utf-8") == _exported(capsys, "--builtin")


def test_a_file_that_is_no_schema_fails_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = tmp_path / "schema.graphql"
    published.write_text("type Query {", encoding="utf-8")

    status, err = _check(published, capsys)

    assert status == 1
    assert "not a GraphQL schema" in err
