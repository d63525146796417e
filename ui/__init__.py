"""Streamlit-side helpers of the dashboard: URL state, the details panel, served assets."""
