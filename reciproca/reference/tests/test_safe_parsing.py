"""The codelist reader never expands entities: a crafted file cannot make it read local files
or blow up memory."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from reciproca.reference.loaders import CodelistError, parse_xml, read_codelist, safe_xml_parser

CODELIST = """<?xml version="1.0" encoding="UTF-8"?>
{doctype}
<codelist name="PolicyMarker" xml:lang="en">
  <codelist-items>
    <codelist-item>
      <code>1</code>
      <name><narrative>{text}</narrative></name>
    </codelist-item>
  </codelist-items>
</codelist>
"""


def write(tmp_path: Path, *, doctype: str = "", text: str = "Gender") -> Path:
    path = tmp_path / "codelist.xml"
    path.write_text(CODELIST.format(doctype=doctype, text=text), encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    return path


def test_the_parser_does_not_expand_an_external_entity(tmp_path, secret):
    path = write(
        tmp_path,
        doctype=f'<!DOCTYPE codelist [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        text="&xxe;",
    )
    tree = etree.parse(str(path), safe_xml_parser())
    assert "TOP-SECRET-VALUE" not in etree.tostring(tree, encoding="unicode")


def test_the_loader_refuses_a_file_with_an_external_entity(tmp_path, secret):
    path = write(
        tmp_path,
        doctype=f'<!DOCTYPE codelist [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
        text="&xxe;",
    )
    with pytest.raises(CodelistError, match="DOCTYPE"):
        read_codelist(path)


def test_the_loader_refuses_an_entity_expansion_bomb(tmp_path):
    # The classic "billion laughs": each entity is ten copies of the previous one.
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10 if n else "lol"}">' for n in range(10))
    path = write(tmp_path, doctype=f"<!DOCTYPE codelist [{laughs}]>", text="&l9;")
    with pytest.raises(CodelistError):
        parse_xml(path)


def test_a_plain_codelist_is_read(tmp_path):
    [item] = read_codelist(write(tmp_path))
    assert item.code == "1"
    assert item.names == {"en": "Gender"}
    assert item.is_active


def test_a_file_that_is_not_a_codelist_is_refused(tmp_path):
    path = tmp_path / "other.xml"
    path.write_text("<iati-activities/>", encoding="utf-8")
    with pytest.raises(CodelistError, match="codelist"):
        read_codelist(path)
