"""CITATION.cff and the README's BibTeX entry: complete, and in step with pyproject.toml.

The test extra has no YAML parser, so a small parser of the block subset of YAML
that CITATION.cff uses (mappings, lists, quoted and plain scalars, folded text)
reads it; where PyYAML happens to be installed it must agree with that parser.
"""

import re
from pathlib import Path

import pytest

from derivations.document import REFERENCES

ROOT = Path(__file__).resolve().parents[2]
CFF = ROOT / "CITATION.cff"


def _scalar(text: str):
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def _mapping(lines, i, indent):
    result = {}
    while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
        key, _, rest = lines[i][1].partition(":")
        assert key and key not in result, f"bad or repeated key on line {lines[i]}"
        rest, i = rest.strip(), i + 1
        if rest in (">-", ">"):
            folded = []
            while i < len(lines) and lines[i][0] > indent:
                folded.append(lines[i][1])
                i += 1
            result[key] = " ".join(folded)
        elif rest:
            result[key] = _scalar(rest)
        else:
            assert i < len(lines) and lines[i][0] > indent, f"empty value for {key}"
            result[key], i = _block(lines, i, lines[i][0])
    return result, i


def _block(lines, i, indent):
    if not lines[i][1].startswith("- "):
        return _mapping(lines, i, indent)
    items = []
    while i < len(lines) and lines[i][0] == indent and lines[i][1].startswith("- "):
        lines[i] = (indent + 2, lines[i][1][2:])
        if ":" in lines[i][1]:
            item, i = _mapping(lines, i, indent + 2)
        else:
            item, i = _scalar(lines[i][1]), i + 1
        items.append(item)
    return items, i


def parse_cff(text: str):
    """The block-YAML subset of CITATION.cff as Python objects."""
    assert "\t" not in text, "YAML forbids tabs for indentation"
    lines = [(len(line) - len(line.lstrip(" ")), line.strip()) for line in text.splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    value, end = _block(lines, 0, 0)
    assert end == len(lines), f"could not parse from line {lines[end]}"
    return value


@pytest.fixture(scope="module")
def citation():
    return parse_cff(CFF.read_text(encoding="utf-8"))


def pyproject_field(name: str) -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = text.split("[project]", 1)[1].split("\n[", 1)[0]
    return re.search(rf'^{name} = "([^"]+)"', project, re.MULTILINE).group(1)


def test_parser_reads_the_yaml_subset():
    text = 'a: 1\nb: "x: y"\nc:\n  - name: n\n    k: v\n  - plain\nd: >-\n  one\n  two\n'
    assert parse_cff(text) == {"a": 1, "b": "x: y", "c": [{"name": "n", "k": "v"}, "plain"],
                               "d": "one two"}
    with pytest.raises(AssertionError):
        parse_cff("a: 1\na: 2\n")


def test_citation_agrees_with_pyyaml_where_installed(citation):
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (not needed)")
    assert yaml.safe_load(CFF.read_text(encoding="utf-8")) == citation


def test_citation_has_the_keys_cff_1_2_requires(citation):
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors"):
        assert citation[key], f"CITATION.cff lacks {key}"
    for author in citation["authors"]:
        assert author.get("name") or author.get("family-names")
    assert citation["type"] == "software"


def test_citation_version_and_license_match_pyproject(citation):
    assert citation["version"] == pyproject_field("version")
    assert citation["license"] == pyproject_field("license") == "MIT"


QUESTION_URL = ("https://stats.stackexchange.com/questions/489429/"
                "why-are-the-tied-weights-in-autoencoders-transposed-and-not-inverted")


def test_citation_references_every_source_of_the_docs(citation):
    references = [r for r in citation["references"] if r["type"] != "website"]
    assert len(references) == len(REFERENCES)
    for name, entry in REFERENCES.items():
        matches = [r for r in references if r["title"].lower() in entry.lower()]
        assert len(matches) == 1, f"CITATION.cff has no reference for {name}"
        family = [author["family-names"] for author in matches[0]["authors"]]
        assert all(surname in name for surname in family), (name, family)
        assert f"{matches[0]['year']}" in entry


def test_readme_bibtex_entry_matches_the_citation(citation):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bibtex\n(.*?)```", readme, re.DOTALL)
    assert block, "README.md has no ```bibtex block"
    entry = block.group(1)
    assert entry.lstrip().startswith("@software{")
    assert re.search(rf"version\s*=\s*\{{{re.escape(citation['version'])}\}}", entry)
    assert re.search(r"license\s*=\s*\{MIT\}", entry)
    assert citation["title"].split(":")[0] in entry
    assert entry.count("{") == entry.count("}")


def test_citation_has_a_release_date_and_says_who_stands_behind_it(citation):
    """Issue 21, item 7: a date, the version of pyproject, and authors that are not anonymous."""
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", citation["date-released"])
    assert citation["date-released"] == "2026-12-07"
    for author in citation["authors"]:
        name = author.get("name", "")
        assert "developers" not in name, "say who stands behind it, not 'developers'"
        assert "contributors" in name and "git history" in name


def test_citation_references_the_question(citation):
    questions = [r for r in citation["references"] if r["type"] == "website"]
    assert len(questions) == 1
    assert questions[0]["url"] == QUESTION_URL
    assert "489429" in questions[0]["authors"][0]["name"]
    assert questions[0]["title"] == ("Why are the tied weights in autoencoders transposed "
                                     "and not inverted?")


def test_citation_links_are_well_formed_and_invent_no_repository(citation):
    dois = [r["doi"] for r in citation["references"] if "doi" in r]
    urls = [r["url"] for r in citation["references"] if "url" in r]
    assert len(dois) >= 4 and len(urls) >= 3
    assert all(re.fullmatch(r"10\.\d{4,9}/\S+", doi) for doi in dois), dois
    assert all(url.startswith("https://") for url in urls), urls
    # No repository address is known: none may be made up (README says where to add one).
    assert "repository-code" not in citation and "url" not in citation
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    urls_table = pyproject.split("[project.urls]", 1)[1].split("\n[", 1)[0]
    assert QUESTION_URL in urls_table and "github.com" not in urls_table
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "repository-code" in readme and "[project.urls]" in readme


def test_readme_bibtex_has_the_version_date_and_authors_of_the_citation(citation):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    entry = re.search(r"```bibtex\n(.*?)```", readme, re.DOTALL).group(1)
    assert re.search(rf"date\s*=\s*\{{{citation['date-released']}\}}", entry)
    assert re.search(rf"year\s*=\s*\{{{citation['date-released'][:4]}\}}", entry)
    assert "The tied-weights contributors" in entry
    assert pyproject_field("version") in entry and QUESTION_URL in entry
