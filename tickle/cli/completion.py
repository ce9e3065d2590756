"""Shell completion: names offered by the rule people are matched, and inserted so that a
name with a space or a quote reaches tickle as one argument."""

from __future__ import annotations

import re

from tickle.domain.names import fold

# Characters bash gives a meaning to; anything else (letters of any script too) is safe.
_BASH_SPECIAL = re.compile(r"""([\s'"\\$`!&|;<>()*?\[\]{}~#^])""")


def bash_escaped(value: str) -> str:
    return _BASH_SPECIAL.sub(r"\\\1", value)


def install_shell_quoting() -> None:
    """Bash inserts a completion as it is given (typer's script splits candidates on new
    lines only): escape each one at the end, so that `Sofía Hernández` is inserted as
    `Sofía\\ Hernández`. zsh (compadd) and fish quote what they insert themselves."""
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete

    class QuotingBashComplete(BashComplete):
        def format_completion(self, item) -> str:
            return bash_escaped(item.value)

    # Registered after typer's own classes (it registers them as it builds the app).
    add_completion_class(QuotingBashComplete, "bash")


def completion(name: str, incomplete: str) -> str | None:
    """What to offer for `name` when `incomplete` was typed: the rest of the name after
    the typed words, as they were typed (typer, zsh and fish keep only candidates that
    extend the word: `sofia` becomes `sofia Hernández`, which finds Sofía Hernández), or
    None when the name does not start with what was typed."""
    typed = _plain(incomplete)
    for end in range(len(name) + 1):
        if _plain(name[:end]) == typed:
            return incomplete + name[end:]
    return None


def _plain(text: str) -> str:
    return fold(text).replace("'", "").replace("’", "")
