"""The PDF: rendered from the same HTML, A4, page numbers, the package's fonts, readable as text."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from report import brief_fixtures as bf


def test_pdf_text_has_the_figures_and_page_numbers(aes_en_pdf):
    path = aes_en_pdf
    assert path.read_bytes()[:5] == b"%PDF-"
    text = bf.pdf_text(path)
    for s in ("AES (Alliance of Sahel States", "October 2023", "Burkina Faso 58", "569", "Mali 55", "119",
              "Niger 12", "115", "1,210", "ucdp_candidate:493880", "Uppsala Conflict Data Program",
              "sahelwatch aggregate --by bloc --bloc AES"):
        assert s in text, s
    info = bf.pdf_info(path)
    w, h = [float(x) for x in info["Page size"].split("pts")[0].split("x")]
    assert (round(w), round(h)) == (595, 842)  # A4
    pages = int(info["Pages"])
    assert 2 <= pages <= 8
    for n in (1, pages):
        assert re.search(rf"\b{n} ?/ ?{pages}\b", text), n


def test_french_pdf_text_keeps_french_typography(aes_fr, tmp_path):
    text = bf.pdf_text(aes_fr.write(tmp_path / "aes-fr.pdf"))
    assert "note de situation, octobre 2023" in text
    assert "1\u202f210" in text or "1 210" in text
    assert "Pas de comparaison avec septembre 2023" in text


def test_pdf_embeds_only_the_packaged_dejavu_fonts(tmp_path):
    # a machine with no fonts at all: fontconfig sees an empty configuration
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
                    f"<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>")
    out = tmp_path / "nofonts.pdf"
    code = ("import sahelwatch, sahelwatch.demo as d, sys; o = sahelwatch.open(sys.argv[1]); d.build(o); "
            "o.briefs.build(bloc='AES', period='2023-10').write(sys.argv[2])")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "home"), str(out)], check=True, env=env,
                   capture_output=True)
    fonts = bf.pdf_fonts(out)
    assert fonts and all("DejaVu-Sans" in f for f in fonts), fonts
    assert "Burkina Faso 58" in bf.pdf_text(out)


def test_pdf_pages_render_to_png(aes_en_pdf, tmp_path):
    pdf = aes_en_pdf
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == int(bf.pdf_info(pdf)["Pages"])
    for p in pngs:
        data = p.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5_000  # not a blank page
