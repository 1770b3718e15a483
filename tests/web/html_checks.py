"""Structural accessibility checks on rendered pages (the browser and axe-core tests come later)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1 = 0
        self.lang: str | None = None
        self.ids: list[str] = []
        self.label_for: set[str] = set()
        self.fields: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.tables = 0
        self.captions = 0
        self.th_without_scope = 0
        self._label_depth = 0
        self.post_forms = 0
        self.csrf_tokens = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "a" and a.get("href"):
            self.links.append(str(a["href"]))
        elif tag == "form" and (a.get("method") or "").lower() == "post":
            self.post_forms += 1
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(str(a["for"]))
        elif tag in ("input", "select", "textarea"):
            if a.get("name") == "csrfmiddlewaretoken":
                self.csrf_tokens += 1
            if a.get("type") not in ("hidden", "submit", "button"):
                self.fields.append({**a, "_wrapped": "1" if self._label_depth else None})
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th" and not a.get("scope"):
            self.th_without_scope += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self._label_depth -= 1


def check_page(html: str) -> list[str]:
    """Problems found: one h1, a lang attribute, a skip link to #main, labelled fields, unique ids,
    tables with captions and scoped header cells, a CSRF token in every POST form. Empty when the page passes."""
    page = _Page()
    page.feed(html)
    problems = []
    if page.h1 != 1:
        problems.append(f"{page.h1} h1 elements (want exactly 1)")
    if not page.lang:
        problems.append("no lang attribute on <html>")
    if "#main" not in page.links or "main" not in page.ids:
        problems.append("no skip link to #main")
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    if duplicates:
        problems.append(f"duplicate ids: {sorted(duplicates)}")
    for field in page.fields:
        labelled = (field.get("id") in page.label_for or field.get("aria-label") or field.get("aria-labelledby")
                    or field.get("_wrapped"))
        if not labelled:
            problems.append(f"unlabelled field {field.get('name')!r}")
        if field.get("aria-invalid") == "true" and not field.get("aria-describedby"):
            problems.append(f"invalid field {field.get('name')!r} without aria-describedby")
        for ref in (field.get("aria-describedby") or "").split():
            if ref not in page.ids:
                problems.append(f"field {field.get('name')!r} described by missing id {ref!r}")
    if page.tables != page.captions:
        problems.append(f"{page.tables} tables but {page.captions} captions")
    if page.csrf_tokens < page.post_forms:
        problems.append(f"{page.post_forms} POST forms but {page.csrf_tokens} CSRF tokens")
    if page.th_without_scope:
        problems.append(f"{page.th_without_scope} th without scope")
    return problems
