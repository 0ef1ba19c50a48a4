"""Resolve stage: citation numbering and the reference list."""
import pytest

from conftest import hk_edition, EXAMPLE, edit
from leaflet.errors import CitationError
from leaflet.content.resolve import citation_label


def superscripts(edition, language, story):
    return [r.text for p in edition.stories[(language, story)].paras for r in p.runs
            if r.superscript and r.text != "®"]


def test_numbers_follow_first_citation_in_reading_order():
    edition = hk_edition(EXAMPLE)
    order = [n.reference.id for n in edition.references]
    # English flow first: birlea cited first, then frisoli, then the PI, then Rosmarin;
    # uncited references follow in their listed order.
    assert order[:4] == ["birlea2017", "frisoli2020", "pi-hk", "rosmarin2022"]
    assert order[4:] == ["qi2021", "utama2024", "hwang2023", "incyte-jakstat"]
    assert superscripts(edition, "en", "process-of-repigmentation") == ["1", "1", "2", "1"]
    assert superscripts(edition, "zh-Hant-HK", "process-of-repigmentation") == ["1", "1", "1", "2"]


def test_reference_list_prints_numbers_in_order():
    edition = hk_edition(EXAMPLE)
    refs = [p for s in edition.back if s.id == "references" for p in s.paras if p.role == "reference"]
    assert [p.text.split(".")[0] for p in refs] == [str(i) for i in range(1, 9)]
    assert refs[0].text.startswith("1. Birlea SA")


def test_unknown_reference_is_an_error_with_location(content):
    edit(content / "text" / "en.yaml", "[@rosmarin2022]", "[@rosmarin2023]")
    with pytest.raises(CitationError) as info:
        hk_edition(content)
    message = str(info.value)
    assert "en.yaml:" in message and "[@rosmarin2023] names no reference" in message


def test_uncited_reference_is_an_error_unless_explained(content):
    edit(content / "references.yaml",
         "    uncited: cited by the source's illustration caption; the illustration is not part of this edition\n", "")
    with pytest.raises(CitationError, match=r"references.yaml:\d+: reference 'incyte-jakstat' is never cited"):
        hk_edition(content)


@pytest.mark.parametrize("numbers,label", [([3], "3"), ([3, 1], "1,3"), ([1, 2], "1,2"), ([1, 2, 3, 5], "1–3,5")])
def test_citation_labels(numbers, label):
    assert citation_label(numbers) == label
