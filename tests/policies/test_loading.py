"""Broken policy files stop start-up naming the file, the place (path and line) and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hub.errors import ConfigError, PolicyError
from policies.loading import POLICY_DIRECTORY
from policies.policy import load_policy
from policies.purposes import load_purposes


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    """A copy of the shipped policy files, for a test to break."""
    for source in POLICY_DIRECTORY.glob("*.yaml"):
        shutil.copy(source, tmp_path)
    return tmp_path


def edit(directory: Path, file: str, old: str, new: str) -> int:
    """Replace ``old`` (found exactly once) and return the line ``new`` starts on."""
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {file} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def refusal(directory: Path) -> PolicyError:
    with pytest.raises(PolicyError) as raised:
        load_policy(directory)
    return raised.value


def test_missing_legal_basis_names_the_purpose(policy_dir: Path) -> None:
    line = edit(policy_dir, "purposes.yaml", "    name: {en: Minimum", "    name: {en: Minimum")
    edit(
        policy_dir,
        "purposes.yaml",
        "    legal_basis:\n      kind: STATUTORY_DUTY\n      reference: PIPL Art. 13(3), 34;"
        " 社会救助暂行办法 Art. 9, 11, 58\n",
        "",
    )

    error = refusal(policy_dir)

    assert error.source == str(policy_dir / "purposes.yaml")
    assert error.place == f"purposes.LOW_INCOME_REVIEW.legal_basis, line {line}"
    assert error.reason == "Field required"


def test_unknown_category_names_the_access_entry(policy_dir: Path) -> None:
    line = edit(policy_dir, "purposes.yaml", "income: predicate       # the", "wealth: predicate #")

    error = refusal(policy_dir)

    assert error.place == f"purposes.LOW_INCOME_REVIEW.access.wealth, line {line}"
    assert error.reason.startswith("unknown category 'wealth'; categories.yaml defines basic,")


def test_unknown_role_names_the_list_item(policy_dir: Path) -> None:
    line = edit(
        policy_dir,
        "purposes.yaml",
        "zh: 最低生活保障审核}\n    roles: [portal]",
        "zh: 最低生活保障审核}\n    roles: [portal, mayor]",
    )

    error = refusal(policy_dir)

    assert error.place == f"purposes.LOW_INCOME_REVIEW.roles.1, line {line + 1}"
    assert error.reason == "Input should be 'portal', 'department', 'auditor', 'admin' or 'citizen'"


def test_bad_access_level_names_the_category(policy_dir: Path) -> None:
    line = edit(
        policy_dir, "purposes.yaml", "health: none            #", "health: secret          #"
    )

    error = refusal(policy_dir)

    assert error.place == f"purposes.LOW_INCOME_REVIEW.access.health, line {line}"
    assert error.reason == "Input should be 'raw', 'masked', 'predicate' or 'none'"


def test_undecided_category_names_the_purpose_access(policy_dir: Path) -> None:
    edit(policy_dir, "purposes.yaml", "      financial_account: none  # no department answers", "#")

    error = refusal(policy_dir)

    assert error.place.startswith("purposes.CITIZEN_PROFILE.access, line ")
    assert error.reason.endswith("no access for financial_account")


def test_unknown_key_is_refused_not_ignored(policy_dir: Path) -> None:
    line = edit(
        policy_dir, "categories.yaml", "    why: Name, sex", "    label: x\n    why: Name, sex"
    )

    error = refusal(policy_dir)

    assert error.source == str(policy_dir / "categories.yaml")
    assert error.place == f"categories.basic.label, line {line}"
    assert error.reason == "Extra inputs are not permitted"


def test_sensitivity_must_be_a_yes_or_no_not_text(policy_dir: Path) -> None:
    line = edit(
        policy_dir,
        "categories.yaml",
        "    sensitive: true\n    why: Medical",
        '    sensitive: "maybe"\n    why: Medical',
    )

    error = refusal(policy_dir)

    assert error.place == f"categories.health.sensitive, line {line}"
    assert error.reason == "Input should be a valid boolean"


def test_yaml_syntax_error_names_line_and_column(policy_dir: Path) -> None:
    line = edit(policy_dir, "purposes.yaml", "  CITIZEN_PROFILE:\n", "  CITIZEN_PROFILE: [\n")

    error = refusal(policy_dir)

    assert error.place == f"line {line + 2}, column 5"  # where the parser gave up
    assert error.reason == "not valid YAML: expected ',' or ']', but got '<scalar>'"


def test_key_given_twice_is_refused_at_the_second(policy_dir: Path) -> None:
    line = edit(
        policy_dir,
        "purposes.yaml",
        "      contact: none           # the applicant's phone",
        "      contact: none\n      contact: raw",
    )

    error = refusal(policy_dir)

    assert error.place == f"line {line + 1}, column 7"
    assert error.reason == "not valid YAML: duplicate key 'contact'"


def test_mask_kind_without_a_rule_is_refused(policy_dir: Path) -> None:
    edit(policy_dir, "masks.yaml", "keep_divisions: [address]", "keep_divisions: []")

    error = refusal(policy_dir)

    assert error.source == str(policy_dir / "masks.yaml")
    assert error.reason == "no rule for mask kinds address"


def test_mask_kind_with_two_rules_is_refused(policy_dir: Path) -> None:
    line = edit(
        policy_dir, "masks.yaml", "keep_divisions: [address]", "keep_divisions: [address, name]"
    )

    error = refusal(policy_dir)

    assert (error.place, error.reason) == (
        f"keep_divisions.1, line {line}",
        "name already has a rule",
    )


def test_missing_file_is_named(policy_dir: Path) -> None:
    (policy_dir / "masks.yaml").unlink()

    error = refusal(policy_dir)

    assert (error.source, error.place) == (str(policy_dir / "masks.yaml"), "")
    assert error.reason.startswith("cannot read: ")


def test_policy_error_is_a_config_error_with_a_stable_code(policy_dir: Path) -> None:
    edit(policy_dir, "purposes.yaml", "health: none            #", "health: secret          #")

    with pytest.raises(ConfigError) as raised:
        load_purposes(policy_dir)

    assert raised.value.code == "POLICY_INVALID"
    assert str(raised.value).startswith(
        f"{policy_dir / 'purposes.yaml'}: purposes.LOW_INCOME_REVIEW"
    )
