"""One digest of an image's pixels, so the same picture is recognised however it was saved, named or uploaded."""
import hashlib

from PIL import Image


def pixel_digest(image: Image.Image) -> str:
    """SHA-1 of the RGB pixels and the size."""
    rgb = image if image.mode == "RGB" else image.convert("RGB")
    return hashlib.sha1(rgb.tobytes() + repr(rgb.size).encode()).hexdigest()
