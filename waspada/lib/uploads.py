"""Checking uploads by their content and stripping metadata from photos.

A file's name and declared type are the uploader's word; only the bytes count. Every upload
(a report's attachment, on the page and in the API; a follow-up's proof) goes through
``clean_upload``; docs/security.md states the rules and names their tests.

Images: the size is read from the header and anything over ``MAX_IMAGE_PIXELS`` is refused
before a single pixel is decoded (a 300 KB PNG can claim 8900x8900 pixels and cost a worker
half a gigabyte). The rest are decoded and re-encoded from their pixels alone, so EXIF (GPS),
XMP, ICC profiles, JPEG comment (COM) segments, PNG text chunks and any trailing payload are
dropped.

PDFs are stored as sent, so they are refused when they carry anything active (see
``_check_pdf``).
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import warnings
import zlib
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
_IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
# Pillow's own guard raises only above twice its limit; ours is checked first, from the header.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

# PDF names that make a PDF act rather than show (ISO 32000: JavaScript actions and name
# trees, launching programs, embedded files, forms that submit or import, Flash/3D, XFA forms,
# actions on open, on pages and on fields).
_ACTIVE_PDF_NAMES = frozenset(
    {
        b"JavaScript",
        b"JS",
        b"Launch",
        b"EmbeddedFile",
        b"EmbeddedFiles",
        b"RichMedia",
        b"XFA",
        b"AA",
        b"SubmitForm",
        b"ImportData",
        b"GoToE",
    }
)
# Long enough that compressed bytes do not spell them by chance: looked for everywhere,
# stream contents included. The short ones (/JS, /AA) only outside streams.
_LONG_ACTIVE_NAMES = frozenset(name for name in _ACTIVE_PDF_NAMES if len(name) > 3)
_NAME = re.compile(rb"/([^\x00\t\n\x0c\r /%()<>\[\]{}]*)")
_HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<!end)stream\r?\n.*?endstream", re.DOTALL)
_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
_HTML_MARKERS = (
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<svg",
    b"<!doctype",
    b"<object",
    b"<embed",
)
_MAX_INFLATED = 32 * 1024 * 1024


class UploadRejected(Exception):
    """The upload is not an accepted image or PDF; the message says why, in Indonesian."""


@dataclass(frozen=True)
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    sha256: str


def clean_upload(data: bytes) -> CleanFile:
    if len(data) == 0:
        raise UploadRejected(_("Berkas kosong."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRejected(_("Berkas terlalu besar (maksimal 10 MB)."))
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return CleanFile(data, "application/pdf", ".pdf", hashlib.sha256(data).hexdigest())
    return _clean_image(data)


def _names(chunk: bytes) -> set[bytes]:
    """The PDF names in ``chunk``, with ``#xx`` escapes decoded (``/J#61vaScript`` is ``/JavaScript``)."""
    return {
        _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), m.group(1)) for m in _NAME.finditer(chunk)
    }


def _has_executable(data: bytes) -> bool:
    """An ELF header, or a Windows program (``MZ`` whose header points at ``PE\\0\\0``), anywhere."""
    if re.search(rb"\x7fELF[\x01\x02][\x01\x02]\x01", data):
        return True
    for match in re.finditer(rb"MZ", data):
        start = match.start()
        if start + 0x40 > len(data):
            break
        (pe_offset,) = struct.unpack_from("<I", data, start + 0x3C)
        if data[start + pe_offset : start + pe_offset + 4] == b"PE\x00\x00":
            return True
    return False


