"""The app's own maths: the loss registry and every number behind the pages.

TensorFlow and numpy only, never Streamlit or a plotting library; it imports
``losses`` and uses its rows forms, so each number a page shows is the value
the public loss function returns. Importing this package (or its pure-Python
``registry``) loads no TensorFlow: the modules that need it load it.

Modules: ``registry`` (one description per loss, the one source of their
parameters, ranges, defaults and kind), ``analysis`` (batched curves, grids,
maps), ``focal``, ``tversky``, ``focal_tversky``, ``combo`` (each page's
teaching numbers), ``candidates`` and ``compare`` (the compare page),
``pitfalls`` (mistakes run live), ``keras_probe`` (what the installed Keras does).
"""
