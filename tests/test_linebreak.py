"""Line breaking on real leaflet paragraphs in narrow columns."""
import re

import pytest

from conftest import hk_edition, EXAMPLE
from leaflet.typeset.fonts import prepare_fonts
from leaflet.typeset.layout import para_style, segments
from leaflet.typeset.linebreak import NO_LINE_END, NO_LINE_START, Style, break_lines, is_ideograph


@pytest.fixture(scope="module")
def example():
    edition = hk_edition(EXAMPLE)
    return edition, prepare_fonts(edition)


def paragraphs(edition, language):
    return [p for (lang, _), s in edition.stories.items() if lang == language for p in s.paras]


def lines_for(example, language, width):
    edition, fonts = example
    for para in paragraphs(edition, language):
        style = para_style(para.role, para.language, edition)
        yield para, break_lines(segments(para, style, fonts), width, fonts.measure)


WIDTHS = [60, 75, 90, 110, 130, 160, 200, 240]


@pytest.mark.parametrize("width", WIDTHS)
def test_chinese_kinsoku_on_every_paragraph(example, width):
    checked = 0
    for para, lines in lines_for(example, "zh-Hant-HK", width):
        assert "".join(line.text for line in lines) == para.text.replace(" ", "") or \
            re.sub(r"\s", "", "".join(line.text for line in lines)) == re.sub(r"\s", "", para.text)
        for line in lines[1:]:
            assert line.text[0] not in NO_LINE_START, f"line starts with {line.text[0]!r}: {line.text}"
            assert line.pieces[0].style.rise == 0, f"line starts with a superscript: {line.text}"
        for line in lines[:-1]:
            assert line.text[-1] not in NO_LINE_END, f"line ends with {line.text[-1]!r}: {line.text}"
        if len(lines) > 1:
            last = [c for p in lines[-1].pieces if not p.style.rise for c in p.text if c.isalnum()]
            assert not (len(last) == 1 and is_ideograph(last[0])), f"lone last character: {lines[-1].text}"
        checked += len(lines)
    assert checked > 20


@pytest.mark.parametrize("width", WIDTHS)
def test_latin_terms_are_never_split_in_chinese(example, width):
    terms = ["Lumirix®", "JAK-STAT", "Ruxolitinib", "Janus", "100g", "10%", "12歲", "8小時"]
    for _para, lines in lines_for(example, "zh-Hant-HK", width):
        for a, b in zip(lines, lines[1:]):
            joint = a.text[-6:] + "|" + b.text[:6]
            for term in terms:
                for cut in range(1, len(term)):
                    assert term[:cut] + "|" + term[cut:] not in joint, f"{term} split: {joint}"


@pytest.mark.parametrize("width", WIDTHS[3:])
def test_english_breaks_only_at_spaces(example, width):
    for para, lines in lines_for(example, "en", width):
        words = para.text.split()
        assert " ".join(line.text for line in lines).split() == words
        for line in lines:
            assert line.width <= width + 0.01
        for line in lines[1:]:
            assert line.pieces[0].style.rise == 0, f"citation pushed to a new line: {line.text}"


def test_number_stays_with_its_unit(example):
    edition, fonts = example
    para = next(p for p in paragraphs(edition, "en") if p.text.startswith("Wait at least 8 hours"))
    style = para_style(para.role, para.language, edition)
    for width in range(40, 200, 3):
        for line in break_lines(segments(para, style, fonts), width, fonts.measure):
            assert not line.text.endswith(" 8") and not line.text.endswith("least 8")


# --- the rules alone, with a stand-in for font metrics: no font is prepared or registered -------

BODY = Style("no-such-font", 10)
CITATION = Style("no-such-font", 6, rise=4)


def half_em(text, style):
    """Every character half the type size wide."""
    return len(text) * style.size / 2


