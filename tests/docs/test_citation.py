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


def test_citation_references_every_source_of_the_docs(citation):
    references = citation["references"]
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
