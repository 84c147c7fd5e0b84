"""Controls: the loss-parameter sliders and the redraw component."""
