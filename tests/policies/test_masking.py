"""Masking: the shipped rules on each kind of value, and masks reaching into nested objects."""

from __future__ import annotations

import pytest

from connectors.manifest import MaskKind
from connectors.manifest_text import BUILTIN_MANIFESTS, load_manifest_file
from policies.loading import POLICY_DIRECTORY
from policies.masking import (
    MASKS_FILE,
    KeepEnds,
    Masks,
    MaskShape,
    keep_divisions,
    load_masks,
    mask_shapes,
)

MASKS = load_masks(POLICY_DIRECTORY / MASKS_FILE)


@pytest.mark.parametrize(
    ("kind", "value", "masked"),
    [
        (MaskKind.RESIDENT_ID, "11010519491231002X", "110105********002X"),
        (MaskKind.PHONE, "13812345678", "138****5678"),
        (MaskKind.NAME, "王小明", "王**"),
        (MaskKind.NAME, "王明", "王*"),
        (MaskKind.NAME, "欧阳娜娜", "欧***"),
        (MaskKind.NAME, "王", "*"),
        (MaskKind.PHONE, "110", "***"),
        (MaskKind.ADDRESS, "北京市朝阳区建国路88号1号楼2单元301室", "北京市朝阳区"),
        (MaskKind.ADDRESS, "上海市浦东新区人民路3号", "上海市浦东新区"),
        (MaskKind.ADDRESS, "江苏省南京市玄武区中山路1号", "江苏省南京市玄武区"),
        (MaskKind.ADDRESS, "内蒙古自治区呼和浩特市新城区团结路5号", "内蒙古自治区呼和浩特市新城区"),
        (MaskKind.ADDRESS, "山东省济南市市中区经七路2号", "山东省济南市市中区"),
        (MaskKind.ADDRESS, "江苏省昆山市玉山镇幸福路9号", "江苏省昆山市"),
        (MaskKind.ADDRESS, "建国路88号", "******"),
    ],
)
def test_shipped_rule_masks_a_value(kind: MaskKind, value: str, masked: str) -> None:
    assert MASKS.apply(value, kind) == masked


@pytest.mark.parametrize(
    ("head", "tail", "masked"), [(1, 2, "a*cd"), (0, 0, "****"), (2, 2, "****"), (3, 2, "****")]
)
def test_keep_ends_hides_a_value_too_short_to_hide_anything_in_full(
    head: int, tail: int, masked: str
) -> None:
    assert KeepEnds(head, tail)("abcd") == masked


def test_keep_divisions_stops_at_three_divisions() -> None:
    value = "新疆维吾尔自治区伊犁哈萨克自治州伊宁市解放路1号"

    assert keep_divisions(value) == "新疆维吾尔自治区伊犁哈萨克自治州伊宁市"


def test_masks_apply_inside_lists_of_nested_objects_and_leave_other_fields() -> None:
    members = [
        {"id": "11010519491231002X", "name": "王小明", "relationToHead": "户主"},
        {"id": "110105201203040011", "name": "李娜", "relationToHead": "女"},
    ]

    masked = MASKS.apply(members, {"id": MaskKind.RESIDENT_ID, "name": MaskKind.NAME})

    assert masked == [
        {"id": "110105********002X", "name": "王**", "relationToHead": "户主"},
        {"id": "110105********0011", "name": "李*", "relationToHead": "女"},
    ]


@pytest.mark.parametrize(
    ("value", "shape", "masked"),
    [
        (13812345678, MaskKind.PHONE, None),
        ("北京市朝阳区", {"address": MaskKind.ADDRESS}, None),
        ([{"name": ["王小明"]}], {"name": {"first": MaskKind.NAME}}, [{"name": [None]}]),
    ],
    ids=["number for a masked string", "string for an object", "list for an object"],
)
def test_a_value_the_rules_cannot_read_is_not_released(
    value: object, shape: MaskShape, masked: object
) -> None:
    assert MASKS.apply(value, shape) == masked


def test_missing_value_stays_missing() -> None:
    assert MASKS.apply(None, MaskKind.PHONE) is None


def test_shapes_come_from_the_manifests_mask_kinds_nested_ones_included() -> None:
    police = mask_shapes(load_manifest_file(BUILTIN_MANIFESTS / "police.yaml"))
    housing = mask_shapes(load_manifest_file(BUILTIN_MANIFESTS / "housing.yaml"))

    assert police == {
        "name": MaskKind.NAME,
        "phone": MaskKind.PHONE,
        "registeredAddress": MaskKind.ADDRESS,
        "members": {"id": MaskKind.RESIDENT_ID, "name": MaskKind.NAME},
    }
    assert housing == {"properties": {"address": MaskKind.ADDRESS}}


def test_rules_are_what_the_masks_file_says() -> None:
    masks = Masks({kind: KeepEnds(0, 1) for kind in MaskKind})

    assert masks.apply("13812345678", MaskKind.PHONE) == "**********8"
