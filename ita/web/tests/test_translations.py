"""Every fixed text of every template has its English: switching to English must not leave a
Thai sentence behind (framework data and unit names come from the data, not from here)."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
TRANSLATE = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1\s*%}""")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _thai_texts() -> dict[str, str]:
    found = {}
    for template in sorted(ROOT.glob("*/templates/**/*.html")):
        for _quote, text in TRANSLATE.findall(template.read_text(encoding="utf-8")):
            if THAI.search(text):
                found[text] = str(template.relative_to(ROOT))
    return found


def test_every_thai_text_in_a_template_has_an_english_translation() -> None:
    texts = _thai_texts()
    assert len(texts) > 100  # the templates were found
    with translation.override("en"):
        # As the translate tag does: a literal % is looked up doubled (makemessages writes it so).
        missing = [
            f"{where}: {t}"
            for t, where in texts.items()
            if translation.gettext(t.replace("%", "%%")) == t.replace("%", "%%")
        ]
    assert not missing, "no English in ita/locale/en for:\n" + "\n".join(missing)
