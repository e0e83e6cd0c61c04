"""Chinese personal names: a common surname and a given name of one or two characters."""

from __future__ import annotations

import random

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃"
)
"""Ordered by frequency, so that drawing with a skewed index favours 王, 李 and 张."""

_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋建国志文海峰东亮成晨博轩然睿泽豪毅"
)
_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英婷雪慧莹琳晶颖倩洁梅琴云莉兰萍红燕欣怡佳雨涵诗梦思悦彤琪瑶璐嘉妍"


def surname(rng: random.Random) -> str:
    return SURNAMES[int(len(SURNAMES) * rng.random() ** 2)]


def given_name(rng: random.Random, male: bool) -> str:
    pool = _MALE if male else _FEMALE
    first = pool[int(rng.random() * len(pool))]
    if rng.random() < 0.3:
        return first
    return first + pool[int(rng.random() * len(pool))]
