"""Extra sections of individual loss pages (issue 4: teaching depth).

Each module exposes ``SECTIONS``: a list of ``(view title, draw(ctx))`` pairs
that a page script passes to :func:`ui.page.loss_page`.
"""