def _object_streams(data: bytes) -> list[bytes]:
    """The inflated contents of the PDF's object streams (/Type /ObjStm), where a PDF 1.5+ may
    keep its dictionaries compressed. Refused when one cannot be read."""
    inflated = []
    budget = _MAX_INFLATED
    for match in _STREAM_START.finditer(data):
        # The stream's dictionary: back to the end of the object before it (at most 64 KB).
        low = max(0, match.start() - 65536)
        low = max(
            data.rfind(b"endobj", low, match.start()), data.rfind(b"endstream", low, match.start()), low
        )
        head = data[low : match.start()]
        names = _names(head)
        if b"ObjStm" not in names and b"First" not in names:
            continue
        if names & {
            b"ASCIIHexDecode",
            b"ASCII85Decode",
            b"LZWDecode",
            b"RunLengthDecode",
            b"Crypt",
            b"AHx",
            b"A85",
            # A predictor turns the inflated bytes into differences that would hide the names.
            b"DecodeParms",
            b"DP",
        }:
            raise UploadRejected(_("Berkas PDF tidak dapat diperiksa (isi terkompresi yang tidak dikenal)."))
        if b"FlateDecode" not in names and b"Fl" not in names:
            end = data.find(b"endstream", match.end())
            inflated.append(data[match.end() : end if end >= 0 else len(data)])
            continue
        inflater = zlib.decompressobj()
        try:
            out = inflater.decompress(data[match.end() :], budget + 1)
        except zlib.error as exc:
            raise UploadRejected(_("Berkas PDF tidak dapat diperiksa (isi terkompresi rusak).")) from exc
        budget -= len(out)
        if budget < 0:
            raise UploadRejected(_("Berkas PDF tidak dapat diperiksa (isi terkompresi terlalu besar)."))
        inflated.append(out)
    return inflated


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF that could act when opened; see docs/security.md, "Uploads".

    - It must end with ``%%EOF`` (in its last 2 KB).
    - No HTML in its first KB (a web page that starts with ``%PDF-`` to pass as a PDF).
    - No executable (ELF, or MZ…PE) anywhere after the header.
    - None of the active names (``_ACTIVE_PDF_NAMES``) in its dictionaries, including those
      compressed in object streams; the long ones also inside any stream.
    - ``/OpenAction`` only as a destination (where to open), never an action dictionary.
    """
    if b"%%EOF" not in data[-2048:]:
        raise UploadRejected(_("Berkas PDF tidak utuh."))
    if any(marker in data[:1024].lower() for marker in _HTML_MARKERS):
        raise UploadRejected(_("Berkas ini halaman web yang menyamar sebagai PDF; tidak diterima."))
    if _has_executable(data[5:]):
        raise UploadRejected(_("Berkas PDF berisi program; tidak diterima."))
    outside_streams = _STREAM.sub(b" ", data)
    dictionaries = [outside_streams, *_object_streams(data)]
    found = set().union(*(_names(chunk) for chunk in dictionaries)) & _ACTIVE_PDF_NAMES
    found |= _names(data) & _LONG_ACTIVE_NAMES
    if not found:
        for chunk in dictionaries:
            decoded = _HEX_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)
            if re.search(rb"/OpenAction\s*<<", decoded):
                found.add(b"OpenAction")
                break
    if found:
        raise UploadRejected(
            _("Berkas PDF berisi konten aktif (%(names)s); kirim PDF biasa tanpa skrip atau lampiran.")
            % {"names": ", ".join(sorted("/" + name.decode("latin-1") for name in found))}
        )


def _clean_image(data: bytes) -> CleanFile:
    not_a_photo = _("Hanya foto (JPEG, PNG, WebP) atau PDF yang diterima.")
    too_big = _("Gambar terlalu besar: %(width)dx%(height)d piksel (maksimal %(mp)d megapiksel).")
    try:
        # Image.open reads the header only: the size is known before any pixel is decoded.
        # Pillow's own bomb check warns above the limit (silenced: ours below refuses with the
        # size) and raises above twice it (refused below, without the size).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            image_format = probe.format or ""
            width, height = probe.size
            if image_format not in _IMAGE_FORMATS:
                raise UploadRejected(not_a_photo)
            if width * height > MAX_IMAGE_PIXELS:
                raise UploadRejected(
                    too_big % {"width": width, "height": height, "mp": MAX_IMAGE_PIXELS // 1_000_000}
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Honour the camera's rotation before the EXIF that carries it is dropped.
            upright = ImageOps.exif_transpose(image) or image
            if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            # Save the pixels alone: Pillow writes back what ``info`` holds (a JPEG's COM comment,
            # XMP, the ICC profile, EXIF), so only a palette image's transparency is kept.
            upright.info = {k: v for k, v in upright.info.items() if k == "transparency"}
            out = io.BytesIO()
            upright.save(out, format=image_format, **({"quality": 88} if image_format != "PNG" else {}))
    except UploadRejected:
        raise
    except Image.DecompressionBombError as exc:
        raise UploadRejected(
            _("Gambar terlalu besar (maksimal %(mp)d megapiksel).") % {"mp": MAX_IMAGE_PIXELS // 1_000_000}
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise UploadRejected(not_a_photo) from exc
    content = out.getvalue()
    content_type, extension = _IMAGE_FORMATS[image_format]
    return CleanFile(content, content_type, extension, hashlib.sha256(content).hexdigest())


def store_clean_file(instance: Any, clean: CleanFile, original_name: str) -> None:
    """Fill a file row's checked fields (file, content_type, extension, size, sha256,
    original_name) from ``clean`` and save it. The stored name comes from the model's
    ``upload_to``, never from the uploader."""
    from django.core.files.base import ContentFile

    instance.content_type = clean.content_type
    instance.extension = clean.extension
    instance.size = len(clean.content)
    instance.sha256 = clean.sha256
    instance.original_name = original_name[:200]
    instance.file.save(f"{clean.sha256[:16]}{clean.extension}", ContentFile(clean.content), save=False)
    instance.save()
