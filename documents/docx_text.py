"""Read the text back out of a rendered DOCX: for tests, previews and search indexing."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn


def paragraph_texts(content: bytes) -> list[str]:
    """Every paragraph's text, in document order, including those inside tables and in
    headers and footers."""
    document = docx.Document(io.BytesIO(content))
    roots = [document.element.body]
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                roots.append(part._element)
    texts = []
    for root in roots:
        for paragraph in root.iter(qn("w:p")):
            text = "".join(t.text or "" for t in paragraph.iter(qn("w:t")))
            # Dates are kept whole with non-breaking spaces; read back, a space is a space.
            texts.append(text.replace("\u00a0", " "))
    return texts


def full_text(content: bytes) -> str:
    return "\n".join(paragraph_texts(content))
