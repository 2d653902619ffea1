"""The names and colours that stand for the CNN and the ViT everywhere in the app and the report, and for the
attention schemes of the theory figures."""
CNN_COLOR = "#1f77b4"  # blue
VIT_COLOR = "#d95f02"  # orange
CNN_NAME = "CNN"
VIT_NAME = "ViT"
MODELS = (("cnn", CNN_NAME, CNN_COLOR), ("vit", VIT_NAME, VIT_COLOR))
"""(key in results, name, colour) of each model, in the order they are drawn."""
MSA_COLOR = VIT_COLOR  # global attention is what the ViT does
WMSA_COLOR = "#1b9e77"  # green: Swin's windowed attention
