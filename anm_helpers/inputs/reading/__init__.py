"""Reading the contract's tables as text: CSV (UTF-8 with or without BOM,
Windows-1252 or UTF-16 with BOM, each file's encoding decided from all of its
bytes; ``,``, ``;`` or tab) or .xlsx (first sheet). Only the contract's
columns are ever loaded: the exports carry citizens' personal data in other
columns, and it must not reach any output.

Whatever the file, a table either reads as the data meant it or becomes
problems naming file, line and column: a contract column written twice in the
header, bytes that are not text, a corrupt workbook, a folder where the file
should be, an export of another month (refused after its first block of rows).

Every value is cleaned once as it is read (``texto.clean_text``: invisible
characters removed, spaces collapsed, Unicode NFC), so look-alike spellings
count as one; how many values that changed is kept per column.

Every frame returned here holds the contract's columns as cleaned text plus
``_linea``, the line number as a spreadsheet shows it (header = 1). Text is
pandas strings, or categoricals for the few-valued columns of a CSV read by
pyarrow (the registry's ``pocos_valores``); every function here takes either.

The modules, each importing only those above it in this list (this package
itself imports none of them, so finding a file does not load pandas):

- ``table``: ``LINE``, ``ArchivoIlegible``, ``Read`` (a reader's result), ``tidy``;
- ``series``: the pandas utilities over text columns (dictionary codes,
  ``normalize``/``categorize``, ``recode``, ``map_distinct``, ``parse_dates``,
  ``is_whole``, ``month_bounds``);
- ``files``: finding a month's table (``find_table``, ``find_export``), ``display_name``;
- ``decode``: a CSV's bytes as text (encodings, bytes that are not UTF-8);
- ``layout``: the header row below title rows, a CSV's separator, a header's
  contract columns, ``sugerir_mapeo``;
- ``month_guard``: another month's export refused from its first block;
- ``delimited``: a CSV by pyarrow's reader or pandas' parser;
- ``workbook``: an .xlsx's sheet (``cell_text``);
- ``read``: ``read_table`` and ``RawTable``, the export mapping applied, ``prepare``.
"""
