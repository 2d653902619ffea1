"""The two colours that stand for the CNN and the ViT everywhere in the app."""
CNN_COLOR = "#1f77b4"  # blue
VIT_COLOR = "#d95f02"  # orange
CNN_NAME = "CNN"
VIT_NAME = "ViT"
