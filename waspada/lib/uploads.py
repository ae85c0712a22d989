"""Checking uploads by their content and stripping metadata from photos.

A file's name and declared type are the uploader's word; only the bytes count. Images are
decoded and re-encoded, which drops EXIF (including GPS), XMP and any trailing payload; PDFs
are accepted only with a PDF header and trailer.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
_IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}


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
        if b"%%EOF" not in data[-2048:]:
            raise UploadRejected(_("Berkas PDF tidak utuh."))
        return CleanFile(data, "application/pdf", ".pdf", hashlib.sha256(data).hexdigest())
    return _clean_image(data)


def _clean_image(data: bytes) -> CleanFile:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            probe.verify()
        if image_format not in _IMAGE_FORMATS:
            raise UploadRejected(_("Hanya foto (JPEG, PNG, WebP) atau PDF yang diterima."))
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            # Honour the camera's rotation before the EXIF that carries it is dropped.
            from PIL import ImageOps

            upright = ImageOps.exif_transpose(image) or image
            if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
                upright = upright.convert("RGB")
            out = io.BytesIO()
            upright.save(out, format=image_format, **({"quality": 88} if image_format != "PNG" else {}))
    except UploadRejected:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise UploadRejected(_("Hanya foto (JPEG, PNG, WebP) atau PDF yang diterima.")) from exc
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
