"""The upload page offers the data contract's Excel template to those who may upload."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
from django.urls import reverse


def test_uploaders_download_the_template_linked_from_the_upload_page(planted_org: Any, planted_members: dict[str, Any],
                                                                     client_for: Any) -> None:
    reporter = client_for(planted_members["reporter"])
    page = reporter.get(reverse("front:uploads", args=[planted_org.slug])).content.decode()
    url = reverse("front:upload_template", args=[planted_org.slug])
    assert f'href="{url}"' in page
    response = reporter.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [name.lower() for name in book.sheetnames]
    assert any("instruktion" in n for n in names) and len(names) >= 4


def test_viewers_get_no_template(planted_org: Any, planted_members: dict[str, Any], client_for: Any) -> None:
    viewer = client_for(planted_members["viewer"])
    assert viewer.get(reverse("front:upload_template", args=[planted_org.slug])).status_code == 403
