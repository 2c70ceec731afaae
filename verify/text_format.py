"""Weights written as text (.csv, .txt): the numbers, and the precision they were written at.

A text file's precision is that of its digits, not of the float64 it is read
into: ``0.707107`` (six significant digits) is within `5 * 10^-6` of the value
it rounds, relative. `significant_digits` finds the most significant digits
written in any number of the file (the writer's format), so the stored unit
roundoff is `5 * 10^-digits`. Numbers written without a decimal point or
exponent (``0``, ``1``, ``-3``) are taken to be exact integers and do not count.
With a fixed number of decimals (``%.6f``), smaller entries show fewer
significant digits; their error, half a unit in the last decimal, is then at
most the unit roundoff times the largest entry (whose digits set it), a
normwise rather than an entrywise bound.

>>> significant_digits("0.707107,-0.707107\\n1,0\\n")
6
>>> significant_digits("1.000000e+00 2.5e-01")
7
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass

import numpy as np

__all__ = ["TextWeights", "read_text", "significant_digits", "text_unit_roundoff"]

# Delimiters tried, in this order, on the first data line of a text file; none of
# them found means numbers separated by whitespace.
_SNIFFED_DELIMITERS = (",", ";", "\t")
_EXPONENT = re.compile(r"[eE][-+]?\d+")
_MANTISSA = re.compile(rb"[0-9.]+")
_ONES = bytes.maketrans(b"23456789", b"11111111")
_COMMENT = re.compile(r"#[^\n]*")
_FLOAT64_UNIT_ROUNDOFF = 2.0**-53


@dataclass(frozen=True)
class TextWeights:
    """What `read_text` found: the array, the digits written, and the header row it skipped."""

    array: np.ndarray
    digits: int | None  # None: only integers were written (exact)
    header: str | None
    hex_bits: int | None = None  # fewest significant bits of a hex float (None: none written)


def significant_digits(text: str) -> int | None:
    """The most significant digits written in any non-integer number of `text` (None: none).

    Leading zeros are not significant, trailing ones are (``0.500000`` has six).
    Digits 2-9 are first all made 1s, so that the mantissas take few distinct
    forms and only those are examined: a million numbers take a few times as
    long as ``numpy.loadtxt`` takes to read them.
    """
    if "#" in text:
        text = _COMMENT.sub("", text)
    if "e" in text or "E" in text:  # an exponent becomes a point: "5e-06" is like "5."
        text = _EXPONENT.sub(".", text)
    shapes = set(_MANTISSA.findall(text.encode("ascii", "replace").translate(_ONES)))
    counts = [len(shape.replace(b".", b"").lstrip(b"0")) for shape in shapes if b"." in shape]
    return max((count for count in counts if count), default=None)


def text_unit_roundoff(digits: int | None, hex_bits: int | None = None) -> float:
    """`5 * 10^-digits`, but never below float64's `2^-53` (the numbers are read into float64).

    Rounding to `p` significant decimal digits errs by at most half a unit in
    the last digit, `|x - fl(x)| <= (1/2) 10^(e - p + 1)` for `10^e <= |x| <
    10^(e+1)`, so `|x - fl(x)| / |x| <= u = 5 * 10^-p`. The exact worst case is
    `u / (1 + u)` (at `x` just above `1 + u` times a power of ten, e.g. 0.15
    written as 0.2 with one digit: 0.05 / 0.15 = 1/3). For two or more digits the
    two differ by less than `u^2` and the rounder `u` is stated; for one digit
    `u = 1/2` is no precision at all (it would allow a sign's worth of error), so
    the exact bound `1/3` is stated: the verdict logic then finds that such
    coarse numbers decide little, and says so.

    `hex_bits`: the fewest significant bits of any hexadecimal float (``0x1.8p-1``
    has `1 + 4 * 1 = 5`); its rounding is at most `2^-hex_bits` relative, and the
    coarser of the two bounds is returned.

    >>> text_unit_roundoff(6)
    5e-06
    >>> text_unit_roundoff(1)   # one digit: the exact worst case, 0.5 / 1.5
    0.3333333333333333
    >>> text_unit_roundoff(None) == 2.0**-53   # integers only: exact
    True
    >>> text_unit_roundoff(None, hex_bits=53) == 2.0**-53   # float.hex's 13 hex digits
    True
    """
    bounds = [_FLOAT64_UNIT_ROUNDOFF]
    if digits is not None:
        bounds.append(1 / 3 if digits == 1 else 5 / 10**digits)
    if hex_bits is not None:
        bounds.append(2.0**-hex_bits)
    return max(bounds)


_HEX_FLOAT = re.compile(r"[-+]?0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP][-+]?\d+)?")


def hex_significant_bits(text: str) -> int | None:
    """The fewest significant bits of any hexadecimal float in `text` (None: none).

    A normalised ``0x1.hhh`` with `n` hex digits after the point holds `1 + 4 n`
    bits (``float.hex`` writes 13: all 53 of a float64). A mantissa without a
    point (``0x3p-2``) is an integer times a power of two: exact.

    >>> hex_significant_bits("0x1.8p-1, 0x1.0000000000000p+0")
    5
    >>> hex_significant_bits("0.5") is None
    True
    """
    if "x" not in text and "X" not in text:
        return None
    bits = [1 + 4 * len(fraction) for _, fraction in
            (match.groups() for match in _HEX_FLOAT.finditer(_COMMENT.sub("", text)))
            if fraction is not None]
    return min(bits, default=None)


def read_text(path: str | os.PathLike, *, delimiter: str | None = None) -> TextWeights:
    """Read rows of numbers; skip one non-numeric first row (a header) and say so.

    Lines starting with ``#`` are comments. The delimiter (comma, semicolon,
    tab or whitespace) is sniffed from the first data line unless given.
    Raises ``ValueError`` (from NumPy) when the rest is not a table of numbers.
    """
    with open(path, encoding="utf-8-sig", errors="replace") as stream:  # -sig: drop a BOM
        text = stream.read()
    start, end = 0, 0
    while start < len(text):  # find the first data line without splitting the whole text
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].split("#", 1)[0].strip():
            break
        start = end + 1
    data = text[start:end].split("#", 1)[0].strip()
    if delimiter is None:
        delimiter = next((mark for mark in _SNIFFED_DELIMITERS if mark in data), None)
    header, skip = None, 0
    if data and not _is_numeric_row(data, delimiter):
        header, skip = data, text.count("\n", 0, start) + 1
        text = text[end + 1:]
    with warnings.catch_warnings():
        # An empty file warns "input contained no data"; the empty array it returns
        # is refused, with a clearer message, by the matrix validation.
        warnings.simplefilter("ignore", UserWarning)
        # A text file's layout is rows by columns, so one row or column is a matrix too.
        hexadecimal = "0x" in text or "0X" in text
        array = np.loadtxt(path, delimiter=delimiter, comments="#", skiprows=skip, ndmin=2,
                           dtype=np.float64, encoding="utf-8-sig",
                           converters=_number if hexadecimal else None)
    decimal = _HEX_FLOAT.sub(" ", text) if hexadecimal else text  # hex digits are not decimal
    return TextWeights(array, significant_digits(decimal), header,
                       hex_significant_bits(text) if hexadecimal else None)


def _number(token: str) -> float:
    """A decimal number, or a hexadecimal float such as ``0x1.8p-1`` (`float.fromhex`)."""
    try:
        return float(token)
    except ValueError:
        if "0x" not in token.lower():  # float.fromhex reads "a" as 10: a header is not hex
            raise
        return float.fromhex(token.strip())


def _is_numeric_row(data: str, delimiter: str | None) -> bool:
    try:
        for token in data.split(delimiter):
            _number(token)
    except ValueError:
        return False
    return True
