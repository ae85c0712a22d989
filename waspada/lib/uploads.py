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

Voice notes (WhatsApp sends Ogg/Opus; older phones AMR; iPhones M4A/AAC) are stored as sent,
after their container is read end to end (``_check_audio``): an Ogg file must be Ogg pages only,
each with its CRC, the first naming Opus or Vorbis; AMR its magic line; M4A an ISO box tree whose
boxes fill the file exactly, with an audio brand and no video track; AAC (ADTS) frames back to
back. Anything else, or anything left over after the last page, box or frame, is refused. At most
``MAX_AUDIO_BYTES``.
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


MAX_AUDIO_BYTES = 5 * 1024 * 1024  # about 40 minutes of a WhatsApp voice note (Opus, ~16 kbit/s)
_M4A_BRANDS = frozenset({b"M4A ", b"M4B ", b"mp42", b"isom", b"3gp4", b"3gp5", b"3gp6", b"3g2a"})


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
    audio = _audio_kind(data)
    if audio is not None:
        if len(data) > MAX_AUDIO_BYTES:
            raise UploadRejected(_("Rekaman suara terlalu besar (maksimal 5 MB)."))
        _check_audio(data, audio)
        content_type, extension = audio
        return CleanFile(data, content_type, extension, hashlib.sha256(data).hexdigest())
    return _clean_image(data)


# -- audio ------------------------------------------------------------------------------------------
def _audio_kind(data: bytes) -> tuple[str, str] | None:
    """The audio container the first bytes claim: (content type, extension), or None."""
    if data.startswith(b"OggS"):
        return "audio/ogg", ".ogg"
    if data.startswith((b"#!AMR\n", b"#!AMR-WB\n")):
        return "audio/amr", ".amr"
    if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in _M4A_BRANDS:
        return "audio/mp4", ".m4a"
    if len(data) >= 7 and data[0] == 0xFF and data[1] & 0xF6 == 0xF0:
        return "audio/aac", ".aac"
    return None


def _ogg_crc_table() -> list[int]:
    table = []
    for n in range(256):
        crc = n << 24
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)
    return table


_OGG_CRC = _ogg_crc_table()


def ogg_crc(data: bytes) -> int:
    """The CRC-32 of an Ogg page (polynomial 0x04C11DB7, not reflected, initial value 0)."""
    crc = 0
    for byte in data:
        crc = ((crc << 8) & 0xFFFFFFFF) ^ _OGG_CRC[(crc >> 24) ^ byte]
    return crc


def _check_audio(data: bytes, kind: tuple[str, str]) -> None:
    not_audio = _("Rekaman suara rusak atau bukan rekaman suara (Ogg/Opus, AMR, M4A/AAC).")
    ok = {
        ".ogg": _ogg_ok,
        ".amr": lambda d: len(d) > 9 and not any(marker in d[:1024].lower() for marker in _HTML_MARKERS),
        ".m4a": _m4a_ok,
        ".aac": _adts_ok,
    }[kind[1]](data)
    if not ok:
        raise UploadRejected(not_audio)


def _ogg_ok(data: bytes) -> bool:
    """Ogg pages from the first byte to the last, each CRC right; the first page's packet names
    Opus or Vorbis."""
    at, first = 0, True
    while at < len(data):
        if data[at : at + 4] != b"OggS" or at + 27 > len(data) or data[at + 4] != 0:
            return False
        count = data[at + 26]
        table = data[at + 27 : at + 27 + count]
        end = at + 27 + count + sum(table)
        if len(table) != count or end > len(data):
            return False
        page = data[at:end]
        if struct.unpack("<I", page[22:26])[0] != ogg_crc(page[:22] + b"\0\0\0\0" + page[26:]):
            return False
        if first:
            body = page[27 + count :]
            if not (page[5] & 0x02 and (body.startswith(b"OpusHead") or body.startswith(b"\x01vorbis"))):
                return False
            first = False
        at = end
    return not first


def _m4a_ok(data: bytes) -> bool:
    """Top-level ISO boxes fill the file exactly; no video track handler."""
    at = 0
    while at < len(data):
        if at + 8 > len(data):
            return False
        size = struct.unpack(">I", data[at : at + 4])[0]
        if size == 1 and at + 16 <= len(data):
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        if size < 8 or at + size > len(data):
            return False
        at += size
    return b"vide" not in _handlers(data)


def _handlers(data: bytes) -> set[bytes]:
    """The handler types named in ``hdlr`` boxes (``soun`` for audio, ``vide`` for video)."""
    found = set()
    at = data.find(b"hdlr")
    while at != -1:
        found.add(data[at + 12 : at + 16])
        at = data.find(b"hdlr", at + 4)
    return found


def _adts_ok(data: bytes) -> bool:
    """AAC ADTS frames back to back, each with its sync word and a length that fits."""
    at = 0
    while at < len(data):
        header = data[at : at + 7]
        if len(header) < 7 or header[0] != 0xFF or header[1] & 0xF6 != 0xF0:
            return False
        length = ((header[3] & 0x03) << 11) | (header[4] << 3) | (header[5] >> 5)
        if length < 7 or at + length > len(data):
            return False
        at += length
    return True


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
