"""What a participant may upload: a scan or a photo of a paper, checked by its content.

The file's first bytes must be those of the type its name claims (a renamed executable is
refused), and it is at most 10 MB: a phone photo of a page is 2-5 MB.
"""

from __future__ import annotations

from sapar.services.papers import UploadRefused

MAX_PORTAL_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def check_portal_upload(filename: str, content: bytes) -> str:
    """The media type, or UploadRefused naming what is wrong."""
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ACCEPTED:
        raise UploadRefused(f"file: '{filename[:80]}' is not a PDF, JPG or PNG file")
    if not content:
        raise UploadRefused(f"file: '{filename[:80]}' is empty")
    if len(content) > MAX_PORTAL_UPLOAD_BYTES:
        raise UploadRefused(
            f"file: '{filename[:80]}' is larger than {MAX_PORTAL_UPLOAD_BYTES // (1024 * 1024)} MB"
        )
    media_type, magics = ACCEPTED[suffix]
    if not content.startswith(magics):
        raise UploadRefused(f"file: '{filename[:80]}' is not really a {suffix[1:].upper()} file")
    return media_type
