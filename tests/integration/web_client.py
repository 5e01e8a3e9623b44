"""Logging in through the pages the way a browser does (login CSRF cookie, session cookie)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.integration.office import PASSWORD

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in; return the session's CSRF token (from the first page)."""
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": username, "password": password,
                                         "csrf": token, "next": "/cases"})  # fmt: skip
    assert answer.status_code == 200, answer.text[:300]
    return csrf_of(answer.text)
