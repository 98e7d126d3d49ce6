"""Sample files for the upload tests, made with Pillow: images carrying EXIF, XMP, comments and text chunks."""

from __future__ import annotations

import io

from PIL import Image, PngImagePlugin

__all__ = ["PDF", "png_with_text", "jpeg_with_exif", "GPS_MARKER"]

#: a small valid PDF (one empty page)
PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
       b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
#: text written into every metadata slot of the sample images, so a leak is easy to find in the bytes
GPS_MARKER = "Qingdao-36.06N-120.38E"


def _picture(size: tuple[int, int]) -> Image.Image:
    im = Image.new("RGB", size)
    im.putdata([((x * 7) % 256, (y * 5) % 256, ((x + y) * 3) % 256) for y in range(size[1]) for x in range(size[0])])
    return im


def png_with_text(size: tuple[int, int] = (40, 30)) -> bytes:
    """A PNG with tEXt, iTXt (XMP) and eXIf chunks."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "张伟 " + GPS_MARKER)
    info.add_itxt("XML:com.adobe.xmp", f"<x:xmpmeta>{GPS_MARKER}</x:xmpmeta>")
    exif = Image.Exif()
    exif[0x010F] = GPS_MARKER  # Make
    out = io.BytesIO()
    _picture(size).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (48, 32), orientation: int = 1) -> bytes:
    """A JPEG with EXIF (camera, GPS, orientation), XMP and a comment."""
    exif = Image.Exif()
    exif[0x010F] = GPS_MARKER  # Make
    exif[0x0112] = orientation
    exif.get_ifd(0x8825)[2] = (36.0, 3.0, 36.0)  # GPSLatitude
    out = io.BytesIO()
    _picture(size).save(out, "JPEG", quality=90, exif=exif, comment=GPS_MARKER.encode(),
                        xmp=f"<x:xmpmeta>{GPS_MARKER}</x:xmpmeta>".encode())
    return out.getvalue()
