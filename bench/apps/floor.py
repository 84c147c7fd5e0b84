"""The latency floor: the smallest Streamlit page with one slider and one metric.

bench/latency.py measures our loss pages against this page in the same run, so
the ratio says how much our page adds on top of Streamlit's own round trip.
"""

import streamlit as st

v = st.slider("value", 0.0, 1.0, 0.5, 0.05)
st.metric("value squared", f"{v * v:.4f}")
