"""The email's dark-mode CSS, from the publication's dark palette.

Mail apps that honour `prefers-color-scheme` (Apple Mail, Outlook for Mac and phones) apply the
media query; Outlook.com ignores it but marks the elements whose colours it changed with
`data-ogsc` (text) and `data-ogsb` (backgrounds), so the same rules under those selectors
win there. The rules target a few classes the templates put on the body (`db`), the panels
(`dp`), the header (`dh`), the accent boxes (`da`) and the two logos (`llg`, `dlg`); each
must beat an inline style, hence `!important`. One rule per class keeps it small.
"""

from __future__ import annotations

from markupsafe import Markup

from bulletin.document.models import Publication

DARK_QUERY = "(prefers-color-scheme:dark)"


def dark_css(pub: Publication) -> Markup:
    """The `@media` block and its Outlook.com twins, every colour a validated #rrggbb."""
    d = pub.colours.dark_palette
    backgrounds = [
        ("body,.db,.dp,.dp>table,.dh,.dh>table", f"background:{d.background}!important"),
        (".dp>table>tbody>tr>td,.dr p", f"border-color:{d.background}!important"),
        (".da,.da>table", f"background:{d.accent}!important"),
    ]
    texts = [
        (".db div,.db h1", f"color:{d.text}!important"),
        (".db h2,.db h3,.db h4", f"color:{d.primary}!important"),
        (".db p a,.db li a", f"color:{d.link}!important"),
    ]
    logos = []
    if pub.logo and pub.logo.dark_src:
        logos = [(".llg", "display:none!important"), (".dlg", "display:table-cell!important")]
    media = "".join(f"{sel}{{{rule}}}" for sel, rule in backgrounds + texts + logos)
    outlook = [
        *(f"[data-ogsb] {_each(sel, '[data-ogsb] ')}{{{rule}}}" for sel, rule in backgrounds),
        *(f"[data-ogsc] {_each(sel, '[data-ogsc] ')}{{{rule}}}" for sel, rule in texts + logos),
    ]
    # Markup: the selectors are ours and every colour passed the #rrggbb validator.
    return Markup(f"@media {DARK_QUERY}{{{media}}}\n" + "\n".join(outlook))


def _each(selectors: str, prefix: str) -> str:
    return f",{prefix}".join(selectors.split(","))
