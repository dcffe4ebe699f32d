"""English and Spanish: the switcher, translated strings, Spanish numbers and dates, a complete .po file."""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"


def test_english_is_unprefixed_and_spanish_under_es(client, world):
    english = client.get("/deals/").content.decode()
    spanish = client.get("/es/deals/").content.decode()
    assert '<html lang="en">' in english and "Filter and sort" in english
    assert '<html lang="es">' in spanish and "Filtrar y ordenar" in spanish


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/es/", ["Quién financia a quién en la IA", "Últimos acuerdos", "Mayores alianzas", "Acuerdos publicados"]),
        ("/es/companies/", ["Empresas", "Gran tecnológica", "Invertido", "Recibido", "parte de Amazon"]),
        ("/es/companies/openai/", ["Acuerdos por papel", "Como receptor de la inversión", "Cronología", "Socios"]),
        ("/es/alliances/", ["Alianzas", "Valor total", "Tipo de acuerdo principal"]),
        ("/es/alliances/amazon--openai/", ["Acuerdos, del más antiguo al más reciente", "noviembre de 2025"]),
        ("/es/deals/", ["Acuerdos", "Exportar CSV", "Inversión en capital", "Cualquiera", "Más recientes primero"]),
        ("/es/deals/openai-110b-round/", ["Cifras y sus fuentes", "Valoración implícita", "Tramos", "Pagado por"]),
    ],
)
def test_spanish_pages_show_spanish_strings(client, world, url, texts):
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    for text in texts:
        assert text in content


def test_spanish_amounts_and_dates(client, world):
    deals = client.get("/es/deals/").content.decode()
    assert "hasta 4.000 millones de US$" in deals
    assert "110.000 millones de US$" in deals
    assert "1.000 millones de €" in deals
    assert "25 de septiembre de 2023" in deals
    assert "octubre de 2023" in deals  # known to the month
    assert "4,000" not in deals and "110,000" not in deals
    detail = client.get("/es/deals/softbank-openai-europe/").content.decode()
    assert "≈ 1.100 millones de US$ en dólares estadounidenses" in detail
    stake = client.get("/es/deals/google-backs-anthropic/").content.decode()
    assert "unos 10 %" in stake


def test_spanish_form_errors(client, world):
    response = client.get("/es/deals/", {"announced_after": "2023-13-45", "investor": "nadie"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Algunos filtros no se han podido aplicar" in content
    assert "No hay ninguna empresa con este nombre o slug: nadie." in content
    assert "Introduzca una fecha válida." in content


def test_iso_dates_filter_in_spanish_too(client, world):
    response = client.get("/es/deals/", {"announced_after": "2026-01-01"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 2


def test_the_language_switcher_keeps_the_page_and_its_filters(client, world):
    english = client.get("/deals/?kind=equity").content.decode()
    assert '<nav class="language-switcher"' in english
    assert '<a href="/es/deals/?kind=equity" lang="es" hreflang="es">Español</a>' in english
    spanish = client.get("/es/deals/?kind=equity").content.decode()
    assert '<a href="/deals/?kind=equity" lang="en" hreflang="en">English</a>' in spanish
    assert '<a href="/es/deals/?kind=equity" lang="es" hreflang="es" aria-current="true">Español</a>' in spanish


def test_the_feed_is_translated(client, world):
    assert "Dealsite: acuerdos publicados recientemente" in client.get("/es/feeds/deals.atom").content.decode()


def _po_entries():
    """(msgid, [msgstr…], block) of the committed .po file."""
    return _po_entries_of((LOCALE / "django.po").read_text())


def _po_entries_of(text):
    """(msgid, [msgstr…], block) of a .po file's text, read without extra libraries."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#")]
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            entries.append((fields["msgid"], [v for k, v in fields.items() if k.startswith("msgstr")], block))
    return entries


def test_every_string_of_the_po_file_is_translated_and_none_is_fuzzy():
    entries = _po_entries()
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstrs, _block in entries if not all(msgstrs)]
    fuzzy = [msgid for msgid, _msgstrs, block in entries if "#, fuzzy" in block]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_mo_file_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    for msgid, msgstrs, block in _po_entries():
        if "msgid_plural" in block:
            continue
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        expected = msgstrs[0].encode().decode("unicode_escape").encode("latin-1").decode()
        assert catalog.gettext(unescaped) == expected, msgid


def test_every_interface_string_is_in_the_po_file(tmp_path):
    """makemessages, run on a copy of the code, finds no string the committed .po file lacks."""
    if not shutil.which("xgettext") and not os.environ.get("CI"):
        pytest.skip("GNU gettext is not installed (apt-get install gettext); CI runs this test.")
    base = Path(settings.BASE_DIR)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("deals", "dealsite", "templates", "locale"):
        shutil.copytree(base / folder, tmp_path / folder, ignore=ignore)
    shutil.copy(base / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    extracted = (tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po").read_text()
    committed = {msgid for msgid, _msgstrs, _block in _po_entries()}
    found = {msgid for msgid, _msgstrs, _block in _po_entries_of(extracted)}
    assert sorted(found - committed) == []
