"""Real districts (GB/T 2260 codes) the synthetic population is registered in."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Region:
    code: str
    city: str
    district: str
    province_abbr: str
    title_office: str
    """Where property titles are issued: the district in the four municipalities, else the city."""


def _municipal(code: str, city: str, district: str, abbr: str) -> Region:
    return Region(code, city, district, abbr, district)


def _provincial(code: str, city: str, district: str, abbr: str) -> Region:
    return Region(code, city, district, abbr, city)


REGIONS: tuple[Region, ...] = (
    _municipal("110101", "北京市", "东城区", "京"),
    _municipal("110102", "北京市", "西城区", "京"),
    _municipal("110105", "北京市", "朝阳区", "京"),
    _municipal("110108", "北京市", "海淀区", "京"),
    _municipal("120101", "天津市", "和平区", "津"),
    _municipal("310101", "上海市", "黄浦区", "沪"),
    _municipal("310104", "上海市", "徐汇区", "沪"),
    _municipal("310115", "上海市", "浦东新区", "沪"),
    _municipal("500103", "重庆市", "渝中区", "渝"),
    _provincial("320102", "南京市", "玄武区", "苏"),
    _provincial("320106", "南京市", "鼓楼区", "苏"),
    _provincial("330102", "杭州市", "上城区", "浙"),
    _provincial("330106", "杭州市", "西湖区", "浙"),
    _provincial("370102", "济南市", "历下区", "鲁"),
    _provincial("420102", "武汉市", "江岸区", "鄂"),
    _provincial("420106", "武汉市", "武昌区", "鄂"),
    _provincial("440106", "广州市", "天河区", "粤"),
    _provincial("440305", "深圳市", "南山区", "粤"),
    _provincial("510104", "成都市", "锦江区", "川"),
    _provincial("510107", "成都市", "武侯区", "川"),
    _provincial("610113", "西安市", "雁塔区", "陕"),
)

STREETS: tuple[str, ...] = (
    "人民路", "建设路", "解放路", "中山路", "和平路", "文化路", "新华路", "胜利路", "长江路",
    "黄河路", "友谊路", "光明街", "学院路", "青年路", "朝阳街", "幸福路", "东风路", "团结路",
    "育才路", "花园街",
)  # fmt: skip


def street_address(rng: random.Random, region: Region) -> str:
    street = STREETS[int(rng.random() * len(STREETS))]
    number = 1 + int(rng.random() * 300)
    building = 1 + int(rng.random() * 30)
    unit = 1 + int(rng.random() * 6)
    room = (1 + int(rng.random() * 28)) * 100 + 1 + int(rng.random() * 4)
    return f"{region.city}{region.district}{street}{number}号{building}号楼{unit}单元{room}室"
