"""Figures (matplotlib Figure API) shared by the app and the findings report; CNN and ViT colours and names."""
