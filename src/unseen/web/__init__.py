"""The web application (`unseen serve`): a thin FastAPI shell over :mod:`unseen.services`."""
