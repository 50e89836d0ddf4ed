"""Package-level workbook editing: our parts into the user's workbook, every other part untouched.

An .xlsx (or .xlsm) file is a zip of XML parts. Loading one with openpyxl and saving it again
rewrites charts and drops shapes, slicers and anything else openpyxl does not model, so a
workbook the user built around an export is edited here part by part instead: our sheets,
their tables and our metadata part are replaced or added; a few shared parts get minimal,
textual edits (the sheet list, relationships, content types, appended styles, a recalculation
flag, pivot caches refreshed on open); every other member is copied byte for byte.

Modules: ``tablenames`` (legal, unique table names), ``metadata`` (what made each sheet: the
custom XML part), ``custom_xml`` (adding that part to a workbook openpyxl writes), ``zipcopy``
(reading a package safely, copying members without recompressing), ``xmltext`` (textual edits
of shared parts), ``styles`` (our cell formats appended to the user's), ``transplant`` (the
merge itself).
"""
