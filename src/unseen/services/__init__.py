"""Where the store meets the libraries: import, export, search, demo.

The CLI and the web app call these; the libraries never see a :class:`~unseen.store.Workspace`.
"""
