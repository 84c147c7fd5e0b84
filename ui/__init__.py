"""Everything Streamlit: the widgets, figures and page anatomy the pages are built from.

Folders:

* ``runtime/``: running a page: the entry-point guard, the TensorFlow warm-up, every
  page's settings in the session and the link (``params``), every cached computation
  (``cache``), and the error box that replaces a traceback (``guard``);
* ``masks/``: the mask input every loss page shares (presets, painting, upload);
* ``widgets/``: the loss-parameter controls and the small redraw component;
* ``figures/``: the palette, RGB images of masks and maps, plotly charts, slide figures;
* ``sections/``: the parts of each page;
* ``text.py``: the explanation texts under ``assets/text``.

Imports run one way: ``pages -> ui -> teaching -> losses``.
"""
