"""The parts pages are built from, one module per page or family of pages.

``loss_page`` is the frame every loss page shares and ``loss_views`` its common
views; ``focal``, ``tversky``, ``focal_tversky`` and ``combo`` add each loss's own
views; ``compare``, ``pitfalls`` and ``training`` (with ``training_story``) hold the
sections of those pages. The page scripts under ``pages/`` put them in reading order.
"""
