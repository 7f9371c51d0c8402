"""Who acts: the person behind every write, as pages and the command line hand it to the domain.

There is no login yet, so anyone who reaches the app acts as the anonymous web user; what a
form asks for (导入人, 操作人) is recorded beside it. The login issue replaces `anonymous()`
with the signed-in user and checks roles and region scope here.
"""
from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS_NAME = "网页用户"


@dataclass(frozen=True)
class Actor:
    """A person acting in the app; `name` is what batches and notes record."""
    name: str

    def recorded_as(self, typed: str) -> str:
        """The name a write records: the name typed in the form, else the actor's."""
        return typed.strip() or self.name


def anonymous() -> Actor:
    """The web user before login exists."""
    return Actor(ANONYMOUS_NAME)