def test_breaks_by_the_measure_it_is_given_without_any_font():
    calls = []

    def measure(text, style):
        calls.append(style)
        return half_em(text, style)

    lines = break_lines([("Wait at least 8 hours between applications.", BODY), ("3", CITATION)], 80, measure)
    assert [line.text for line in lines] == ["Wait at least", "8 hours between", "applications.3"]
    assert [line.width for line in lines] == [65, 75, 13 * 5 + 3]
    assert lines[-1].pieces[-1].style == CITATION, "the citation stays with its word"
    assert set(calls) == {BODY, CITATION}


def test_a_short_last_word_is_not_left_alone_even_in_a_narrow_column():
    """In a table cell "month." is over 30 % of the column, and alone on the last line it
    still reads as a runt: a word comes down with it."""
    lines = break_lines([("Do not use more than 2 tubes of Lumirix 100g in a month.", BODY)], 90, half_em)
    assert [line.text for line in lines] == ["Do not use more", "than 2 tubes of", "Lumirix 100g in", "a month."]


def test_chinese_kinsoku_with_a_stand_in_measure():
    text = "請在兩次塗抹之間至少等待8小時。"
    for width in range(20, 160, 5):
        lines = break_lines([(text, BODY)], width, half_em)
        assert "".join(line.text for line in lines) == text
        for a, b in zip(lines, lines[1:]):
            assert b.text[0] != "。" and not (a.text.endswith("8") and b.text.startswith("小"))


# --- English hyphenation ---------------------------------------------------------------

def hyphenated(example, width):
    from leaflet.typeset.linebreak import hyphenator_for

    edition, fonts = example
    for para in paragraphs(edition, "en"):
        style = para_style(para.role, para.language, edition)
        chars = segments(para, style, fonts)
        yield para, chars, break_lines(chars, width, fonts.measure,
                                       hyphenator=hyphenator_for("en", frozenset({"lumirix"})))


@pytest.mark.parametrize("width", WIDTHS[3:])
def test_english_hyphens_are_printed_but_the_text_is_the_contents(example, width):
    hyphens = 0
    for _para, chars, lines in hyphenated(example, width):
        text = "".join(c for c, _ in chars)
        start = 0
        for i, line in enumerate(lines):
            assert line.width <= width + 0.01
            content = text[start:line.end].rstrip()
            if line.text != content:  # a hyphenated line: the content's characters and one printed hyphen
                hyphens += 1
                assert line.text == content + "-" and line.pieces[-1].text.endswith("-")
                head = re.search(r"[a-z]+$", content).group()
                tail = re.match(r"[a-z]+", text[line.end:]).group()
                assert len(head) >= 3 and len(tail) >= 3, (head, tail)
                assert i < len(lines) - 1, "the last line is never hyphenated"
            start = line.end
        assert start == len(text)
        ends = [line.text.endswith("-") and not text[:line.end].endswith("-") for line in lines]
        assert not any(a and b and c for a, b, c in zip(ends, ends[1:], ends[2:])), "three hyphens in a row"
    if width < 200:
        assert hyphens, "narrow English columns use hyphens"


def test_names_doses_units_citations_and_urls_are_never_hyphenated():
    from leaflet.typeset.linebreak import hyphenator_for

    hyphenator = hyphenator_for("en", frozenset({"lumirix"}))
    for word in ("Ruxolitinib ", "lumirix ", "15mg/g ", "<https://www.vitiligodeeper.com/jak-stat-pathway> ",
                 "JAK-STAT ", "non-segmental "):
        assert hyphenator.split([(c, BODY) for c in word], 1000, half_em) is None, word
    cited = [(c, BODY) for c in "melanocytes"] + [("1", CITATION)]
    assert hyphenator.split(cited, 1000, half_em) is None
    head, tail = hyphenator.split([(c, BODY) for c in "depigmentation. "], 1000, half_em)
    assert "".join(c for c, _ in head) + "".join(c for c, _ in tail) == "depigmentation. "
    assert hyphenator_for("zh-Hant-HK") is None
