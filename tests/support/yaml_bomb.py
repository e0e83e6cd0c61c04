"""A hostile manifest text for the tests that prove none gets through."""

from __future__ import annotations


def yaml_bomb(levels: int = 9) -> str:
    """Aliases of aliases: a few hundred bytes that stand for 9**levels strings."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        below = ", ".join([f"*l{level - 1}"] * 9)
        lines.append(f"l{level}: &l{level} [{below}]")
    return "\n".join(lines) + "\n"
