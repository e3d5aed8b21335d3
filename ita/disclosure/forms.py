"""Reading the OIT forms: link rows come as parallel ``url``/``label`` lists, so the page
works without JavaScript (one blank row is always offered) and the script only adds rows."""

from __future__ import annotations

from django.http import QueryDict

from ita.disclosure.services import COMMON_REASONS, LinkInput


def links_from_post(post: QueryDict) -> list[LinkInput]:
    urls, labels = post.getlist("url"), post.getlist("label")
    labels += [""] * (len(urls) - len(labels))
    return [LinkInput(url.strip(), label.strip()) for url, label in zip(urls, labels, strict=False) if url.strip()]


def present_from_post(post: QueryDict) -> bool | None:
    return {"yes": True, "no": False}.get(post.get("present", ""))


def reason_from_post(post: QueryDict) -> str:
    """A written reason wins over the chosen common one."""
    written = post.get("reason_text", "").strip()
    chosen = post.get("reason_choice", "")
    return written or (chosen if chosen in COMMON_REASONS else "")
