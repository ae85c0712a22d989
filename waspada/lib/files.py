"""Handing a stored upload (a report's photo, a follow-up's proof) to the person who asked for it.

The caller has already fetched the file's owner through its scoped queryset; this module only
writes the answer: the content type the upload check found, ``inline`` for images and PDF
(``attachment`` for anything else), a safe file name (RFC 6266, ``filename*`` for names that are
not ASCII), ``nosniff``, and private caching only. With ``WASPADA_SENDFILE=nginx`` the bytes are
sent by nginx from an ``internal`` location (``X-Accel-Redirect``) after the check here.

Thumbnails are small JPEGs made once from the stored image (Pillow) and kept beside the uploads
under ``miniatur/``, named by the image's SHA-256: a phone on a weak signal loads 20 to 40 KB per
photo instead of several megabytes, and the same photo uploaded twice shares one thumbnail.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import PurePosixPath
from typing import Any, Protocol
from urllib.parse import quote

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from PIL import Image, ImageOps

# Voice notes play in the report page's <audio> player (lib/uploads.py checks their containers).
INLINE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/webp", "application/pdf", "audio/ogg", "audio/mp4", "audio/aac"}
)
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp"})
THUMBNAIL_PIXELS = 480  # the longer side: sharp at 240 CSS pixels on a 2x phone screen
THUMBNAIL_QUALITY = 72
# The file's bytes never change (a new upload is a new file), but access can: a browser may keep
# its own copy for an hour, no shared cache may keep one at all.
CACHE_CONTROL = "private, max-age=3600"
_EQUIVALENT_SUFFIXES = {".jpg": {".jpg", ".jpeg", ".jpe", ".jfif"}}


def safe_filename(original_name: str, extension: str, fallback: str) -> str:
    """A name to offer the browser: the uploader's, without folders or control characters, and
    ending in the extension the content was found to have (``fallback`` when nothing is left)."""
    name = PurePosixPath(original_name.replace("\\", "/")).name
    name = "".join(c for c in unicodedata.normalize("NFC", name) if unicodedata.category(c)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")[:120]
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    if ("." + suffix.lower()) not in _EQUIVALENT_SUFFIXES.get(extension, {extension}):
        stem = name
        suffix = extension.lstrip(".")
    stem = stem.strip(" .") or fallback
    return f"{stem}.{suffix}" if suffix else stem


def _not_modified(request: HttpRequest, etag: str) -> bool:
    asked = request.headers.get("If-None-Match", "")
    return etag in [tag.strip() for tag in asked.split(",")]


def _finish(response: HttpResponseBase, *, content_type: str, filename: str, etag: str) -> HttpResponseBase:
    as_attachment = content_type not in INLINE_TYPES  # a browser shows only what it can show safely
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = CACHE_CONTROL
    response["ETag"] = etag
    # The answer depends on who asks: never from one person's cache to another's.
    response["Vary"] = "Cookie, Authorization"
    return response


def serve_stored(
    request: HttpRequest, *, name: str, content_type: str, filename: str, sha256: str
) -> HttpResponseBase:
    """The stored file ``name`` (relative to MEDIA_ROOT). Call only after the access check."""
    etag = f'"{sha256}"'
    if _not_modified(request, etag):
        return _finish(HttpResponseNotModified(), content_type=content_type, filename=filename, etag=etag)
    response: HttpResponse | FileResponse
    if settings.WASPADA_SENDFILE == "nginx":
        response = HttpResponse(content_type=content_type)
        # nginx reads the path as a URI: quote it (stored names are ours, but be exact).
        response["X-Accel-Redirect"] = settings.WASPADA_SENDFILE_PREFIX + quote(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    return _finish(response, content_type=content_type, filename=filename, etag=etag)


def thumbnail_name(sha256: str) -> str:
    return f"miniatur/{sha256[:2]}/{sha256}.jpg"


def ensure_thumbnail(*, name: str, sha256: str) -> str:
    """The stored name of the image's thumbnail, made now if it does not exist yet."""
    target = thumbnail_name(sha256)
    if default_storage.exists(target):
        return target
    with default_storage.open(name, "rb") as stored, Image.open(stored) as image:
        image.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))  # JPEG: decode at a smaller scale
        small = ImageOps.exif_transpose(image)
        small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
        if small.mode in ("RGBA", "LA", "P"):
            small = small.convert("RGBA")
            flat = Image.new("RGB", small.size, (255, 255, 255))
            flat.paste(small, mask=small.split()[-1])
            small = flat
        elif small.mode != "RGB":
            small = small.convert("RGB")
        out = io.BytesIO()
        small.save(out, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True, progressive=True)
    if not default_storage.exists(target):  # two requests at once: the first one's file stays
        default_storage.save(target, ContentFile(out.getvalue()))
    return target


def serve_thumbnail(request: HttpRequest, *, name: str, filename: str, sha256: str) -> HttpResponseBase:
    """The thumbnail of the stored image ``name``. Call only after the access check."""
    stem = filename.rpartition(".")[0] or filename
    return serve_stored(
        request,
        name=ensure_thumbnail(name=name, sha256=sha256),
        content_type="image/jpeg",
        filename=f"{stem}-kecil.jpg",
        sha256=f"{sha256}-t{THUMBNAIL_PIXELS}",
    )


class StoredUpload(Protocol):
    """A checked upload as the reports and response apps keep one (``Attachment``,
    ``FollowUpProof``): its stored file, the content type found by the check, its name for a
    download, its SHA-256 and whether it is an image."""

    file: Any
    content_type: str
    sha256: str

    @property
    def download_name(self) -> str: ...

    @property
    def is_image(self) -> bool: ...


def upload_response(request: HttpRequest, upload: StoredUpload) -> HttpResponseBase:
    """The upload itself, after the caller has found it through its owner's visibility."""
    return serve_stored(
        request,
        name=upload.file.name,
        content_type=upload.content_type,
        filename=upload.download_name,
        sha256=upload.sha256,
    )


def upload_thumbnail_response(request: HttpRequest, upload: StoredUpload) -> HttpResponseBase:
    """Its thumbnail; a 404 for a PDF, which has none."""
    if not upload.is_image:
        raise Http404
    return serve_thumbnail(
        request, name=upload.file.name, filename=upload.download_name, sha256=upload.sha256
    )
