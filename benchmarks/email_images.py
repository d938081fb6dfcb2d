"""What scaling a photo for email saves: bytes of a 3000x2000 photo-like JPEG before and after.

The photo is noise over a gradient at JPEG quality 95 (as a phone camera writes), made the
same way every run, so the figures repeat exactly. The copy is what `build` writes and `push`
uploads: 1,200 px wide, recompressed.

Run: .venv/bin/python benchmarks/email_images.py [WIDTH HEIGHT]
"""

from __future__ import annotations

import hashlib
import io
import random
import sys
import time

from PIL import Image

from bulletin.compose.email_files import _for_email


def photo(width: int, height: int) -> bytes:
    rng = random.Random(1)
    gradient = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    noise = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    out = io.BytesIO()
    Image.blend(gradient, noise, 0.3).save(out, "JPEG", quality=95)
    return out.getvalue()


def main() -> None:
    width, height = (int(a) for a in sys.argv[1:3]) if len(sys.argv) > 2 else (3000, 2000)
    original = photo(width, height)
    start = time.perf_counter()
    copy = _for_email(original, ".jpg")
    took = (time.perf_counter() - start) * 1000
    with Image.open(io.BytesIO(copy)) as shown:
        size = shown.size
    print(f"original {width}x{height}: {len(original):,} bytes")
    print(f"email copy {size[0]}x{size[1]}: {len(copy):,} bytes ({len(copy) / len(original):.0%})")
    print(f"scaling took {took:.0f} ms; same bytes again: {_for_email(original, '.jpg') == copy}")
    print(f"sha256 of the copy: {hashlib.sha256(copy).hexdigest()[:16]}")


if __name__ == "__main__":
    main()
