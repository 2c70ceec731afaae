"""``python -m derivations.render.pdf``: Chromium prints a page to a PDF; errors name the cause."""

import os

import pytest

import derivations.render.pdf as pdf

needs_browser = pytest.mark.skipif(pdf.find_browser() is None and not os.environ.get("CI"),
                                   reason="no Chromium on PATH (apt-get install chromium)")


@needs_browser
def test_prints_a_page_with_mathml_to_a_pdf(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!DOCTYPE html><html><body><p>x</p><math display="block">'
                    "<msup><mi>W</mi><mo>+</mo></msup></math></body></html>", encoding="utf-8")
    output = pdf.build_pdf(page, tmp_path / "out" / "page.pdf")
    data = output.read_bytes()
    assert data.startswith(b"%PDF-") and b"/Type /Page" in data


def test_missing_page_is_named(tmp_path, capsys):
    missing = tmp_path / "absent.html"
    code = pdf.main(["--html", str(missing), "--output", str(tmp_path / "x.pdf")])
    assert code == 1
    err = capsys.readouterr().err
    assert "absent.html" in err or "Chromium" in err


def test_missing_browser_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    with pytest.raises(RuntimeError, match="no Chromium"):
        pdf.build_pdf(tmp_path / "page.html", tmp_path / "x.pdf")


def test_browser_that_writes_nothing_is_reported(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(RuntimeError, match="wrote no PDF"):
        pdf.build_pdf(page, tmp_path / "x.pdf", browser="true")
