"""Every name printed or flagged: 𠮷 (CJK Ext-B) on a machine with and without a font for it.

``GKDESK_FONT_DIRS`` stands for the machine's installed fonts, so the same test sees a
computer with only WenQuanYi (no Ext-B) and one that also has HanaMinB.
"""

from __future__ import annotations

import random
import shutil
import subprocess
from pathlib import Path

import pytest

from gkdesk import township
from gkdesk.notices.fonts import FONT_DIRS_ENV
from gkdesk.notices.samples import ensure_program, make_batch, make_people
from tests.notice_helpers import fragments, page_texts

WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
HANAMIN_B = Path("/usr/share/fonts/truetype/hanazono/HanaMinB.ttf")
needs_wqy = pytest.mark.skipif(not WQY.exists(), reason="needs WenQuanYi Micro Hei")


def _fonts_dir(tmp_path: Path, *files: Path) -> Path:
    d = tmp_path / ("fonts-" + "-".join(f.stem for f in files))
    d.mkdir()
    for f in files:
        (d / f.name).symlink_to(f)
    return d


@pytest.fixture
def rare_batch(store):
    with store.session() as s:
        people = make_people([township.find_village(s, "高桥村")], 8, random.Random(4))
        v, g, _name, idn, acct = people[2]
        people[2] = (v, g, "王𠮷", idn, acct)
        return make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, random.Random(4)).id


@needs_wqy
def test_without_an_ext_b_font_the_cli_refuses_naming_the_person(store, cli, rare_batch, tmp_path, monkeypatch):
    monkeypatch.setenv(FONT_DIRS_ENV, str(_fonts_dir(tmp_path, WQY)))
    out = tmp_path / "n.pdf"
    r = cli("notice", "payouts", rare_batch, "-o", str(out), "--start", "2026-03-02", "--days", "5")
    assert r.code == 1
    assert "王𠮷" in r.err and "U+20BB7" in r.err and "--allow-missing-glyphs" in r.err
    assert not out.exists()  # nothing written, no posting recorded
    r = cli("--json", "notice", "payouts", rare_batch, "-o", str(out))
    assert r.code == 1 and r.json["code"] == "missing_glyphs"
    # the clerk chooses to write it in by hand: a full-size blank square, never a hairline box glyph
    r = cli("notice", "payouts", rare_batch, "-o", str(out), "--allow-missing-glyphs")
    assert r.code == 0, r.err
    text = page_texts(out)[0]
    assert "王" in text and "□" not in text and "𠮷" not in text
    assert "空白方框" in r.out
    pdffonts = shutil.which("pdffonts")
    if pdffonts:
        listing = subprocess.run([pdffonts, str(out)], capture_output=True, text=True, check=True).stdout
        rows = listing.splitlines()[2:]
        assert rows and "STSong" not in listing and all(r.split()[-5] == "yes" for r in rows), listing


@needs_wqy
@pytest.mark.skipif(not HANAMIN_B.exists(), reason="needs HanaMinB (Debian fonts-hanazono)")
def test_with_an_ext_b_font_installed_the_name_prints_and_the_font_is_embedded(store, cli, rare_batch, tmp_path,
                                                                                monkeypatch):
    monkeypatch.setenv(FONT_DIRS_ENV, str(_fonts_dir(tmp_path, WQY, HANAMIN_B)))
    out = tmp_path / "ok.pdf"
    r = cli("notice", "payouts", rare_batch, "-o", str(out))
    assert r.code == 0, r.err
    assert "王𠮷" in "".join(page_texts(out)[0].split()) or "𠮷" in page_texts(out)[0]
    assert any("𠮷" in f.text for f in fragments(out)[0][2])
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) not installed")
    rows = subprocess.run([pdffonts, str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    hana = [r for r in rows if "HanaMinB" in r]
    assert hana, rows
    assert all(r.split()[-5] == "yes" for r in rows), rows  # every font embedded, HanaMinB included


def test_notices_printed_from_demo_data_say_so(store, cli, rare_batch, tmp_path):
    from gkdesk.notices.demo_data import notices_demo

    with store.session() as s:
        notices_demo(s, "演示", random.Random(1))  # what ``gkdesk demo`` runs for this module
    out = tmp_path / "demo.pdf"
    r = cli("notice", "payouts", rare_batch, "-o", str(out), "--allow-missing-glyphs")
    assert r.code == 0, r.err
    frags = fragments(out)[0][2]
    assert any(f.text == "演示" and f.size > 100 for f in frags)  # the big mark across the page
    assert "(演示)" in page_texts(out)[0]  # and in the title


@needs_wqy
def test_folder_print_refused_in_a_later_village_leaves_no_files(store, cli, tmp_path, monkeypatch):
    from sqlalchemy import select

    from gkdesk.models import Posting

    monkeypatch.setenv(FONT_DIRS_ENV, str(_fonts_dir(tmp_path, WQY)))
    with store.session() as s:
        people = make_people(township.villages(s), 4, random.Random(6))
        v, g, _name, idn, acct = people[-1]  # the last village printed
        people[-1] = (v, g, "赵𫖯", idn, acct)
        bid = make_batch(s, ensure_program(s, "耕地地力保护补贴"), 2026, people, random.Random(6)).id
    out = tmp_path / "folder"
    r = cli("notice", "payouts", bid, "-o", str(out), "--start", "2026-03-02", "--days", "5")
    assert r.code == 1 and "赵𫖯" in r.err
    assert list(out.iterdir()) == []  # the villages printed before were removed again
    with store.session() as s:
        assert list(s.scalars(select(Posting.id))) == []


@needs_wqy
@pytest.mark.skipif(not HANAMIN_B.exists(), reason="needs HanaMinB (Debian fonts-hanazono)")
def test_windows_per_user_fonts_and_shipped_fonts_are_searched(tmp_path, monkeypatch):
    from gkdesk.notices import fonts as font_mod

    monkeypatch.delenv(FONT_DIRS_ENV, raising=False)
    user_fonts = tmp_path / "Local" / "Microsoft" / "Windows" / "Fonts"
    user_fonts.mkdir(parents=True)
    (user_fonts / HANAMIN_B.name).symlink_to(HANAMIN_B)  # installed "for this user only"
    monkeypatch.setattr(font_mod.sys, "platform", "win32")
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    monkeypatch.setenv("GKDESK_RESOURCES", str(tmp_path / "no-resources"))
    fs = font_mod.FontSet(primary=font_mod.load_font(str(WQY)), fallbacks=[])
    found = fs.font_for("𠮷")
    assert found is not None and "HanaMinB" in found.label
    # the same font shipped with the installer (resources/fonts) is found on any system
    monkeypatch.setattr(font_mod.sys, "platform", "linux")
    monkeypatch.setattr(font_mod, "_fontconfig_with", lambda ch: [])  # nothing installed
    shipped = tmp_path / "res" / "fonts"
    shipped.mkdir(parents=True)
    (shipped / HANAMIN_B.name).symlink_to(HANAMIN_B)
    monkeypatch.setenv("GKDESK_RESOURCES", str(tmp_path / "res"))
    fs = font_mod.FontSet(primary=font_mod.load_font(str(WQY)), fallbacks=[])
    assert fs.font_for("𬌗") is not None and fs.missing("王𬌗") == []
