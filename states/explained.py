"""Errors a person reads. The domain speaks no language of the users': it raises with an English
text (for logs and developers) plus a message key and its parameters, which the service layer
puts into the user's language (sapar/explain.py)."""

from __future__ import annotations


class Explained(Exception):
    def __init__(self, text: str, key: str = "", **params: object) -> None:
        super().__init__(text)
        self.key = key
        self.params = params
