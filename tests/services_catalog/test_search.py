"""Specification of catalog search: normalisation, pinyin, synonyms, matching, ranking and highlighting."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from services_catalog.examples import example_item
from services_catalog.ranking import highlight, score
from services_catalog.search import (
    SearchDoc,
    analyze_query,
    doc_terms,
    document_for,
    index_terms,
    search_document,
)
from services_catalog.search_index import MAX_WEAK_CANDIDATES, SearchIndex, candidates_from_postings
from services_catalog.synonyms import SYNONYM_GROUPS, find_synonyms, synonym_variants
from services_catalog.textnorm import normalize, normalize_with_map, pinyin_of, segment_pinyin

NAMES = [
    "社会保障卡申领", "企业职工社会保险登记", "灵活就业人员社保补贴申领", "居民身份证换领", "居民身份证补领",
    "住房公积金个人账户设立", "公积金贷款申请", "机动车驾驶证换证", "机动车行驶证补领", "申报纳税",
    "企业所得税申报", "户口迁移审批", "银行业金融机构设立", "行政复议申请", "重新申领结婚证",
    "医疗保险关系转移接续", "残疾人证新办", "出生医学证明首次签发", "IC卡办理", "2号线乘车证明",
]


@pytest.fixture(scope="module")
def index() -> SearchIndex[str]:
    """An in-memory index of the sample names, each its own id."""
    built: SearchIndex[str] = SearchIndex()
    for name in NAMES:
        built.add(name, document_for(name))
    return built


def _names(index: SearchIndex[str], query: str, limit: int = 3) -> list[str]:
    return [key for key, _ in index.search(query, limit=limit)]


@pytest.mark.parametrize(("raw", "expected"), [
    ("ＳＨＥＢＡＯ１２３", "shebao123"),
    ("居民身份證（換領）", "居民身份证换领"),
    ("社保，卡 办理!", "社保卡办理"),
    ("Ⅻ号", "xii号"),
    ("", ""),
])
def test_normalize(raw: str, expected: str) -> None:
    """Full-width folds to half-width, case folds, traditional simplifies, punctuation and spaces go."""
    assert normalize(raw) == expected


def test_normalize_map_points_back_to_the_original() -> None:
    """Each normalised character knows its index in the original text."""
    text, origin = normalize_with_map("社，保 卡")
    assert text == "社保卡" and origin == (0, 2, 4)


@pytest.mark.parametrize(("text", "syllables"), [
    ("银行", ("yin", "hang")),
    ("行政复议", ("xing", "zheng", "fu", "yi")),
    ("重新申领", ("chong", "xin", "shen", "ling")),
    ("重大", ("zhong", "da")),
    ("行驶证", ("xing", "shi", "zheng")),
    ("ic卡", ("", "", "ka")),
])
def test_pinyin_reads_polyphones_in_context(text: str, syllables: tuple[str, ...]) -> None:
    """Polyphones take their reading from the phrase (行 in 银行 and 行政, 重 in 重新 and 重大)."""
    assert pinyin_of(text) == syllables


@pytest.mark.parametrize(("letters", "first"), [
    ("shebao", ("she", "bao")), ("gongjijin", ("gong", "ji", "jin")), ("xian", ("xian",)),
])
def test_segment_pinyin(letters: str, first: tuple[str, ...]) -> None:
    """Letters split into pinyin syllables, fewest syllables first."""
    readings, tail = segment_pinyin(letters)
    assert readings[0] == first and tail == ""


def test_segment_pinyin_keeps_an_unfinished_tail_and_rejects_non_pinyin() -> None:
    """A half-typed last syllable is kept as a tail; initials like sb are not pinyin."""
    assert segment_pinyin("shebaod") == ((("she", "bao"), ("she", "ba", "o")), "d")
    assert segment_pinyin("sb") == ((), "")


@pytest.mark.parametrize(("raw", "kind"), [
    ("社保", "hanzi"), ("shebao", "pinyin"), ("she bao", "pinyin"), ("sb", "initials"),
    ("sfz", "initials"), ("ic卡", "mixed"), ("12345", "mixed"), ("，。", "empty"),
])
def test_query_kind(raw: str, kind: str) -> None:
    """A query is classified as hanzi, pinyin, initials, mixed or empty."""
    assert analyze_query(raw).kind == kind


def test_two_character_query_uses_a_bigram_term() -> None:
    """A 2-character query needs exactly its own bigram in the literal reading."""
    assert analyze_query("社保").terms == frozenset({"h:社保"})


@pytest.mark.parametrize("query", ["社保", "shebao", "she bao", "sb", "ＳＨＥＢＡＯ", "SheBao"])
def test_shebao_spellings_find_the_same_top_items(index: SearchIndex[str], query: str) -> None:
    """社保 typed in hanzi, pinyin (any case, width or spacing) or initials ranks the same items first."""
    expected = _names(index, "社保")
    assert _names(index, query) == expected
    assert set(expected) <= {"社会保障卡申领", "企业职工社会保险登记", "灵活就业人员社保补贴申领"}


def test_initials_rank_synonym_words_above_other_words_with_those_initials(index: SearchIndex[str]) -> None:
    """sb finds 申报 items too, but below every 社保 item."""
    ranked = _names(index, "sb", limit=10)
    assert "申报纳税" in ranked
    assert ranked.index("申报纳税") > ranked.index("灵活就业人员社保补贴申领")


@pytest.mark.parametrize(("query", "expected"), [
    ("社保", "企业职工社会保险登记"),
    ("社会保险", "灵活就业人员社保补贴申领"),
    ("公积金", "住房公积金个人账户设立"),
    ("住房公积金", "公积金贷款申请"),
    ("驾照", "机动车驾驶证换证"),
    ("驾照换证", "机动车驾驶证换证"),
    ("jiazhao", "机动车驾驶证换证"),
    ("医保", "医疗保险关系转移接续"),
    ("户籍", "户口迁移审批"),
    ("残疾证", "残疾人证新办"),
])
def test_synonyms_work_both_ways(index: SearchIndex[str], query: str, expected: str) -> None:
    """A query in one word of a synonym group finds items named with another."""
    assert expected in _names(index, query, limit=10)


@pytest.mark.parametrize(("query", "expected"), [
    ("身份证", "居民身份证换领"), ("sfz", "居民身份证换领"), ("shenfenzheng", "居民身份证换领"),
    ("yinhang", "银行业金融机构设立"), ("xingzheng", "行政复议申请"), ("chongxin", "重新申领结婚证"),
    ("居民身份證", "居民身份证换领"), ("ｉｃ卡", "IC卡办理"), ("2号线", "2号线乘车证明"),
    ("证", "残疾人证新办"),
])
def test_found_by_hanzi_pinyin_initials_and_other_scripts(
        index: SearchIndex[str], query: str, expected: str) -> None:
    """Pinyin follows phrase readings; traditional, full-width, latin and digits queries work."""
    assert expected in _names(index, query, limit=20)


def test_ranking_exact_then_prefix_then_contains() -> None:
    """An exact name beats a name starting with the query, which beats one containing it."""
    query = analyze_query("户口迁移")
    exact, prefix, inside = (document_for(n) for n in ("户口迁移", "户口迁移审批", "市内户口迁移"))
    assert score(exact, query) > score(prefix, query) > score(inside, query) > 0


def test_synonym_of_the_whole_name_counts_as_exact() -> None:
    """身份证补领 and 居民身份证补领 name the same thing, so the longer official name ranks as exact."""
    query = analyze_query("身份证补领")
    assert score(document_for("居民身份证补领"), query) > score(document_for("身份证补领预约"), query)


def test_name_beats_alias_and_scattered_terms_score_lowest() -> None:
    """A match in the name outranks one in an alias; words found apart in the name rank below both."""
    query = analyze_query("补领")
    in_name = document_for("居民身份证补领")
    in_alias = document_for("居民身份证挂失申报", aliases=("身份证补领",))
    assert score(in_name, query) > score(in_alias, query) > 0
    apart = score(document_for("居民身份证丢失补领"), analyze_query("身份证补领"))
    assert 0 < apart < score(document_for("身份证补领"), analyze_query("身份证补领"))
    assert apart < score(in_alias, analyze_query("身份证补领"))


def test_long_query_tolerates_one_missing_bigram(index: SearchIndex[str]) -> None:
    """身份证补领 finds 居民身份证丢失补领 although the bigram 证补 is not in it."""
    local: SearchIndex[str] = SearchIndex()
    local.add("x", document_for("居民身份证丢失补领"))
    local.add("y", document_for("户口迁移审批"))
    assert local.candidates("身份证补领") == {"x"}


def test_popularity_only_breaks_ties() -> None:
    """Popularity adds less than one point, so it reorders equal matches but never outranks a better one."""
    query = analyze_query("社保")
    doc = document_for("社保补贴申领")
    assert score(doc, query, popularity=10_000) - score(doc, query) < 1
    assert score(doc, query, popularity=50) > score(doc, query, popularity=5)
    assert score(document_for("社保"), query) > score(doc, query, popularity=10**9)


def test_non_matching_document_scores_zero() -> None:
    """A document that does not match the query scores exactly zero."""
    assert score(document_for("户口迁移审批"), analyze_query("社保")) == 0.0


@pytest.mark.parametrize(("name", "query", "spans"), [
    ("企业社保补贴申领", "社保", [(2, 4)]),
    ("企业社保补贴申领", "shebao", [(2, 4)]),
    ("企业社保补贴申领", "sb", [(2, 4)]),
    ("企业社会保险登记", "社保", [(2, 6)]),
    ("社，保卡", "社保", [(0, 1), (2, 3)]),
    ("㈱登记", "株", [(0, 1)]),
    ("ＩＣ卡办理", "ic卡", [(0, 3)]),
    ("居民身份证（换领）", "身份证换领", [(0, 5), (6, 8)]),
    ("企业社保（补贴）申领", "社保补贴", [(2, 4), (5, 7)]),
    ("户口迁移审批", "社保", []),
])
def test_highlight_spans_index_the_original_name(name: str, query: str, spans: list[tuple[int, int]]) -> None:
    """Highlight spans are end-exclusive offsets into the name as given, whatever the query's script."""
    assert highlight(name, analyze_query(query)) == spans


