"""Text that may reach a spreadsheet: the one rule for what Excel, WPS or LibreOffice would run as a formula.

A cell whose text starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some programs
skip before looking) is read as a formula when a CSV file is opened (OWASP "CSV Injection"), so a name such as
``=HYPERLINK("http://evil/","点击")`` in an import template or any copy of the catalog becomes a live link or a
command. Name-like fields refuse such text on input (``validation``); every spreadsheet a service writes passes
each cell through :func:`neutralise_cell`, which keeps the text and makes it inert with a leading ``'``.
"""

from __future__ import annotations

__all__ = ["FORMULA_PREFIXES", "looks_like_formula", "neutralise_cell"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    """Tell whether a spreadsheet would read ``text`` as a formula (leading spaces are skipped, as Excel does)."""
    return text.lstrip(" ").startswith(FORMULA_PREFIXES)


def neutralise_cell(text: str) -> str:
    """The cell text a spreadsheet shows as typed: a formula-like text gets a leading ``'``, others are kept."""
    return "'" + text if looks_like_formula(text) else text
