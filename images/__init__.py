"""Decoding images (uploads, examples, report folders) within the app's limits."""