@pytest.mark.parametrize(("name", "query", "spans"), [
    ("出境定居提取住房公积金", "gjjtq", [(3, 6), (8, 11)]),
    ("出境定居提取住房公积金", "tiquzhufang", [(4, 8)]),
])
def test_scattered_pinyin_and_initials_matches_are_highlighted(name: str, query: str,
                                                               spans: list[tuple[int, int]]) -> None:
    """A name matched by its pinyin or initials terms apart, not in one run, still lights what matched."""
    assert score(document_for(name), analyze_query(query)) > 0
    assert highlight(name, analyze_query(query)) == spans


def test_highlight_prefers_characters_over_initials() -> None:
    """When 社保 is matched, the 申报 in the same name is not lit up by the initials reading."""
    assert highlight("社保缴费申报", analyze_query("sb")) == [(0, 2)]


def test_synonym_variants_prefer_longest_words() -> None:
    """住房公积金 is one word, not 住房 + 公积金, so substitution never doubles it."""
    assert list(find_synonyms("住房公积金提取")) == [(0, "住房公积金")]
    assert synonym_variants("住房公积金提取") == ("公积金提取",)


def test_synonym_groups_do_not_share_words() -> None:
    """Every synonym word belongs to exactly one group."""
    words = [w for group in SYNONYM_GROUPS for w in group]
    assert len(words) == len(set(words)) and len(SYNONYM_GROUPS) >= 40


