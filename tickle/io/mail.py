"""The morning mail: the agenda as an RFC 5322 message for `sendmail -t`.

Built with the standard `email` package: a plain-text part readable at 72 columns and
an HTML alternative with the same sections and columns.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

MAIL_WIDTH = 72


def subject_for(counts: dict[str, int], days: int) -> str:
    """`tickle: 2 overdue, 5 today, 1 promise due` — what matters first, zeros left out."""
    parts = []
    if counts.get("overdue"):
        parts.append(f"{counts['overdue']} overdue")
    if counts.get("today"):
        parts.append(f"{counts['today']} today")
    if counts.get("promises"):
        parts.append(f"{counts['promises']} promise{'s' if counts['promises'] != 1 else ''} due")
    if not parts and counts.get("upcoming"):
        parts.append(f"{counts['upcoming']} in the next {days} days")
    if not parts and counts.get("open_case"):
        parts.append(f"{counts['open_case']} open case{'s' if counts['open_case'] != 1 else ''}")
    return "tickle: " + ", ".join(parts or ["the agenda"])


def html_tables(
    groups: Sequence[Any], headers: Sequence[str], cells: Callable[[Any], Sequence[str]]
) -> str:
    """The sections as HTML tables (every value escaped)."""
    out = ["<!DOCTYPE html>", '<html><body style="font-family: sans-serif">']
    for group in groups:
        if not group.records:
            continue
        out.append(f"<h3>{html.escape(group.title)}</h3>")
        out.append('<table cellpadding="4" style="border-collapse: collapse">')
        out.append(
            "<tr>"
            + "".join(f'<th align="left">{html.escape(header)}</th>' for header in headers)
            + "</tr>"
        )
        for record in group.records:
            out.append(
                "<tr>"
                + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in cells(record))
                + "</tr>"
            )
        out.append("</table>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def agenda_message(
    *,
    subject: str,
    sender: str,
    to: str,
    plain: str,
    html_body: str,
    now: dt.datetime,
    host: str,
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("tickle", domain=host)
    # Quoted-printable keeps the plain part readable even in the raw message.
    message.set_content(plain, cte="quoted-printable")
    message.add_alternative(html_body, subtype="html", cte="quoted-printable")
    return message


def default_address() -> tuple[str, str]:
    """The user at this host (what cron and sendmail would use), and the host."""
    import getpass
    import socket

    host = socket.gethostname() or "localhost"
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "tickle"
    return f"{user}@{host}", host
