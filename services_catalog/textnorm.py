"""Search text normalisation: NFKC, lower case, traditional to simplified, no punctuation, and pinyin."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from pypinyin.pinyin_dict import pinyin_dict

__all__ = [
    "normalize",
    "normalize_with_map",
    "is_hanzi",
    "pinyin_of",
    "initials_of",
    "joined_pinyin",
    "pinyin_syllables",
    "segment_pinyin",
    "MAX_QUERY_CHARS",
]

MAX_QUERY_CHARS = 64

# Traditional forms common in service-item names, as (traditional, simplified) pairs; NFKC does not
# fold these, and a full OpenCC table is out of proportion for catalogs written in simplified Chinese.
_TRADITIONAL_PAIRS = (
    "證证 書书 會会 險险 醫医 療疗 戶户 駕驾 駛驶 車车 輛辆 記记 辦办 業业 營营 職职 號号 變变 換换 補补 發发 養养 稅税 務务 與与 機机 關关 單单 "
    "衛卫 網网 線线 學学 歷历 資资 產产 權权 屬属 離离 殘残 軍军 貼贴 費费 準准 專专 檢检 驗验 認认 請请 領领 續续 轉转 遷迁 實实 體体 動动 積积 "
    "紙纸 電电 腦脑 區区 縣县 鎮镇 處处 罰罚 環环 護护 團团 築筑 設设 計计 劃划 規规 測测 繪绘 農农 漁渔 災灾 華华 開开 勞劳 個个 員员 廠厂 義义 "
    "廣广 條条 價价 報报 擔担 歸归 臨临 時时 間间 際际 種种 類类 參参 聯联 優优 撫抚 卹恤 喪丧 齡龄 兒儿 園园 級级 師师 範范 圖图 館馆 雜杂 誌志 "
    "視视 訊讯 話话 傳传 輸输 絡络 銀银 貸贷 額额 圍围 執执 輔辅 導导 幫帮 還还 買买 賣卖 讓让 這这 創创 問问 題题 龍龙 鄉乡 鐵铁 長长 門门 樓楼 "
    "屆届 廳厅 "
)
_TO_SIMPLIFIED = {ord(pair[0]): pair[1] for pair in _TRADITIONAL_PAIRS.split()}
_HANZI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_HANZI_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_SYLLABLE = re.compile(r"^[a-z]+\Z")


def _fold(char: str) -> str:
    """Return what one original character becomes: compatibility-folded, lower-cased, simplified, no marks."""
    folded = unicodedata.normalize("NFKC", char).lower().translate(_TO_SIMPLIFIED)
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def normalize_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Return the normalised text and, for each of its characters, the index it came from in ``text``."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for out in _fold(char):
            chars.append(out)
            origin.append(index)
    return "".join(chars), tuple(origin)


def normalize(text: str) -> str:
    """Return the search form of ``text``: half-width, lower case, simplified, letters and digits only."""
    return normalize_with_map(text)[0]


def is_hanzi(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph."""
    return _HANZI.match(char) is not None


@lru_cache(maxsize=65536)
def _run_pinyin(run: str) -> tuple[str, ...]:
    # Phrase-aware readings (银行 yin hang, 行政 xing zheng, 重新 chong xin); cached because the
    # same names recur across districts and pypinyin's phrase segmentation is the slow part.
    syllables = lazy_pinyin(run, style=Style.NORMAL, errors="ignore")
    if len(syllables) != len(run):
        syllables = [(lazy_pinyin(c, style=Style.NORMAL, errors="ignore") or [""])[0] for c in run]
    return tuple(s if _SYLLABLE.match(s) else "" for s in syllables)


def pinyin_of(normalized: str) -> tuple[str, ...]:
    """Return one toneless syllable per character of a normalised text, "" for non-hanzi characters."""
    out = [""] * len(normalized)
    for match in _HANZI_RUN.finditer(normalized):
        out[match.start():match.end()] = _run_pinyin(match.group())
    return tuple(out)


def joined_pinyin(normalized: str, pinyin: tuple[str, ...]) -> tuple[str, frozenset[int]]:
    """Return the text spelled in pinyin (other characters as themselves) and where its syllables start."""
    parts: list[str] = []
    starts: set[int] = set()
    length = 0
    for char, syllable in zip(normalized, pinyin):
        starts.add(length)
        piece = syllable or char
        parts.append(piece)
        length += len(piece)
    return "".join(parts), frozenset(starts)


def initials_of(normalized: str, pinyin: tuple[str, ...]) -> str:
    """Return the first pinyin letter of each hanzi (other characters as themselves): 社会保险 -> shbx."""
    return "".join((syllable or char)[0] for char, syllable in zip(normalized, pinyin))


@lru_cache(maxsize=1)
def pinyin_syllables() -> frozenset[str]:
    """Return every toneless pinyin syllable with a vowel that pypinyin knows, ü written as v (lv, nve)."""
    out: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            plain = unicodedata.normalize("NFD", reading).replace("u\u0308", "v")
            plain = "".join(c for c in plain if not unicodedata.combining(c))
            # Interjections without a vowel (嗯 n, 呣 m, 哼 hng) only make query splitting ambiguous.
            if _SYLLABLE.match(plain) and any(v in plain for v in "aeiouv"):
                out.add(plain)
    return frozenset(out)


@lru_cache(maxsize=1)
def _syllable_prefixes() -> frozenset[str]:
    return frozenset(s[:i] for s in pinyin_syllables() for i in range(1, len(s) + 1))


def segment_pinyin(letters: str, *, limit: int = 3) -> tuple[tuple[tuple[str, ...], ...], str]:
    """Split letters into pinyin syllables: up to ``limit`` readings (fewest syllables first) and an
    unfinished tail (``shebaod`` -> ((she, bao),), "d"); no reading when the letters are not pinyin."""
    syllables = pinyin_syllables()
    found: list[tuple[str, ...]] = []

    def walk(start: int, path: tuple[str, ...]) -> None:
        if len(found) >= limit * 4:
            return
        if start == len(letters):
            found.append(path)
            return
        for end in range(min(len(letters), start + 6), start, -1):
            if letters[start:end] in syllables:
                walk(end, path + (letters[start:end],))

    walk(0, ())
    if found:
        return tuple(sorted(found, key=len)[:limit]), ""
    # The user may still be typing the last syllable: keep the longest finished part.
    for cut in range(len(letters) - 1, 0, -1):
        tail = letters[cut:]
        if tail in _syllable_prefixes():
            head, _ = segment_pinyin(letters[:cut], limit=limit)
            if head:
                return head, tail
    return (), ""
