"""The progress report: what the statistics, the journal and two photos say, in plain words,
as one self-contained HTML page or a printable PDF made from it.

``build.py`` gathers the content as plain data, ``charts.py`` draws one chart per measured series,
``render.py`` turns the content into HTML (Django's template engine, used on its own) and PDF
(WeasyPrint, from the same HTML).
"""
