"""PDF files without their metadata (pypdf); the pages, their text and images as they are.

The document information dictionary (author, title, creator, producer, dates) and the file
identifier go from the trailer; every XMP metadata stream (``/Metadata``, on the catalog,
pages, images or fonts), page-piece data (``/PieceInfo``), page thumbnails (``/Thumb``),
modification dates (``/LastModified``), associated files (``/AF``), the embedded files
(``/EmbeddedFiles``, a portfolio's ``/Collection``) and file-attachment annotations go; other
annotations lose their author (``/T``) and dates (``/M``, ``/CreationDate``); every JPEG image
loses its EXIF, XMP, IPTC and comments as a JPEG file would. Only the objects still reachable
from the catalog are written, so older revisions (incremental updates) go too. A signed PDF is
refused (cleaning breaks the signature), and so is one locked with a password.
"""

from __future__ import annotations

import io

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

from unseen.errors import InputError

from ._strip_image import jpeg, refuse

__all__ = ["pdf"]

_KIND = "application/pdf"
_DROP = ("/Metadata", "/PieceInfo", "/Thumb", "/LastModified", "/AF", "/EmbeddedFiles",
         "/Collection")  # fmt: skip
_ANNOT_DROP = ("/M", "/CreationDate")
_UNNAMED = frozenset({"/Widget", "/Link", "/Popup"})  # their /T is a field name, not an author


class _Signed(Exception):
    pass


def _is_attachment(obj: PdfObject) -> bool:
    o = obj.get_object()
    return isinstance(o, DictionaryObject) and o.get("/Subtype") == "/FileAttachment"


def _clean(obj: PdfObject, seen: set[tuple[int, int]]) -> None:
    """Remove the metadata from ``obj`` and everything it reaches, in place."""
    stack = [obj]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            resolved = item.get_object()
            if resolved is None:
                continue
            item = resolved
        if isinstance(item, ArrayObject):
            item[:] = [v for v in item if not _is_attachment(v)]
            stack.extend(item)
        elif isinstance(item, DictionaryObject):
            if item.get("/Type") == "/Sig" or "/ByteRange" in item:
                raise _Signed
            for name in _DROP:
                item.pop(name, None)
            if "/Rect" in item and "/Subtype" in item:  # an annotation
                for name in _ANNOT_DROP:
                    item.pop(name, None)
                if str(item["/Subtype"]) not in _UNNAMED:
                    item.pop("/T", None)
            if isinstance(item, StreamObject) and item.get("/Subtype") == "/Image":
                kind = item.get("/Filter")
                if kind == "/DCTDecode" or (isinstance(kind, ArrayObject) and
                                            list(kind) == ["/DCTDecode"]):  # fmt: skip
                    item._data = jpeg(item._data)
            stack.extend(v for k, v in item.items() if k != "/Parent")


def pdf(data: bytes) -> bytes:
    if not data.lstrip()[:5] == b"%PDF-":
        raise refuse("this is not a PDF file", "PDF 파일이 아닙니다", _KIND)
    unreadable = refuse("this PDF cannot be read", "PDF를 읽을 수 없습니다", _KIND)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise refuse("it is locked with a password", "암호로 잠겨 있습니다", _KIND)
        for name in ("/Info", "/ID"):
            reader.trailer.pop(name, None)
        _clean(reader.trailer.raw_get("/Root"), set())
        writer = PdfWriter(clone_from=reader)
        writer.metadata = None
        out = io.BytesIO()
        writer.write(out)
    except _Signed:
        raise refuse(
            "it is digitally signed, and removing its metadata would break the signature",
            "전자 서명이 있어 메타데이터를 지우면 서명이 깨집니다",
            _KIND,
        ) from None
    except InputError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file: refused, never a crash
        raise unreadable from None
    return out.getvalue()
