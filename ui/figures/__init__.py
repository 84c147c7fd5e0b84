"""Pictures: the palette, RGB images of masks and maps, plotly charts, slide figures."""
