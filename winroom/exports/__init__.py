"""Exports of the lists to .xlsx and .csv.

:mod:`winroom.exports.spreadsheet` is the generic writer (safe cells, streaming, the row
cap); :mod:`winroom.exports.lists` defines the columns of each list. A list view exports
its own filtered queryset when asked with ``?format=xlsx`` or ``?format=csv``.
"""
