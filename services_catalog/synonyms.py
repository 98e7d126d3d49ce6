"""Synonym groups of the service catalog (社保 = 社会保险 ...) and where they occur in a text."""

from __future__ import annotations

from typing import Iterator

__all__ = ["SYNONYM_GROUPS", "synonyms_of", "find_synonyms", "synonym_variants", "lexicon"]

# Each group lists words a citizen uses interchangeably; the first is the official wording where
# there is one. Groups must not share a word. Kept deliberately small: a synonym that is not a
# real equivalence (养老 is broader than 退休) costs precision, so each one earns its place.
SYNONYM_GROUPS: tuple[tuple[str, ...], ...] = (
    ("社会保险", "社保"),
    ("社会保障卡", "社保卡"),
    ("住房公积金", "公积金"),
    ("居民身份证", "身份证"),
    ("机动车驾驶证", "驾驶证", "驾照"),
    ("机动车行驶证", "行驶证"),
    ("机动车号牌", "车牌", "号牌"),
    ("车辆管理所", "车管所"),
    ("医疗保险", "医保"),
    ("户籍", "户口"),
    ("营业执照", "执照"),
    ("生育", "生小孩", "生孩子"),
    ("退休", "养老"),
    ("失业保险金", "失业金"),
    ("最低生活保障", "低保"),
    ("残疾人证", "残疾证"),
    ("不动产权证书", "不动产证", "房产证", "房本"),
    ("婚姻登记", "结婚登记"),
    ("出生医学证明", "出生证"),
    ("普通护照", "护照"),
    ("往来港澳通行证", "港澳通行证"),
    ("居住证", "暂住证"),
    ("工伤保险", "工伤"),
    ("个人所得税", "个税"),
    ("年检", "年审"),
    ("转移登记", "过户"),
    ("存量房", "二手房"),
    ("商品房", "新房"),
    ("公共租赁住房", "公租房"),
    ("就业创业证", "就业证"),
    ("老年人优待证", "老年证"),
    ("生育服务证", "准生证"),
    ("居民死亡医学证明", "死亡证明"),
    ("殡葬", "丧葬"),
    ("抚恤金", "抚恤"),
    ("企业开办", "开公司", "注册公司"),
    ("补领", "补办"),
    ("换领", "换证"),
    ("教师资格证", "教师证"),
    ("电动自行车", "电动车"),
    ("老年人", "老人"),
    ("退役军人", "退伍军人"),
    ("入学", "上学"),
)

_BY_WORD: dict[str, tuple[str, ...]] = {word: group for group in SYNONYM_GROUPS for word in group}
# Longest first, so 社保卡 is found before 社保 and 住房公积金 before 公积金.
_WORDS_LONGEST_FIRST = sorted(_BY_WORD, key=len, reverse=True)
_MAX_WORD = max(map(len, _BY_WORD))


def synonyms_of(word: str) -> tuple[str, ...]:
    """Return the other words of ``word``'s synonym group (empty when it has none)."""
    return tuple(w for w in _BY_WORD.get(word, ()) if w != word)


def find_synonyms(text: str) -> Iterator[tuple[int, str]]:
    """Yield (position, word) for each non-overlapping synonym word in ``text``, longest match first."""
    i = 0
    while i < len(text):
        window = text[i:i + _MAX_WORD]
        match = next((w for w in _WORDS_LONGEST_FIRST if window.startswith(w)), None)
        if match is None:
            i += 1
        else:
            yield i, match
            i += len(match)


def synonym_variants(text: str, *, limit: int = 8) -> tuple[str, ...]:
    """Return ``text`` with one synonym word at a time replaced by each of its synonyms, at most ``limit``."""
    out: list[str] = []
    for position, word in find_synonyms(text):
        for other in synonyms_of(word):
            variant = text[:position] + other + text[position + len(word):]
            if variant not in out and variant != text:
                out.append(variant)
    return tuple(out[:limit])


def lexicon() -> tuple[str, ...]:
    """Return every synonym word, the words a pinyin or initials query may stand for."""
    return tuple(_BY_WORD)
