"""Colour arithmetic: WCAG contrast, and the dark palette a publication gets when it names none.

The derived dark palette: background #121212, text #e8e8e8, accent the light primary mixed
18% into that background (a dark tint of the brand), and primary and link the light ones
mixed towards white, 5% at a time, until each has 4.5:1 on both the dark background and the
dark accent. Colours a publication gives in `colours.dark` are kept as given (and checked).
"""

from __future__ import annotations

DARK_BACKGROUND = "#121212"
DARK_TEXT = "#e8e8e8"
DARK_ACCENT_TINT = 0.18  # share of the brand's primary in the dark accent
TARGET_CONTRAST = 4.5  # WCAG 2.1 AA for body text


def _rgb(colour: str) -> tuple[int, int, int]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    """WCAG's relative luminance: sRGB channels made linear, weighted as the eye sees them."""
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
        for c in (v / 255 for v in _rgb(colour))
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2.1's contrast ratio of two #rrggbb (or #rgb) colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`share` of `colour` with the rest `other`, as #rrggbb."""
    channels = (
        round(a * share + b * (1 - share)) for a, b in zip(_rgb(colour), _rgb(other), strict=True)
    )
    return "#" + "".join(f"{c:02x}" for c in channels)


def lightened(colour: str, *backgrounds: str) -> str:
    """`colour` mixed towards white until it has 4.5:1 on every one of `backgrounds`."""
    step = 0
    candidate = colour.lower()
    while step < 20 and any(contrast_ratio(candidate, b) < TARGET_CONTRAST for b in backgrounds):
        step += 1
        candidate = mix("#ffffff", colour, step / 20)
    return candidate
