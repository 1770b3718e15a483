"""What the report says: the analysis turned into sections of text, tables and charts, written once.

One module per section (``overview``, ``findings``, ``participation``, ``rates`` for components and
outcomes, ``resources``, ``decomposition``, ``trend``, ``more``, ``method``) over shared helpers
(``settings``, ``cells``, ``tables``, ``participants``); :func:`jamkoll.reports.sections.build.build_context`
puts them together. The four writers (HTML, PDF, Word, Excel) lay out the resulting
:class:`~jamkoll.reports.model.ReportContext` and never compute or format a figure themselves.

Disclosure: the analysis' tables have already been through the publication gate and are shown as
they are (a hidden cell is printed ``..``). Group sizes taken from findings are the gate's published
counts of the same people; a value from 1 to the threshold (which the gate never gives) is still
refused, and a comparison based on fewer women or men than the threshold shows no values at all.
"""