def test_index_terms_are_short_and_prefixed() -> None:
    """Every stored term is a known kind and short enough for an indexed column."""
    terms = index_terms(example_item())
    assert terms and all(t[:2] in {"u:", "h:", "q:", "p:", "i:"} and len(t) <= 16 for t in terms)


def test_search_doc_round_trips_through_json_dict() -> None:
    """A document stored as a dict restores an equal document with the same terms."""
    doc = search_document(example_item())
    again = SearchDoc.from_dict(doc.to_dict())
    assert again == doc and doc_terms(again) == doc_terms(doc)


def test_index_remove_and_replace(index: SearchIndex[str]) -> None:
    """Re-adding an id replaces its terms, removing it drops it from every posting list."""
    local: SearchIndex[int] = SearchIndex()
    local.add(1, document_for("社保卡申领"))
    local.add(1, document_for("户口迁移"))
    assert local.candidates("社保") == set() and local.candidates("户口") == {1}
    local.remove(1)
    assert len(local) == 0 and local.candidates("户口") == set()


def test_candidates_from_postings_is_the_index_algorithm(index: SearchIndex[str]) -> None:
    """Matching on the posting lists of the query's terms alone returns the same ids as the whole index."""
    for raw in ("社保", "sb", "jiazhao", "证", "身份证换领"):
        query = analyze_query(raw)
        postings: dict[str, set[str]] = {}
        for name in NAMES:
            for term in index.terms_of(name) & query.all_terms():
                postings.setdefault(term, set()).add(name)
        assert candidates_from_postings(query, postings) == index.candidates(query)


def test_weak_only_matches_are_capped_to_the_most_popular_and_filters_come_first() -> None:
    """Bare initials (sb) can match much of a catalog: only the most popular of what they alone find are
    ranked, chosen among the ids the caller allows."""
    local: SearchIndex[int] = SearchIndex()
    for i in range(MAX_WEAK_CANDIDATES + 5):
        local.add(i, document_for(f"申报{i:03d}"), popularity=i)
    local.add(-1, document_for("社保卡申领"))
    assert local.candidates("sb") == {-1, *range(5, MAX_WEAK_CANDIDATES + 5)}
    assert local.candidates("sb", within={-1, 0, 1}) == {-1, 0, 1}
    assert [key for key, _ in local.search("sb", limit=2)] == [-1, MAX_WEAK_CANDIDATES + 4]


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalisation_and_analysis_never_raise(text: str) -> None:
    """Any text, including surrogates and control characters, can be normalised, indexed and queried."""
    query = analyze_query(text)
    doc = document_for(text, text[:3], (text[::-1],))
    assert isinstance(score(doc, query), float)
    assert all(0 <= start < end <= len(text) for start, end in highlight(text, query))
    assert isinstance(doc_terms(doc), set)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=40).filter(lambda s: normalize(s) != ""))
def test_any_item_is_found_by_its_own_name(name: str) -> None:
    """An item is always among the results for its exact name, with the exact-name score."""
    local: SearchIndex[str] = SearchIndex()
    local.add("it", document_for(name))
    local.add("other", document_for("居民身份证换领"))
    results = dict(local.search(name, limit=None))
    assert "it" in results and results["it"] >= max(results.values())
