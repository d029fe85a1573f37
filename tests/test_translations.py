"""Every addon's .pot is the export of its sources, and every .po translates
all of it: no entry missing, empty, fuzzy or obsolete, no placeholder or
markup lost. Languages every addon ships: LANGUAGES."""

import io
import re

import polib
import pytest

import odoo
from odoo.tools import config
from odoo.tools.translate import trans_export

from .conftest import repo_addons

LANGUAGES = ("fr", "es", "de")
PLACEHOLDER = re.compile(r"%\([a-z_0-9]+\)[sdf]|%[sdf]|\{\{.*?\}\}")
TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9_-]+)")
QWEB_ATTRIBUTE = re.compile(r"""\bt-[a-z-]+\s*=\s*("[^"]*"|'[^']*')""")


def _terms(po):
    """``{msgid: sorted occurrences}`` of a catalogue (header left out)."""
    return {
        entry.msgid: sorted(f"{path}:{line}" for path, line in entry.occurrences)
        for entry in po
        if entry.msgid
    }


def _shape(text):
    """What a translation must keep: placeholders, tags, QWeb attributes."""
    return (
        sorted(PLACEHOLDER.findall(text)),
        [closing + name.lower() for closing, name in TAG.findall(text)],
        sorted(QWEB_ATTRIBUTE.findall(text)),
    )


@pytest.fixture(scope="module")
def exported():
    """The sources' terms of every addon, exported from the test database
    (where they are installed) as Odoo's --i18n-export does."""
    registry = odoo.modules.registry.Registry(config["db_name"])
    catalogues = {}
    with registry.cursor() as cr:
        for addon in repo_addons():
            buffer = io.BytesIO()
            trans_export(False, [addon.name], buffer, "po", cr)
            catalogues[addon.name] = polib.pofile(buffer.getvalue().decode())
        cr.rollback()
    return catalogues


@pytest.mark.parametrize("addon_dir", repo_addons(), ids=lambda p: p.name)
def test_pot_is_up_to_date_with_the_sources(addon_dir, exported):
    pot = polib.pofile(str(addon_dir / "i18n" / f"{addon_dir.name}.pot"))
    fresh, committed = _terms(exported[addon_dir.name]), _terms(pot)
    assert sorted(set(fresh) - set(committed)) == [], "new terms: export the .pot"
    assert sorted(set(committed) - set(fresh)) == [], "terms gone: export the .pot"
    moved = [msgid for msgid in fresh if fresh[msgid] != committed[msgid]]
    assert moved == [], "terms used elsewhere now: export the .pot"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("addon_dir", repo_addons(), ids=lambda p: p.name)
def test_po_translates_the_whole_pot(addon_dir, lang):
    pot = polib.pofile(str(addon_dir / "i18n" / f"{addon_dir.name}.pot"))
    path = addon_dir / "i18n" / f"{lang}.po"
    assert path.exists(), f"{path.relative_to(addon_dir.parent)} is missing"
    po = polib.pofile(str(path))
    assert po.metadata.get("Language") == lang
    translations = {entry.msgid: entry for entry in po if entry.msgid}
    expected = {entry.msgid for entry in pot if entry.msgid}
    assert sorted(expected - set(translations)) == [], "untranslated"
    assert sorted(set(translations) - expected) == [], "obsolete"
    assert [e.msgid for e in translations.values() if not e.msgstr.strip()] == []
    assert [e.msgid for e in translations.values() if "fuzzy" in e.flags] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    broken = [
        msgid
        for msgid, entry in translations.items()
        if _shape(msgid) != _shape(entry.msgstr)
    ]
    assert broken == [], "placeholders or markup lost in translation"
