"""Reports: count tables under disclosure control, charts, maps, HTML and PDF.

Pure of the store: :mod:`unseen.services.reporting` reads the workspace, applies the consent scope
and disclosure control, and hands a :class:`~unseen.reports.model.ReportData` to the renderers.
"""
