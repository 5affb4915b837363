"""Imported once by the PDF fork server (see renderer._forkserver), never by the web app.

Importing it renders a one-line document with the report's stylesheet, so
that WeasyPrint, Pango and fontconfig have loaded their fonts before any job
is forked: each job then starts with them in memory instead of paying a
few hundred milliseconds to load them again.
"""

from .pdf import render_pdf

render_pdf('<html><head><link rel="stylesheet" href="groundwork-asset:report.css"></head>'
           "<body><h1>Groundwork</h1><p>Warm-up <strong>text</strong> <em>ready</em>.</p></body></html>")
