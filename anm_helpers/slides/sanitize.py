"""Narrative HTML with no active content.

The deck is published on the agency's website and printed by the build's own
Chromium, and its narrative (params texts, helper strings, notebook markdown)
is Markdown, which allows raw HTML. Everything Markdown renders goes through
``clean``: an allow-list (nh3) of the tags and attributes ordinary Markdown
produces, links only to http, https and mailto, so a ``<script>``, an
``onerror=``, an ``<iframe>`` or a ``javascript:`` link pasted into a comment
reaches nobody's browser. Remote images are not dropped here: the deck's
network check (``deck.network_references``) refuses them with a message.
"""
from __future__ import annotations

import nh3

#: what Markdown (mistune, and nbconvert's renderer for notebook cells) produces
TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "img",
    "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
})
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    # a Markdown table's column alignment (only text-align survives, see clean)
    "th": {"style"},
    "td": {"style"},
    # nbconvert's headings carry an id and an anchor link to it (``¶``)
    **{h: {"id"} for h in HEADINGS},
}
#: the only class narrative keeps: nbconvert's heading anchor
CLASSES = {"a": {"anchor-link"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
#: removed with their content (other tags not allowed keep their text, escaped)
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "textarea", "title"})


def clean(markup: str) -> str:
    """``markup`` (HTML rendered from narrative) with only the allowed tags,
    attributes and URL schemes: no script, event handler, style sheet, frame,
    object, embed or form; comments removed; link attributes left as written."""
    return nh3.clean(
        markup,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
        allowed_classes={tag: set(names) for tag, names in CLASSES.items()},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
        strip_comments=True,
        link_rel=None,
    )
