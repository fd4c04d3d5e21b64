"""Page bytes → text, the way a browser decides: BOM, HTTP charset, meta/XML declaration.

A saved page (``newsclaims extract``, ``quotes``, an archive) has no HTTP header but still
declares its charset; decoding it as UTF-8 regardless turns a windows-1252 page's curly
quotes into U+FFFD and loses its quotes. Files that are not HTML at all (a PDF, an image)
are refused here by their magic bytes rather than "extracted" as text.
"""

from __future__ import annotations

from w3lib.encoding import html_to_unicode

from newsclaims.pages.errors import NotHTML

# Magic numbers of the binaries a news site links to (documents, images, archives, media).
_BINARY_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV/AVI) file"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "a gzip file"),
    (b"ID3", "an MP3 file"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
)


def binary_kind(body: bytes) -> str | None:
    """What binary file these bytes are, or None when they may be text."""
    head = body[:16].lstrip()
    for magic, kind in _BINARY_MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary content"
    return None


def _utf8_or_cp1252(body: bytes) -> str:
    """An undeclared page: UTF-8 when it decodes as such, else the web's usual windows-1252."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


# What a server's charset header says when it means "I did not think about it".
_LATIN_LABELS = frozenset({"cp1252", "windows-1252", "iso-8859-1", "latin-1", "latin1", "ascii"})


def _is_utf8(body: bytes) -> bool:
    """Valid UTF-8 with at least one multi-byte sequence: real latin-1 text almost never is."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def page_text(body: bytes, text: str, encoding: str) -> tuple[str, str]:
    """The crawled page's text: as decoded by its declared charset, unless that charset is
    latin-1/windows-1252 and the bytes are UTF-8 (a lying header: "cafÃ©", lost quotes)."""
    if encoding.lower().replace("_", "-") in _LATIN_LABELS and _is_utf8(body):
        return body.decode("utf-8"), "utf-8"
    return text, encoding


def decoded(body: bytes, encoding: str) -> str:
    """The body as Scrapy's ``response.text`` gives it once Scrapy settled on ``encoding``."""
    return html_to_unicode(f"charset={encoding}", body)[1]


HEAD_CHARS = 4096
"""What Scrapy reads of a page for its ``<base href>`` and meta refresh."""


def head_text(body: bytes, encoding: str, chars: int = HEAD_CHARS) -> str:
    """``decoded(body, encoding)[:chars]`` without decoding the whole page.

    A decoder reads left to right, so a prefix of the bytes decodes to a prefix of the text
    but for its last few characters (a sequence cut in two), hence the margin; the web's
    encodings take at most four bytes a character, and where the prefix still gives too
    few characters the whole page is decoded.
    """
    cut = 4 * chars + 16
    if len(body) > cut:
        head = decoded(body[:cut], encoding)
        if len(head) >= chars + 8:
            return head[:chars]
    return decoded(body, encoding)[:chars]


def crawled_text(body: bytes, encoding: str, text: str | None = None) -> tuple[str, str]:
    """A crawled page's text and encoding, from the encoding Scrapy settled on (or the text
    it decoded, where that name would not give it back)."""
    return page_text(body, decoded(body, encoding) if text is None else text, encoding)


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page's text and the encoding used; raises NotHTML for binaries."""
    kind = binary_kind(body)
    if kind is not None:
        raise NotHTML(f"{kind}, not HTML")
    encoding, text = html_to_unicode(content_type, body, auto_detect_fun=_utf8_or_cp1252)
    return page_text(body, text, encoding)
