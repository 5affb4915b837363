"""Report building shared by the result page and the PDF: charts, rendering, cache."""
