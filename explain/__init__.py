"""What each model looks at: shared per-image passes, Grad-CAM, attention rollout and their geometry."""
