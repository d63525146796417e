"""Sahel Atlas data and geometry: curated tables, validation, filters, basemap, export.

Pure functions over (Geo)DataFrames; nothing here imports Streamlit.
"""
